import { campaignStopOf, whatsappFailureNoteOf } from '@optarget/shared';
import { t, tDynamic } from '../i18n';

/** Meta's error codes people meet most, in plain words; others are named by their code with Meta's own title beside. */
const plainFailures = new Set([131047, 131026, 131049, 131050, 131056, 130429, 132015, 132016, 190]);

/** A reason in the user's language, and the words Meta answered with (the proof), shown as they came. */
export type Worded = { text: string; upstream: string | null };

/** Why a message could not be sent or delivered, from Meta's code and title or the reason OpTarget wrote. */
export function failureOf(m: { errorCode: number | null; errorTitle: string | null }): Worded {
  const note = whatsappFailureNoteOf(m.errorTitle);
  if (note) return { text: t(`whatsapp.failure.note.${note}`), upstream: null };
  const upstream = m.errorTitle || null;
  if (m.errorCode !== null && plainFailures.has(m.errorCode))
    return { text: tDynamic(`whatsapp.failure.${m.errorCode}`, t('whatsapp.failure.meta', { code: m.errorCode })), upstream };
  if (m.errorCode !== null) return { text: t('whatsapp.failure.meta', { code: m.errorCode }), upstream };
  return { text: t('whatsapp.failure.unknown'), upstream };
}

/** Why a campaign stopped, from Meta's code and the reason the campaign stores. */
export function campaignStopText(c: { stopCode: number | null; stopReason: string | null }): Worded | null {
  const stop = campaignStopOf(c.stopCode, c.stopReason);
  return stop && { text: t(`campaigns.stop.${stop.code}`, stop.params), upstream: stop.upstream };
}
