import { PassThrough } from 'node:stream';
import { and, asc, eq } from 'drizzle-orm';
import type { Job } from '@optarget/shared';
import { jobLogs } from '../db/schema/index.js';
import { answerAsEventStream, type TenantStreamContext } from '../http/routes.js';
import { afterTime, exactTime, type TimePosition } from '../http/cursor.js';
import { findJobForTenant, toJobLogDto } from './service.js';

type JobLogRow = typeof jobLogs.$inferSelect;

/** Reads again when the job signals a change (see signals.ts), at most this often… */
const MIN_GAP_MS = 20;
/** …and at least this often, should a signal be lost. */
const POLL_MS = 2000;
const HEARTBEAT_MS = 15_000;
const MAX_STREAM_MS = 60 * 60 * 1000;
const ended = (job: Job) => job.status === 'SUCCEEDED' || job.status === 'FAILED' || job.status === 'CANCELLED';

/**
 * Streams a job as server-sent events: `job` whenever its status or progress changes, `log` for
 * each new log line, and `end` once it has finished. It reads the database when the job signals
 * a change, and polls as a fallback, so it works the same whichever process runs the job and on
 * both database drivers.
 */
export async function streamJobEvents(ctx: TenantStreamContext, jobId: string) {
  let job = await ctx.inTenant((tx) => findJobForTenant(tx, ctx.tenantId, jobId)); // 404 before any header is sent
  const stream = new PassThrough();
  const send = (event: string, data: unknown) => stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  let open = true;
  let changed = false;
  let wake: (() => void) | null = null;
  const stopListening = await ctx.services.queue.signals
    .onChanged(jobId, () => {
      changed = true;
      wake?.();
    })
    .catch(() => () => undefined); // no signals: the stream polls
  ctx.request.raw.on('close', () => {
    open = false;
    wake?.();
  });
  // The first change after a quiet spell is read at once; changes coming fast are read at most every MIN_GAP_MS.
  let lastRead = 0;
  const nextChange = async () => {
    if (!changed && open)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    wake = null;
    const gap = lastRead + MIN_GAP_MS - Date.now();
    if (gap > 0 && open) await new Promise((r) => setTimeout(r, gap));
    changed = false;
    lastRead = Date.now();
  };

  void (async () => {
    const startedAt = Date.now();
    let lastJob = '';
    let cursor: TimePosition | undefined;
    let lastBeat = Date.now();
    try {
      while (open && Date.now() - startedAt < MAX_STREAM_MS) {
        const snapshot = JSON.stringify(job);
        if (snapshot !== lastJob) {
          send('job', job);
          lastJob = snapshot;
        }
        const since = cursor;
        const logs: { log: JobLogRow; at: string }[] = await ctx.inTenant((tx) =>
          tx
            .select({ log: jobLogs, at: exactTime(jobLogs.createdAt) })
            .from(jobLogs)
            .where(and(eq(jobLogs.jobId, jobId), afterTime(since, jobLogs.createdAt, jobLogs.id, 'asc')))
            .orderBy(asc(jobLogs.createdAt), asc(jobLogs.id))
            .limit(200),
        );
        for (const { log } of logs) send('log', toJobLogDto(log));
        if (logs.length) cursor = { at: logs.at(-1)!.at, id: logs.at(-1)!.log.id };
        if (ended(job) && logs.length < 200) {
          send('end', { status: job.status });
          break;
        }
        if (Date.now() - lastBeat > HEARTBEAT_MS) {
          stream.write(': keep-alive\n\n');
          lastBeat = Date.now();
        }
        await nextChange();
        job = await ctx.inTenant((tx) => findJobForTenant(tx, ctx.tenantId, jobId));
      }
    } catch (err) {
      ctx.request.log.warn({ err, jobId }, 'job event stream stopped');
    } finally {
      stopListening();
      stream.end();
    }
  })();

  answerAsEventStream(ctx.reply);
  return stream;
}
