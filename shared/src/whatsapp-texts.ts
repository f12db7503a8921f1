import type { JobText } from './job-texts.js';

/**
 * The texts OpTarget itself writes about WhatsApp sends, as stable keys with their English. The
 * server stores the English (for the API, the CSV and old rows); the web reads the key back from
 * it and words it in the user's language. Meta's own words (an error's title) are kept beside
 * as they came: they are the proof of what Meta answered.
 */
export const whatsappFailureNotes = {
  unreachable: 'WhatsApp could not be reached',
  notJson: 'WhatsApp answered something other than JSON',
  noMessageId: 'WhatsApp accepted the message without giving its id',
  reportGone: 'The report was deleted or is being regenerated',
  disconnected: 'WhatsApp was disconnected before the message was sent',
  optedOut: 'The lead opted out before the message was sent',
  optInWithdrawn: 'The lead’s opt-in was withdrawn before the message was sent',
  campaignCancelled: 'The campaign was cancelled before this message was sent',
  workerStopped: 'The sending worker stopped during this send; it is not sent again so nobody gets it twice',
} as const;
export type WhatsappFailureNote = keyof typeof whatsappFailureNotes;

export const whatsappFailureNotesAr: Record<WhatsappFailureNote, string> = {
  unreachable: 'تعذّر الوصول إلى واتساب',
  notJson: 'أجاب واتساب بشيء غير JSON',
  noMessageId: 'قبل واتساب الرسالة دون أن يعطي معرّفها',
  reportGone: 'حُذف التقرير أو يُعاد إنشاؤه',
  disconnected: 'فُصل واتساب قبل إرسال الرسالة',
  optedOut: 'ألغى العميل اشتراكه قبل إرسال الرسالة',
  optInWithdrawn: 'سُحبت موافقة العميل قبل إرسال الرسالة',
  campaignCancelled: 'أُلغيت الحملة قبل إرسال هذه الرسالة',
  workerStopped: 'توقف عامل الإرسال أثناء هذا الإرسال؛ ولن تُرسل مرة أخرى كي لا تصل أحدًا مرتين',
};

/** The notes as sentences under the web app's message keys (the recipients CSV uses them bare). */
const asMessages = (notes: Record<WhatsappFailureNote, string>) =>
  Object.fromEntries(Object.entries(notes).map(([note, text]) => [`whatsapp.failure.note.${note}`, `${text}.`])) as Record<
    `whatsapp.failure.note.${WhatsappFailureNote}`,
    string
  >;
export const whatsappFailureMessagesEn = asMessages(whatsappFailureNotes);
export const whatsappFailureMessagesAr = asMessages(whatsappFailureNotesAr);

const noteByText = new Map(Object.entries(whatsappFailureNotes).map(([key, text]) => [text as string, key as WhatsappFailureNote]));

/** The key of a failure title OpTarget wrote, or null when the title is Meta's own. */
export const whatsappFailureNoteOf = (title: string | null | undefined): WhatsappFailureNote | null =>
  (title && noteByText.get(title)) || null;

/** Meta's errors that stop a campaign, each with what it means. */
const metaStops = {
  135000: { code: 'portfolioPaused', sentence: 'Meta paused messaging for the business portfolio (error 135000)' },
  132015: { code: 'templatePaused', sentence: 'Meta paused the template for low quality (error 132015)' },
  132016: { code: 'templateDisabled', sentence: 'Meta disabled the template (error 132016)' },
} as const satisfies Record<number, { code: string; sentence: string }>;
type MetaStopCode = keyof typeof metaStops;
const isMetaStop = (code: number): code is MetaStopCode => code in metaStops;

export const campaignStopCodes = [
  'portfolioPaused',
  'templatePaused',
  'templateDisabled',
  'reconnect',
  'disconnected',
  'templateDeleted',
  'templateNotApproved',
  'other',
] as const;
export type CampaignStopCode = (typeof campaignStopCodes)[number];
export type CampaignStop = { code: CampaignStopCode; params: Record<string, string | number>; upstream: string | null };

/** A campaign's own stop reasons, without an error of Meta's. */
export const campaignStopReasons = {
  disconnected: 'WhatsApp was disconnected; connect it in Settings → WhatsApp and resume.',
  templateDeleted: 'The campaign’s template was deleted.',
  templateNotApproved: (template: string, status: string) => `The template ${template} is ${status}; only approved templates can be sent.`,
};
const NOT_APPROVED = /^The template (.+) is ([A-Z_]+); only approved templates can be sent\.$/;

/** Whether an error Meta answered a campaign's send with stops the whole campaign (besides the reconnect codes). */
export const isCampaignStopCode = (metaCode: number) => isMetaStop(metaCode);

const metaSentence = (metaCode: number) =>
  isMetaStop(metaCode) ? metaStops[metaCode].sentence : `Meta refused the connection (error ${metaCode}); reconnect WhatsApp in Settings`;

/** The stored reason of a campaign Meta stopped: what it means, then Meta's own title. */
export const metaStopReason = (metaCode: number, title: string) => `${metaSentence(metaCode)}: ${title}`;

/**
 * Why a campaign stopped, as a key the web words, read from what the campaign stores (Meta's code
 * and the English reason); Meta's own title is the `upstream` text, shown as it came.
 */
export function campaignStopOf(stopCode: number | null, stopReason: string | null): CampaignStop | null {
  if (stopReason === null) return null;
  if (stopCode !== null) {
    const prefix = `${metaSentence(stopCode)}: `;
    return {
      code: isMetaStop(stopCode) ? metaStops[stopCode].code : 'reconnect',
      params: { metaCode: stopCode },
      upstream: stopReason.startsWith(prefix) ? stopReason.slice(prefix.length) : stopReason,
    };
  }
  if (stopReason === campaignStopReasons.disconnected) return { code: 'disconnected', params: {}, upstream: null };
  if (stopReason === campaignStopReasons.templateDeleted) return { code: 'templateDeleted', params: {}, upstream: null };
  const notApproved = NOT_APPROVED.exec(stopReason);
  if (notApproved) return { code: 'templateNotApproved', params: { template: notApproved[1], status: notApproved[2] }, upstream: null };
  return { code: 'other', params: {}, upstream: stopReason };
}

/**
 * The job log line saying a campaign stopped, as a job text naming the reason's case, so the web
 * words it; Meta's own title stays a value shown as it came.
 */
export function campaignStopJobText(stopCode: number | null, stopReason: string): JobText {
  const stop = campaignStopOf(stopCode, stopReason);
  if (stop && stopCode !== null)
    return { code: 'log.campaignStoppedByMeta', params: { stop: stop.code, metaCode: stopCode, title: stop.upstream ?? '' } };
  if (stop?.code === 'disconnected') return { code: 'log.campaignStoppedDisconnected' };
  if (stop?.code === 'templateDeleted') return { code: 'log.campaignStoppedTemplateDeleted' };
  if (stop?.code === 'templateNotApproved')
    return {
      code: 'log.campaignStoppedTemplateNotApproved',
      params: { template: String(stop.params.template), status: String(stop.params.status) },
    };
  return { code: 'log.campaignStopped', params: { reason: stopReason } };
}
