import { IntlMessageFormat } from 'intl-messageformat';
import { jobTextsEn, type JobText } from '@optarget/shared';

/** The English of a job text, stored beside its code for the API, the CSV of logs and operators. */
export function renderJobText(text: JobText): string {
  return String(new IntlMessageFormat(jobTextsEn[`jobText.${text.code}`], 'en', undefined, { ignoreTag: true }).format(text.params ?? {}));
}

/** A log message either as it is, or as a job text whose code and parameters travel in the line's data. */
export const logLine = (message: string | JobText): { message: string; text: JobText | null } =>
  typeof message === 'string' ? { message, text: null } : { message: renderJobText(message), text: message };
