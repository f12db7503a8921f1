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
  'error.listGone': None;
  'error.uploadGone': None;
  'error.uploadIncomplete': None;
  'error.placeUnknown': Params<'location'>;
  'error.googleKeyMissing': None;
  'error.googleKeyRefused': Params<'status' | 'message'>;
  'error.googleFailed': Params<'status' | 'message'>;
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
} satisfies JobMessages;
