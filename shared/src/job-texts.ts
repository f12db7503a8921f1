/**
 * What a running job tells its user — the current step, log lines and the reason it failed — as a
 * code with parameters, so the web app shows it in the user's language. The server stores the
 * English rendering too, for the API and the logs. Texts are ICU MessageFormat; every Arabic count
 * names all six plural forms.
 */
type Params<K extends string> = Record<K, string | number>;
type None = Record<string, never>;

export type JobTextParams = {
  'step.searchingOsm': None;
  'step.searchingGoogle': None;
  'step.visitingWebsites': None;
  'step.importingRows': None;
  'step.stoppedAtPlanLimit': None;
  'step.rendering': None;
  'step.done': None;
  'log.cancelled': None;
  'log.cancelledAt': Params<'done' | 'total'>;
  'log.attemptFailed': Params<'attempt'>;
  'log.bulkApplied': Params<'count'>;
  'log.importResuming': Params<'row'>;
  'log.importCancelled': Params<'rows'>;
  'log.importRows': Params<'from' | 'to' | 'created' | 'updated' | 'skipped' | 'flagged' | 'invalid'>;
  'log.importFinished': Params<'created' | 'updated' | 'skipped' | 'flagged' | 'invalid'>;
  'log.importFinishedToList': Params<'created' | 'updated' | 'skipped' | 'flagged' | 'invalid' | 'added'>;
  'log.importPlanLimit': Params<'limit' | 'rows' | 'created' | 'nextRow'>;
  'log.searchListGone': None;
  'log.searchRerun': None;
  'log.searchSaved': Params<'new' | 'merged' | 'skipped'>;
  'log.searchFoundOsm': Params<'found' | 'unnamed'>;
  'log.searchFoundGoogle': Params<'found' | 'page' | 'closed'>;
  'log.searchEnriching': Params<'count'>;
  'log.enrichFailed': Params<'lead' | 'website' | 'error'>;
  'log.reportFailed': None;
  'log.siteRead': Params<'lead' | 'website' | 'pages' | 'findings'>;
  'log.siteNotRead': Params<'lead' | 'website'>;
  'log.siteUnreachable': Params<'lead' | 'website' | 'kind' | 'status'>;
  'log.geocoded': Params<'location' | 'place'>;
  'log.searchCountry': Params<'country'>;
  'log.searchNoCountry': None;
  'log.searchCountryUnknown': None;
  'log.searchingOsmCategory': Params<'categoryEn' | 'categoryAr' | 'tags'>;
  'log.searchingOsmName': Params<'query'>;
  'log.searchNotEnriched': None;
  'log.reportUploaded': None;
  'log.whatsappRefused': Params<'code' | 'title'>;
  'log.campaignUnconfirmed': Params<'count'>;
  'log.campaignStopped': Params<'reason'>;
  'log.campaignStoppedByMeta': Params<'stop' | 'metaCode' | 'title'>;
  'log.campaignStoppedDisconnected': None;
  'log.campaignStoppedTemplateDeleted': None;
  'log.campaignStoppedTemplateNotApproved': Params<'template' | 'status'>;
  'log.campaignHeld': None;
  'log.campaignThrottled': Params<'seconds'>;
  'log.workerStopped': None;
  'log.cancelledWorkerStopped': None;
  'error.listGone': None;
  'error.uploadGone': None;
  'error.uploadIncomplete': None;
  'error.placeUnknown': Params<'location'>;
  'error.googleKeyMissing': None;
  'error.googleKeyRefused': Params<'status' | 'message'>;
  'error.googleFailed': Params<'status' | 'message'>;
  'error.unexpected': Params<'error'>;
  'error.workerStopped': Params<'attempts'>;
};
export type JobTextCode = keyof JobTextParams;
export type JobText = {
  [C in JobTextCode]: JobTextParams[C] extends None ? { code: C; params?: None } : { code: C; params: JobTextParams[C] };
}[JobTextCode];
/** The steps a job reports with its progress. */
export type JobStep = Extract<JobTextCode, `step.${string}`>;

type JobMessages = Record<`jobText.${JobTextCode}`, string>;

const rowsEn = (n: string) => `{${n}, plural, one {# row} other {# rows}}`;
const leadsEn = (n: string) => `{${n}, plural, one {# lead} other {# leads}}`;
const rowsAr = (n: string) => `{${n}, plural, zero {# صف} one {صف واحد} two {صفين} few {# صفوف} many {# صفًا} other {# صف}}`;
const leadsAr = (n: string) => `{${n}, plural, zero {# عميل} one {عميل واحد} two {عميلين} few {# عملاء} many {# عميلًا} other {# عميل}}`;
const placesAr = (n: string) => `{${n}, plural, zero {# مكان} one {مكانًا واحدًا} two {مكانين} few {# أماكن} many {# مكانًا} other {# مكان}}`;

export const jobTextsEn = {
  'jobText.step.searchingOsm': 'Searching OpenStreetMap',
  'jobText.step.searchingGoogle': 'Searching Google Places',
  'jobText.step.visitingWebsites': 'Visiting websites',
  'jobText.step.importingRows': 'Importing rows',
  'jobText.step.stoppedAtPlanLimit': 'Stopped at the plan limit',
  'jobText.step.rendering': 'Rendering',
  'jobText.step.done': 'Done',
  'jobText.log.cancelled': 'Cancelled; work done before cancelling is kept.',
  'jobText.log.cancelledAt': 'Cancelled before finishing, after {done} of {total}.',
  'jobText.log.attemptFailed': 'Attempt {attempt} failed; it will be retried.',
  'jobText.log.bulkApplied': `Applied to ${leadsEn('count')}.`,
  'jobText.log.importResuming': 'Resuming after row {row} (earlier rows are already imported).',
  'jobText.log.importCancelled': `Cancelled after ${rowsEn('rows')}.`,
  'jobText.log.importRows':
    'Rows {from}–{to}: {created} created, {updated} updated, {skipped} skipped, {flagged} flagged, {invalid} refused.',
  'jobText.log.importFinished':
    'Finished: {created} created, {updated} updated, {skipped} skipped, {flagged} flagged for attention, {invalid} refused.',
  'jobText.log.importFinishedToList':
    'Finished: {created} created, {updated} updated, {skipped} skipped, {flagged} flagged for attention, {invalid} refused, {added} added to the list.',
  'jobText.log.importPlanLimit': `Stopped at the plan's limit of ${leadsEn('limit')}: ${rowsEn('rows')} imported ({created} new); the rows after row {nextRow} were not imported.`,
  'jobText.log.searchListGone': 'The target list no longer exists; leads are saved without a list.',
  'jobText.log.searchRerun': 'Running again: places saved by the earlier attempt are merged, not duplicated.',
  'jobText.log.searchSaved': 'Saved {new} new, merged {merged}, skipped {skipped}.',
  'jobText.log.searchFoundOsm':
    'Found {found, plural, one {# place} other {# places}} on OpenStreetMap ({unnamed} without a name, skipped).',
  'jobText.log.searchFoundGoogle':
    'Found {found, plural, one {# place} other {# places}} on Google Places (page {page}; {closed} permanently closed, skipped).',
  'jobText.log.searchEnriching': `Enriching ${leadsEn('count')} in a follow-up job.`,
  'jobText.log.enrichFailed': '{lead}: could not read {website}: {error}',
  'jobText.log.reportFailed': 'The report could not be rendered.',
  'jobText.log.siteRead':
    '{lead}: read {pages, plural, one {# page} other {# pages}} of {website}; {findings, plural, one {# finding} other {# findings}}.',
  'jobText.log.siteNotRead': '{lead}: {website} asks robots not to read it (robots.txt); nothing was read.',
  'jobText.log.siteUnreachable':
    '{lead}: {website} {kind, select, timeout {did not answer in time} dns {has no address (DNS)} tls {has a certificate that failed its check} refused {refused the connection} reset {dropped the connection} httpStatus {answered HTTP {status}} notHtml {is not an HTML page} redirectLoop {redirects in a loop} tooManyRedirects {redirects too many times} addressNotAllowed {points to an address that is not visited} unsupportedUrl {is not a web address that can be visited} other {could not be reached}}.',
  'jobText.log.geocoded': 'Found “{location}” as {place}.',
  'jobText.log.searchCountry': 'The searched point is in {country}; national phone numbers are read there.',
  'jobText.log.searchNoCountry': 'The searched point is in no known country; phone numbers are read as international only.',
  'jobText.log.searchCountryUnknown':
    'The country of the searched point could not be looked up; national phone numbers are read in the default country.',
  'jobText.log.searchingOsmCategory': 'Searching OpenStreetMap for {categoryEn} ({tags})',
  'jobText.log.searchingOsmName': 'No known category matches “{query}”; searching OpenStreetMap for places whose name contains it',
  'jobText.log.searchNotEnriched':
    'The found leads were not enriched: the enrichment job could not be started (for example at the plan limit).',
  'jobText.log.reportUploaded': 'Uploaded the report to WhatsApp.',
  'jobText.log.whatsappRefused': 'WhatsApp refused the message: {code} {title}',
  'jobText.log.campaignUnconfirmed': `${leadsEn('count')} had a message on the way when the previous run stopped; those messages are not sent again.`,
  'jobText.log.campaignStopped': 'The campaign stopped: {reason}',
  'jobText.log.campaignStoppedByMeta':
    'The campaign stopped: {stop, select, portfolioPaused {Meta paused messaging for the business portfolio (error {metaCode})} templatePaused {Meta paused the template for low quality (error {metaCode})} templateDisabled {Meta disabled the template (error {metaCode})} other {Meta refused the connection (error {metaCode}); reconnect WhatsApp in Settings}}: {title}',
  'jobText.log.campaignStoppedDisconnected':
    'The campaign stopped: WhatsApp was disconnected; connect it in Settings → WhatsApp and resume.',
  'jobText.log.campaignStoppedTemplateDeleted': 'The campaign stopped: The campaign’s template was deleted.',
  'jobText.log.campaignStoppedTemplateNotApproved':
    'The campaign stopped: The template {template} is {status}; only approved templates can be sent.',
  'jobText.log.campaignHeld': 'Meta is holding messages of this campaign for quality assessment; they may not be delivered.',
  'jobText.log.workerStopped': 'The worker running this job stopped responding; the job will run again and continue where it can.',
  'jobText.log.cancelledWorkerStopped': 'Cancelled: the worker running the job stopped before it noticed the request.',
  'jobText.log.campaignThrottled': "Meta's throughput limit was reached (130429); sending waits {seconds} s.",
  'jobText.error.listGone': 'The target list no longer exists.',
  'jobText.error.uploadGone': 'The uploaded file no longer exists. Upload it again.',
  'jobText.error.uploadIncomplete': 'Part of the uploaded file is missing. Upload it again.',
  'jobText.error.placeUnknown':
    'OpenStreetMap does not know a place called “{location}”. Check the spelling, add the country (e.g. “Riyadh, Saudi Arabia”) or search around a point instead.',
  'jobText.error.googleKeyMissing':
    'Google Places was chosen, but this organization has no Google Places API key saved. Save one in settings, or search OpenStreetMap only.',
  'jobText.error.googleKeyRefused':
    'Google Places refused the saved API key ({status}): {message} Check the key in the Google Places settings and that the Places API (New) is enabled for it.',
  'jobText.error.googleFailed': 'Google Places could not run the search ({status}): {message}',
  'jobText.error.unexpected': 'The job stopped on an unexpected error: {error}',
  'jobText.error.workerStopped':
    'The worker running this job stopped {attempts, plural, one {once} other {# times}}, so it will not be tried again. Start it again if it should still run.',
} satisfies JobMessages;

export const jobTextsAr = {
  'jobText.step.searchingOsm': 'جارٍ البحث في OpenStreetMap',
  'jobText.step.searchingGoogle': 'جارٍ البحث في Google Places',
  'jobText.step.visitingWebsites': 'جارٍ زيارة المواقع',
  'jobText.step.importingRows': 'جارٍ استيراد الصفوف',
  'jobText.step.stoppedAtPlanLimit': 'توقف عند حد الباقة',
  'jobText.step.rendering': 'جارٍ إنشاء الملف',
  'jobText.step.done': 'اكتمل',
  'jobText.log.cancelled': 'أُلغي؛ ويبقى ما أُنجز قبل الإلغاء.',
  'jobText.log.cancelledAt': 'أُلغي قبل الاكتمال، بعد {done} من {total}.',
  'jobText.log.attemptFailed': 'فشلت المحاولة {attempt}؛ وستُعاد.',
  'jobText.log.bulkApplied': `طُبّق على ${leadsAr('count')}.`,
  'jobText.log.importResuming': 'متابعة بعد الصف {row} (الصفوف السابقة مستوردة بالفعل).',
  'jobText.log.importCancelled': `أُلغي بعد ${rowsAr('rows')}.`,
  'jobText.log.importRows':
    'الصفوف {from}–{to}: أُنشئ {created}، وحُدّث {updated}، وتُخطّي {skipped}، ويحتاج {flagged} إلى مراجعة، ورُفض {invalid}.',
  'jobText.log.importFinished': 'اكتمل: أُنشئ {created}، وحُدّث {updated}، وتُخطّي {skipped}، ويحتاج {flagged} إلى مراجعة، ورُفض {invalid}.',
  'jobText.log.importFinishedToList':
    'اكتمل: أُنشئ {created}، وحُدّث {updated}، وتُخطّي {skipped}، ويحتاج {flagged} إلى مراجعة، ورُفض {invalid}، وأُضيف {added} إلى القائمة.',
  'jobText.log.importPlanLimit': `توقف عند حد الباقة البالغ ${leadsAr('limit')}: استُورد ${rowsAr('rows')} ({created} جديد)؛ ولم تُستورد الصفوف بعد الصف {nextRow}.`,
  'jobText.log.searchListGone': 'القائمة المستهدفة لم تعد موجودة؛ يُحفظ العملاء دون قائمة.',
  'jobText.log.searchRerun': 'تشغيل من جديد: الأماكن التي حفظتها المحاولة السابقة تُدمج ولا تتكرر.',
  'jobText.log.searchSaved': 'حُفظ {new} جديد، ودُمج {merged}، وتُخطّي {skipped}.',
  'jobText.log.searchFoundOsm': `وُجد ${placesAr('found')} في OpenStreetMap (تُخطّي {unnamed} بلا اسم).`,
  'jobText.log.searchFoundGoogle': `وُجد ${placesAr('found')} في Google Places (الصفحة {page}؛ وتُخطّي {closed} مغلق نهائيًا).`,
  'jobText.log.searchEnriching': `جارٍ إثراء ${leadsAr('count')} في مهمة لاحقة.`,
  'jobText.log.enrichFailed': '{lead}: تعذّرت قراءة {website}: {error}',
  'jobText.log.reportFailed': 'تعذّر إنشاء التقرير.',
  'jobText.log.siteRead':
    '{lead}: قُرئت {pages, plural, zero {# صفحة} one {صفحة واحدة} two {صفحتان} few {# صفحات} many {# صفحة} other {# صفحة}} من {website}؛ {findings, plural, zero {لا ملاحظات} one {ملاحظة واحدة} two {ملاحظتان} few {# ملاحظات} many {# ملاحظة} other {# ملاحظة}}.',
  'jobText.log.siteNotRead': '{lead}: يطلب {website} من الروبوتات عدم قراءته (robots.txt)؛ فلم يُقرأ شيء.',
  'jobText.log.siteUnreachable':
    '{lead}: الموقع {website} {kind, select, timeout {لم يستجب في الوقت المحدد} dns {ليس له عنوان (DNS)} tls {شهادته لم تجتز الفحص} refused {رفض الاتصال} reset {قطع الاتصال} httpStatus {أجاب برمز HTTP {status}} notHtml {ليس صفحة HTML} redirectLoop {يعيد التوجيه في حلقة} tooManyRedirects {يعيد التوجيه مرات كثيرة} addressNotAllowed {يشير إلى عنوان لا نزوره} unsupportedUrl {ليس عنوان ويب يمكن زيارته} other {تعذّر الوصول إليه}}.',
  'jobText.log.geocoded': 'وُجد «{location}» على أنه {place}.',
  'jobText.log.searchCountry': 'النقطة المبحوث حولها في {country}؛ وتُقرأ أرقام الهاتف المحلية على أساسها.',
  'jobText.log.searchNoCountry': 'النقطة المبحوث حولها ليست في دولة معروفة؛ وتُقرأ أرقام الهاتف الدولية فقط.',
  'jobText.log.searchCountryUnknown': 'تعذّر معرفة دولة النقطة المبحوث حولها؛ وتُقرأ أرقام الهاتف المحلية على أساس الدولة الافتراضية.',
  'jobText.log.searchingOsmCategory': 'جارٍ البحث في OpenStreetMap عن {categoryAr} ({tags})',
  'jobText.log.searchingOsmName': 'لا تطابق «{query}» أي فئة معروفة؛ جارٍ البحث في OpenStreetMap عن أماكن يحتوي اسمها عليها',
  'jobText.log.searchNotEnriched': 'لم يُثرَ العملاء الذين وُجدوا: تعذّر بدء مهمة الإثراء (مثلًا عند حد الباقة).',
  'jobText.log.reportUploaded': 'رُفع التقرير إلى واتساب.',
  'jobText.log.whatsappRefused': 'رفض واتساب الرسالة: {code} {title}',
  'jobText.log.campaignUnconfirmed': `كانت رسالة في طريقها إلى ${leadsAr('count')} حين توقف التشغيل السابق؛ ولن تُرسل مرة أخرى.`,
  'jobText.log.campaignStopped': 'توقفت الحملة: {reason}',
  'jobText.log.campaignStoppedByMeta':
    'توقفت الحملة: {stop, select, portfolioPaused {أوقفت Meta المراسلة لحساب الأعمال (الخطأ {metaCode})} templatePaused {أوقفت Meta القالب مؤقتًا لانخفاض جودته (الخطأ {metaCode})} templateDisabled {عطّلت Meta القالب (الخطأ {metaCode})} other {رفضت Meta الاتصال (الخطأ {metaCode})؛ أعد ربط واتساب من الإعدادات}}. التفاصيل: {title}',
  'jobText.log.campaignStoppedDisconnected': 'توقفت الحملة: فُصل واتساب؛ اربطه من الإعدادات ← واتساب ثم استأنف.',
  'jobText.log.campaignStoppedTemplateDeleted': 'توقفت الحملة: حُذف قالب الحملة.',
  'jobText.log.campaignStoppedTemplateNotApproved': 'توقفت الحملة: حالة القالب {template} هي {status}؛ لا تُرسل إلا القوالب المعتمدة.',
  'jobText.log.campaignHeld': 'تحتجز Meta رسائل هذه الحملة لتقييم الجودة؛ وقد لا تُسلَّم.',
  'jobText.log.workerStopped': 'توقف العامل الذي يشغّل هذه المهمة عن الاستجابة؛ ستعمل المهمة مرة أخرى وتكمل من حيث أمكن.',
  'jobText.log.cancelledWorkerStopped': 'أُلغيت: توقف العامل الذي يشغّل المهمة قبل أن يلاحظ الطلب.',
  'jobText.log.campaignThrottled': 'بلغت Meta حد معدل الإرسال (130429)؛ وينتظر الإرسال {seconds} ثانية.',
  'jobText.error.listGone': 'القائمة المستهدفة لم تعد موجودة.',
  'jobText.error.uploadGone': 'الملف المرفوع لم يعد موجودًا. ارفعه مرة أخرى.',
  'jobText.error.uploadIncomplete': 'جزء من الملف المرفوع مفقود. ارفعه مرة أخرى.',
  'jobText.error.placeUnknown':
    'لا يعرف OpenStreetMap مكانًا باسم «{location}». تحقق من الإملاء، أو أضف الدولة (مثل «الرياض، السعودية»)، أو ابحث حول نقطة بدلًا من ذلك.',
  'jobText.error.googleKeyMissing':
    'اخترت Google Places، لكن لا يوجد مفتاح Google Places API محفوظ لهذه المنشأة. احفظ مفتاحًا في الإعدادات، أو ابحث في OpenStreetMap فقط.',
  'jobText.error.googleKeyRefused':
    'رفض Google Places مفتاح API المحفوظ ({status}): {message} تحقق من المفتاح في إعدادات Google Places ومن تفعيل Places API (New) له.',
  'jobText.error.googleFailed': 'تعذّر على Google Places تنفيذ البحث ({status}): {message}',
  'jobText.error.unexpected': 'توقفت المهمة بسبب خطأ غير متوقع: {error}',
  'jobText.error.workerStopped':
    'توقف العامل الذي يشغّل هذه المهمة {attempts, plural, zero {# مرة} one {مرة واحدة} two {مرتين} few {# مرات} many {# مرة} other {# مرة}}، فلن تُعاد محاولتها. شغّلها مرة أخرى إن كان يجب أن تعمل.',
} satisfies JobMessages;
