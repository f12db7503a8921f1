import type { ErrorCode } from '@optarget/shared';

type ErrorMessages = Record<`errors.code.${ErrorCode}`, string>;

/**
 * What the user reads for each error code the API answers with, in place of the server's English
 * `detail`. Typed by the shared catalogue, so a new code does not compile until both languages say it.
 */
export const errorMessagesEn = {
  'errors.code.VALIDATION_FAILED': 'Some of what you entered is not valid. Check the fields and try again.',
  'errors.code.INVALID_VALUE':
    'A value cannot be used: a number out of range, a date that does not exist, or characters that cannot be stored.',
  'errors.code.UNAUTHENTICATED': 'Sign in to continue.',
  'errors.code.PLAN_LIMIT_EXCEEDED': 'Your plan does not allow this. Upgrade the plan or free some up.',
  'errors.code.FORBIDDEN': 'Your role does not allow this.',
  'errors.code.CROSS_SITE_REQUEST': 'Changes can only be made from OpTarget itself.',
  'errors.code.NOT_FOUND': 'Not found: it was deleted, or you do not have access to it.',
  'errors.code.CONFLICT': 'This conflicts with existing data, or it changed meanwhile. Reload and try again.',
  'errors.code.LAST_OWNER': 'The organization must keep at least one owner. Make someone else an owner first.',
  'errors.code.ALREADY_MEMBER': 'This person is already a member.',
  'errors.code.INVITE_EXPIRED': 'This invitation has expired. Ask for a new one.',
  'errors.code.MERGE_UNDO_EXPIRED': 'This merge can no longer be undone: the time to undo it has passed.',
  'errors.code.MERGE_ALREADY_UNDONE': 'This merge was already undone.',
  'errors.code.MERGE_UNDO_BLOCKED':
    'This merge cannot be undone as things are now: the kept lead was merged into another since, or another lead now has the same source.',
  'errors.code.INVITE_EMAIL_MISMATCH': 'This invitation was sent to a different email address.',
  'errors.code.PAYLOAD_TOO_LARGE': 'What you sent is too large.',
  'errors.code.URI_TOO_LONG': 'The address is too long. Shorten the search or filter and try again.',
  'errors.code.THROTTLED': 'Too many attempts. Wait a few minutes and try again.',
  'errors.code.WHATSAPP_NOT_CONNECTED': 'WhatsApp is not connected. An admin can connect it in Settings.',
  'errors.code.WHATSAPP_NO_PHONE': 'This lead has no phone number.',
  'errors.code.WHATSAPP_OPTED_OUT': 'This lead opted out of WhatsApp messages.',
  'errors.code.WHATSAPP_NO_CONSENT': 'This lead has not opted in to WhatsApp messages.',
  'errors.code.WHATSAPP_WINDOW_CLOSED': 'The 24-hour window for free text is closed: send an approved template.',
  'errors.code.WHATSAPP_TEMPLATE_NOT_APPROVED': 'This template is not approved by Meta.',
  'errors.code.WHATSAPP_UPSTREAM': 'WhatsApp refused the request or could not be reached.',
  'errors.code.INTERNAL': 'Something went wrong on our side. It has been logged.',
  'errors.code.NOT_READY': 'The service is starting. Try again in a few seconds.',
  'errors.code.DATABASE_UNAVAILABLE': 'The service is briefly unavailable. Try again in a few seconds.',
} satisfies ErrorMessages;

export const errorMessagesAr = {
  'errors.code.VALIDATION_FAILED': 'بعض ما أدخلته غير صالح. راجع الحقول وحاول مرة أخرى.',
  'errors.code.INVALID_VALUE': 'تعذّر استخدام قيمة: رقم خارج النطاق، أو تاريخ غير موجود، أو أحرف لا يمكن حفظها.',
  'errors.code.UNAUTHENTICATED': 'سجّل الدخول للمتابعة.',
  'errors.code.PLAN_LIMIT_EXCEEDED': 'باقتك لا تسمح بهذا. رقِّ الباقة أو حرّر بعض المساحة.',
  'errors.code.FORBIDDEN': 'دورك لا يسمح بهذا.',
  'errors.code.CROSS_SITE_REQUEST': 'لا يمكن إجراء التغييرات إلا من OpTarget نفسه.',
  'errors.code.NOT_FOUND': 'غير موجود: حُذف، أو ليس لديك صلاحية الوصول إليه.',
  'errors.code.CONFLICT': 'هذا يتعارض مع بيانات موجودة، أو تغيّر في الأثناء. أعد التحميل وحاول مرة أخرى.',
  'errors.code.LAST_OWNER': 'يجب أن تحتفظ المنشأة بمالك واحد على الأقل. اجعل شخصًا آخر مالكًا أولًا.',
  'errors.code.ALREADY_MEMBER': 'هذا الشخص عضو بالفعل.',
  'errors.code.INVITE_EXPIRED': 'انتهت صلاحية هذه الدعوة. اطلب دعوة جديدة.',
  'errors.code.MERGE_UNDO_EXPIRED': 'لم يعد ممكنًا التراجع عن هذا الدمج: انقضت مدة التراجع.',
  'errors.code.MERGE_ALREADY_UNDONE': 'تم التراجع عن هذا الدمج من قبل.',
  'errors.code.MERGE_UNDO_BLOCKED':
    'لا يمكن التراجع عن هذا الدمج في الوضع الحالي: دُمج العميل المُبقى عليه في عميل آخر بعد ذلك، أو صار لعميل آخر المصدر نفسه.',
  'errors.code.INVITE_EMAIL_MISMATCH': 'أُرسلت هذه الدعوة إلى عنوان بريد إلكتروني آخر.',
  'errors.code.PAYLOAD_TOO_LARGE': 'ما أرسلته كبير جدًا.',
  'errors.code.URI_TOO_LONG': 'العنوان طويل جدًا. اختصر البحث أو عامل التصفية وحاول مرة أخرى.',
  'errors.code.THROTTLED': 'محاولات كثيرة جدًا. انتظر بضع دقائق ثم حاول مرة أخرى.',
  'errors.code.WHATSAPP_NOT_CONNECTED': 'واتساب غير متصل. يمكن للمسؤول ربطه من الإعدادات.',
  'errors.code.WHATSAPP_NO_PHONE': 'لا يوجد رقم هاتف لهذا العميل.',
  'errors.code.WHATSAPP_OPTED_OUT': 'ألغى هذا العميل اشتراكه في رسائل واتساب.',
  'errors.code.WHATSAPP_NO_CONSENT': 'لم يوافق هذا العميل على تلقي رسائل واتساب.',
  'errors.code.WHATSAPP_WINDOW_CLOSED': 'انتهت نافذة الـ24 ساعة للنص الحر: أرسل قالبًا معتمدًا.',
  'errors.code.WHATSAPP_TEMPLATE_NOT_APPROVED': 'هذا القالب غير معتمد من Meta.',
  'errors.code.WHATSAPP_UPSTREAM': 'رفض واتساب الطلب أو تعذّر الوصول إليه.',
  'errors.code.INTERNAL': 'حدث خطأ من جهتنا، وقد سُجّل.',
  'errors.code.NOT_READY': 'الخدمة قيد التشغيل. حاول مرة أخرى بعد بضع ثوانٍ.',
  'errors.code.DATABASE_UNAVAILABLE': 'الخدمة غير متاحة لحظيًا. حاول مرة أخرى بعد بضع ثوانٍ.',
} satisfies ErrorMessages;

/** The specific case of an error, worded from the numbers and names the server sends beside its English detail. */
export const errorDetailsEn = {
  'errors.detail.planLimit.seats': 'The plan includes {limit} seats; {used} are in use. Upgrade the plan or free some up.',
  'errors.detail.planLimit.leads': 'The plan includes {limit} stored leads; {used} are in use. Upgrade the plan or free some up.',
  'errors.detail.planLimit.searches': 'The plan includes {limit} searches this month; {used} are in use. Upgrade the plan or free some up.',
  'errors.detail.planLimit.enrichments':
    'The plan includes {limit} enrichments this month; {used} are in use. Upgrade the plan or free some up.',
  'errors.detail.planLimit.reports': 'The plan includes {limit} reports this month; {used} are in use. Upgrade the plan or free some up.',
  'errors.detail.planLimit.whatsappMessages':
    'The plan includes {limit} WhatsApp messages this month; {used} are in use. Upgrade the plan or free some up.',
  'errors.detail.planResultsPerSearch':
    'The plan allows up to {limit} results per search; {requested} were asked for. Ask for fewer or upgrade the plan.',
  'errors.detail.alreadyMember': '{email} is already a member of this organization.',
  'errors.detail.mergeUndoExpired': 'A merge can be undone for {days} days; this one is older.',
  'errors.detail.mergeUndoKeptMerged': 'The lead this merge kept was merged into another since: undo that merge first.',
  'errors.detail.mergeUndoSameSource': 'Another lead now has the same source as a merged lead; merge or delete it first.',
  'errors.detail.inviteOpen': '{email} already has an open invitation; resend it instead.',
  'errors.detail.inviteExpired': 'The invitation to {email} has expired; resend it instead of creating a new one.',
  'errors.detail.inviteAccepted': 'The invitation to {email} was already accepted.',
  'errors.detail.inviteRevoked': 'The invitation to {email} was revoked; send a new one instead.',
  'errors.detail.inviteAcceptedRemoveMember': '{email} already accepted; remove the member instead.',
  'errors.detail.templateNotApproved.PENDING':
    'The template {template} is still being reviewed by Meta; only approved templates can be sent.',
  'errors.detail.templateNotApproved.REJECTED': 'Meta rejected the template {template}; only approved templates can be sent.',
  'errors.detail.templateNotApproved.PAUSED': 'Meta paused the template {template}; only approved templates can be sent.',
  'errors.detail.templateNotApproved.DISABLED': 'Meta disabled the template {template}; only approved templates can be sent.',
  'errors.detail.templateNotApproved.other': 'The template {template} is {status}; only approved templates can be sent.',
  'errors.detail.jobEnded':
    'The job has already ended ({jobStatus, select, SUCCEEDED {succeeded} FAILED {failed} CANCELLED {cancelled} other {{jobStatus}}}).',
  'errors.detail.jobNotEnded':
    'The job has not ended yet: it is {jobStatus, select, PENDING {waiting to start} RUNNING {running} other {{jobStatus}}}.',
  'errors.detail.jobTypeRetired': 'Jobs of this kind can no longer be started.',
  'errors.detail.nothingToEnrich': 'There are no leads to enrich in this selection.',
  'errors.detail.leadExists': 'A lead with this {matchedOn, select, phone {phone number} other {website domain}} already exists.',
  'errors.detail.listNameTaken': 'A list named “{name}” already exists. Choose another name.',
  'errors.detail.listEmpty': 'This list has no leads to report on.',
  'errors.detail.listTooLarge': 'This list has more than {max} leads; split it to report on each lead.',
  'errors.detail.reportNoFile': 'This report has no file yet: wait until it is generated.',
  'errors.detail.reportNotFinished': 'Only a finished report can be shared.',
  'errors.detail.reportNotReadyToSend': 'Only a finished report can be sent: wait until it is generated.',
  'errors.detail.reportGeneratingRegenerate': 'This report is being generated; generate it again once it is done.',
  'errors.detail.reportGeneratingDelete': 'This report is being generated; delete it once it is done.',
  'errors.detail.templateNameTaken': 'A template named {name} in {language} exists already.',
  'errors.detail.idempotencyKeyReused': 'This send was already used for a message to another lead; reload and send again.',
  'errors.detail.campaignState.started':
    'A {campaignStatus, select, DRAFT {draft} SCHEDULED {scheduled} RUNNING {running} PAUSED {paused} COMPLETED {completed} STOPPED {stopped} CANCELLED {cancelled} other {{campaignStatus}}} campaign cannot be started.',
  'errors.detail.campaignState.paused':
    'A {campaignStatus, select, DRAFT {draft} SCHEDULED {scheduled} RUNNING {running} PAUSED {paused} COMPLETED {completed} STOPPED {stopped} CANCELLED {cancelled} other {{campaignStatus}}} campaign cannot be paused.',
  'errors.detail.campaignState.resumed':
    'A {campaignStatus, select, DRAFT {draft} SCHEDULED {scheduled} RUNNING {running} PAUSED {paused} COMPLETED {completed} STOPPED {stopped} CANCELLED {cancelled} other {{campaignStatus}}} campaign cannot be resumed.',
  'errors.detail.campaignState.cancelled':
    'A {campaignStatus, select, DRAFT {draft} SCHEDULED {scheduled} RUNNING {running} PAUSED {paused} COMPLETED {completed} STOPPED {stopped} CANCELLED {cancelled} other {{campaignStatus}}} campaign cannot be cancelled.',
  'errors.detail.campaignNotStarted':
    'The campaign is {campaignStatus, select, DRAFT {draft} SCHEDULED {scheduled} RUNNING {running} PAUSED {paused} COMPLETED {completed} STOPPED {stopped} CANCELLED {cancelled} other {{campaignStatus}}}; start or resume it from the campaigns page.',
  'errors.detail.campaignSending': 'The campaign is already being sent.',
  'errors.detail.campaignListDeleted': 'The campaign’s list was deleted.',
  'errors.detail.campaignTemplateDeleted': 'The campaign’s template was deleted.',
  'errors.detail.campaignNobodyToReceive': 'Nobody on the list can receive this campaign; see the preview for the reasons.',
  'errors.detail.campaignFinishing': 'The campaign is still finishing the messages on their way; resume it in a moment.',
} satisfies Record<`errors.detail.${string}`, string>;
export type ErrorDetailKey = keyof typeof errorDetailsEn;

export const errorDetailsAr = {
  'errors.detail.planLimit.seats': 'تتضمن الباقة {limit} من المقاعد، والمستخدم منها {used}. رقِّ الباقة أو حرّر بعض المساحة.',
  'errors.detail.planLimit.leads': 'تتضمن الباقة {limit} من العملاء المحفوظين، والمستخدم منها {used}. رقِّ الباقة أو حرّر بعض المساحة.',
  'errors.detail.planLimit.searches':
    'تتضمن الباقة {limit} من عمليات البحث هذا الشهر، والمستخدم منها {used}. رقِّ الباقة أو حرّر بعض المساحة.',
  'errors.detail.planLimit.enrichments':
    'تتضمن الباقة {limit} من عمليات الإثراء هذا الشهر، والمستخدم منها {used}. رقِّ الباقة أو حرّر بعض المساحة.',
  'errors.detail.planLimit.reports': 'تتضمن الباقة {limit} من التقارير هذا الشهر، والمستخدم منها {used}. رقِّ الباقة أو حرّر بعض المساحة.',
  'errors.detail.planLimit.whatsappMessages':
    'تتضمن الباقة {limit} من رسائل واتساب هذا الشهر، والمستخدم منها {used}. رقِّ الباقة أو حرّر بعض المساحة.',
  'errors.detail.planResultsPerSearch':
    'تسمح الباقة بـ {limit} نتيجة على الأكثر في كل بحث، وقد طُلب {requested}. اطلب عددًا أقل أو رقِّ الباقة.',
  'errors.detail.alreadyMember': '{email} عضو في هذه المنشأة بالفعل.',
  'errors.detail.mergeUndoExpired': 'يمكن التراجع عن الدمج خلال {days} يومًا، وهذا الدمج أقدم من ذلك.',
  'errors.detail.mergeUndoKeptMerged': 'دُمج العميل الذي أبقاه هذا الدمج في عميل آخر بعد ذلك: تراجع عن ذلك الدمج أولًا.',
  'errors.detail.mergeUndoSameSource': 'صار لعميل آخر المصدر نفسه الذي لعميل مدموج؛ ادمجه أو احذفه أولًا.',
  'errors.detail.inviteOpen': 'لدى {email} دعوة مفتوحة بالفعل؛ أعد إرسالها بدلًا من ذلك.',
  'errors.detail.inviteExpired': 'انتهت صلاحية الدعوة المرسلة إلى {email}؛ أعد إرسالها بدلًا من إنشاء دعوة جديدة.',
  'errors.detail.inviteAccepted': 'قُبلت الدعوة المرسلة إلى {email} من قبل.',
  'errors.detail.inviteRevoked': 'أُلغيت الدعوة المرسلة إلى {email}؛ أرسل دعوة جديدة بدلًا منها.',
  'errors.detail.inviteAcceptedRemoveMember': 'قبل {email} الدعوة من قبل؛ أزل العضو بدلًا من ذلك.',
  'errors.detail.templateNotApproved.PENDING': 'القالب {template} ما زال قيد مراجعة Meta؛ لا تُرسل إلا القوالب المعتمدة.',
  'errors.detail.templateNotApproved.REJECTED': 'رفضت Meta القالب {template}؛ لا تُرسل إلا القوالب المعتمدة.',
  'errors.detail.templateNotApproved.PAUSED': 'أوقفت Meta القالب {template} مؤقتًا؛ لا تُرسل إلا القوالب المعتمدة.',
  'errors.detail.templateNotApproved.DISABLED': 'عطّلت Meta القالب {template}؛ لا تُرسل إلا القوالب المعتمدة.',
  'errors.detail.templateNotApproved.other': 'حالة القالب {template} هي {status}؛ لا تُرسل إلا القوالب المعتمدة.',
  'errors.detail.jobEnded':
    'انتهت المهمة بالفعل ({jobStatus, select, SUCCEEDED {نجحت} FAILED {فشلت} CANCELLED {أُلغيت} other {{jobStatus}}}).',
  'errors.detail.jobNotEnded':
    'لم تنتهِ المهمة بعد: {jobStatus, select, PENDING {ما زالت تنتظر البدء} RUNNING {ما زالت قيد التشغيل} other {{jobStatus}}}.',
  'errors.detail.jobTypeRetired': 'لم يعد ممكنًا بدء مهام من هذا النوع.',
  'errors.detail.nothingToEnrich': 'لا يوجد عملاء لإثرائهم في هذا التحديد.',
  'errors.detail.leadExists': 'يوجد بالفعل عميل له {matchedOn, select, phone {رقم الهاتف نفسه} other {نطاق الموقع نفسه}}.',
  'errors.detail.listNameTaken': 'توجد قائمة باسم «{name}» بالفعل. اختر اسمًا آخر.',
  'errors.detail.listEmpty': 'لا يوجد في هذه القائمة عملاء لإعداد تقرير عنهم.',
  'errors.detail.listTooLarge': 'في هذه القائمة أكثر من {max} عميل؛ قسّمها لإعداد تقرير عن كل عميل.',
  'errors.detail.reportNoFile': 'لا يوجد ملف لهذا التقرير بعد: انتظر حتى يُنشأ.',
  'errors.detail.reportNotFinished': 'لا تمكن مشاركة إلا التقارير المكتملة.',
  'errors.detail.reportNotReadyToSend': 'لا تُرسل إلا التقارير المكتملة: انتظر حتى يُنشأ التقرير.',
  'errors.detail.reportGeneratingRegenerate': 'يجري إنشاء هذا التقرير؛ أعد إنشاءه بعد اكتماله.',
  'errors.detail.reportGeneratingDelete': 'يجري إنشاء هذا التقرير؛ احذفه بعد اكتماله.',
  'errors.detail.templateNameTaken': 'يوجد بالفعل قالب باسم {name} باللغة {language}.',
  'errors.detail.idempotencyKeyReused': 'استُخدم هذا الإرسال من قبل لرسالة إلى عميل آخر؛ أعد التحميل ثم أرسل مجددًا.',
  'errors.detail.campaignState.started':
    'لا يمكن بدء الحملة وحالتها {campaignStatus, select, DRAFT {مسودة} SCHEDULED {مجدولة} RUNNING {قيد الإرسال} PAUSED {متوقفة مؤقتًا} COMPLETED {مكتملة} STOPPED {متوقفة} CANCELLED {ملغاة} other {{campaignStatus}}}.',
  'errors.detail.campaignState.paused':
    'لا يمكن إيقاف الحملة مؤقتًا وحالتها {campaignStatus, select, DRAFT {مسودة} SCHEDULED {مجدولة} RUNNING {قيد الإرسال} PAUSED {متوقفة مؤقتًا} COMPLETED {مكتملة} STOPPED {متوقفة} CANCELLED {ملغاة} other {{campaignStatus}}}.',
  'errors.detail.campaignState.resumed':
    'لا يمكن استئناف الحملة وحالتها {campaignStatus, select, DRAFT {مسودة} SCHEDULED {مجدولة} RUNNING {قيد الإرسال} PAUSED {متوقفة مؤقتًا} COMPLETED {مكتملة} STOPPED {متوقفة} CANCELLED {ملغاة} other {{campaignStatus}}}.',
  'errors.detail.campaignState.cancelled':
    'لا يمكن إلغاء الحملة وحالتها {campaignStatus, select, DRAFT {مسودة} SCHEDULED {مجدولة} RUNNING {قيد الإرسال} PAUSED {متوقفة مؤقتًا} COMPLETED {مكتملة} STOPPED {متوقفة} CANCELLED {ملغاة} other {{campaignStatus}}}.',
  'errors.detail.campaignNotStarted':
    'حالة الحملة {campaignStatus, select, DRAFT {مسودة} SCHEDULED {مجدولة} RUNNING {قيد الإرسال} PAUSED {متوقفة مؤقتًا} COMPLETED {مكتملة} STOPPED {متوقفة} CANCELLED {ملغاة} other {{campaignStatus}}}؛ ابدأها أو استأنفها من صفحة الحملات.',
  'errors.detail.campaignSending': 'الحملة قيد الإرسال بالفعل.',
  'errors.detail.campaignListDeleted': 'حُذفت قائمة الحملة.',
  'errors.detail.campaignTemplateDeleted': 'حُذف قالب الحملة.',
  'errors.detail.campaignNobodyToReceive': 'لا يمكن لأحد في القائمة تلقي هذه الحملة؛ راجع المعاينة لمعرفة الأسباب.',
  'errors.detail.campaignFinishing': 'ما زالت الحملة تُنهي الرسائل التي في طريقها؛ استأنفها بعد لحظات.',
} satisfies Record<ErrorDetailKey, string>;
