import type { FieldRule } from '@optarget/shared';

type FieldMessages = Record<`validation.rule.${FieldRule}`, string>;

/**
 * Why the server refused a field, as the form shows it under the field. Typed by the shared rule
 * list, so a new rule does not compile until both languages word it.
 */
export const fieldMessagesEn = {
  'validation.rule.required': 'Fill this in',
  'validation.rule.tooShort': 'Use at least {min, plural, one {# character} other {# characters}}',
  'validation.rule.tooLong': 'Use at most {max, plural, one {# character} other {# characters}}',
  'validation.rule.tooSmall': 'Must be at least {min}',
  'validation.rule.tooBig': 'Must be at most {max}',
  'validation.rule.tooFew': 'Choose at least {min}',
  'validation.rule.tooMany': 'Choose at most {max}',
  'validation.rule.wrongType': 'This value has the wrong form',
  'validation.rule.email': 'Enter a valid email address',
  'validation.rule.id': 'This does not name anything that exists here',
  'validation.rule.url': 'Enter a web address such as https://example.com',
  'validation.rule.date': 'Enter a date that exists',
  'validation.rule.format': 'This is not written the way it should be',
  'validation.rule.oneOf': 'Choose one of: {values}',
  'validation.rule.unknownField': 'Not something this form accepts: {keys}',
  'validation.rule.oneLine': 'Keep this on one line',
  'validation.rule.countryCode': 'Choose a country (a two-letter code such as SA)',
  'validation.rule.mapName': 'Map one column to the name: every lead needs one',
  'validation.rule.mapOnce': 'Map each field from one column only',
  'validation.rule.columnNumber': 'Columns are named by their number',
  'validation.rule.noNul': 'Remove the invisible NUL character',
  'validation.rule.unicode': 'Remove the broken character (an unpaired surrogate)',
  'validation.rule.cursor': 'This page link is out of date; start again from the first page',
  'validation.rule.phone': 'Enter a phone number with its country code, such as +966 50 123 4567',
  'validation.rule.member': 'Choose a member of this organization',
  'validation.rule.mapColumn': 'The file has {columns} columns; column {column} does not exist',
  'validation.rule.emailsNone': 'No email address was found in the pasted text',
  'validation.rule.emailsTooMany': 'At most {max} addresses at a time; {count} were pasted',
  'validation.rule.invalid': 'This value is not valid',
} satisfies FieldMessages;

export const fieldMessagesAr = {
  'validation.rule.required': 'املأ هذا الحقل',
  'validation.rule.tooShort':
    'استخدم {min, plural, zero {# حرف} one {حرفًا واحدًا} two {حرفين} few {# أحرف} many {# حرفًا} other {# حرف}} على الأقل',
  'validation.rule.tooLong':
    'استخدم {max, plural, zero {# حرف} one {حرفًا واحدًا} two {حرفين} few {# أحرف} many {# حرفًا} other {# حرف}} على الأكثر',
  'validation.rule.tooSmall': 'يجب ألا يقل عن {min}',
  'validation.rule.tooBig': 'يجب ألا يزيد على {max}',
  'validation.rule.tooFew': 'اختر {min} على الأقل',
  'validation.rule.tooMany': 'اختر {max} على الأكثر',
  'validation.rule.wrongType': 'صيغة هذه القيمة غير صحيحة',
  'validation.rule.email': 'أدخل بريدًا إلكترونيًا صالحًا',
  'validation.rule.id': 'هذا لا يشير إلى شيء موجود هنا',
  'validation.rule.url': 'أدخل عنوان ويب مثل https://example.com',
  'validation.rule.date': 'أدخل تاريخًا موجودًا',
  'validation.rule.format': 'هذه القيمة ليست مكتوبة بالشكل المطلوب',
  'validation.rule.oneOf': 'اختر واحدًا من: {values}',
  'validation.rule.unknownField': 'لا يقبل هذا النموذج: {keys}',
  'validation.rule.oneLine': 'اجعل هذا في سطر واحد',
  'validation.rule.countryCode': 'اختر دولة (رمز من حرفين مثل SA)',
  'validation.rule.mapName': 'اربط عمودًا بالاسم: كل عميل يحتاج اسمًا',
  'validation.rule.mapOnce': 'اربط كل حقل بعمود واحد فقط',
  'validation.rule.columnNumber': 'تُسمّى الأعمدة بأرقامها',
  'validation.rule.noNul': 'احذف الحرف الخفي NUL',
  'validation.rule.unicode': 'احذف الحرف التالف (نصف زوج بديل)',
  'validation.rule.cursor': 'رابط هذه الصفحة قديم؛ ابدأ من الصفحة الأولى',
  'validation.rule.phone': 'أدخل رقم هاتف مع رمز الدولة، مثل ‎+966 50 123 4567',
  'validation.rule.member': 'اختر عضوًا في هذه المنشأة',
  'validation.rule.mapColumn': 'في الملف {columns} أعمدة؛ والعمود {column} غير موجود',
  'validation.rule.emailsNone': 'لم يُعثر على أي بريد إلكتروني في النص الملصق',
  'validation.rule.emailsTooMany': '{max} عنوان على الأكثر في المرة الواحدة؛ وقد لُصق {count}',
  'validation.rule.invalid': 'هذه القيمة غير صالحة',
} satisfies FieldMessages;
