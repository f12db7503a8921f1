import { JobTextValue, type Job } from '@optarget/shared';
import { tDynamic } from '../i18n';

export type JobStatus = Job['status'];

export const jobStatusColor: Record<JobStatus, string> = {
  PENDING: 'gray',
  RUNNING: 'blue',
  SUCCEEDED: 'green',
  FAILED: 'red',
  CANCELLED: 'orange',
};

export const jobStatusLabel = (s: JobStatus) => tDynamic(`job.status.${s}`, s);
export const evidenceKindLabel = (k: string) => tDynamic(`evidence.kind.${k}`, k);
export const jobTypeLabel = (type: string) => tDynamic(`job.type.${type}`, type);

/** A job text (a step, log line or failure the server sent as a code) in the user's language, else the server's English. */
export function jobTextOf(text: unknown, english: string): string {
  const parsed = JobTextValue.safeParse(text);
  return parsed.success ? tDynamic(`jobText.${parsed.data.code}`, english, parsed.data.params) : english;
}

/** Why a job did not succeed, in the user's language: its error as a job text, else its status. */
export const jobFailure = (job: Pick<Job, 'status' | 'error' | 'errorText'>) =>
  job.error ? jobTextOf(job.errorText, job.error) : jobStatusLabel(job.status);

/** The current step: a step code in the user's language, or a name (a lead's) as it is. */
export const jobStepLabel = (step: string) => tDynamic(`jobText.${step}`, step);

export const isActive = (job: Pick<Job, 'status'> | null | undefined) => !!job && (job.status === 'PENDING' || job.status === 'RUNNING');
export const isFinished = (job: Pick<Job, 'status'> | null | undefined) => !!job && !isActive(job);

/** "1 h 2 min", "3 min 4 s", "5 s" — from start (or creation) to finish (or now). */
export function jobDuration(job: Job, now = Date.now()): string | null {
  const start = job.startedAt ?? null;
  if (!start) return null;
  const end = job.finishedAt ? Date.parse(job.finishedAt) : now;
  const secs = Math.max(0, Math.round((end - Date.parse(start)) / 1000));
  if (secs < 60) return `${secs} s`;
  const mins = Math.floor(secs / 60);
  if (mins < 60) return `${mins} min ${secs % 60} s`;
  return `${Math.floor(mins / 60)} h ${mins % 60} min`;
}

/** Percent done, or null while the total is unknown. */
export function jobPercent(job: Job): number | null {
  const { done, total } = job.progress;
  if (total === null || total <= 0) return isFinished(job) && job.status === 'SUCCEEDED' ? 100 : null;
  return Math.min(100, Math.round((done / total) * 100));
}
