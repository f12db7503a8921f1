import { PassThrough } from 'node:stream';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { ReportViewedEvent } from '@optarget/shared';
import { reportViews, reports } from '../db/schema/index.js';
import type { Services } from '../http/services.js';
import { answerAsEventStream, type TenantStreamContext } from '../http/routes.js';

/** Reads again at least this often, should a signal be lost. */
const POLL_MS = 3000;
const HEARTBEAT_MS = 15_000;
const MAX_STREAM_MS = 60 * 60 * 1000;

/** The key of the signal a view of the tenant's shared reports raises (jobs/signals.ts carries it between processes). */
const viewSignal = (tenantId: string) => `report-views:${tenantId}`;

export const announceView = (services: Services, tenantId: string) => services.queue.signals.announceChanged(viewSignal(tenantId));

/**
 * Streams, as server-sent events (`viewed`), each view of a report the signed-in person created
 * from the moment they connect, so the app can tell them while they are in it.
 */
export async function streamReportViews(ctx: TenantStreamContext) {
  const stream = new PassThrough();
  let open = true;
  let wake: (() => void) | null = null;
  const stopListening = await ctx.services.queue.signals.onChanged(viewSignal(ctx.tenantId), () => wake?.()).catch(() => () => undefined);
  ctx.request.raw.on('close', () => {
    open = false;
    wake?.();
  });
  let since = new Date();

  void (async () => {
    const startedAt = Date.now();
    let lastBeat = Date.now();
    try {
      while (open && Date.now() - startedAt < MAX_STREAM_MS) {
        const rows = await ctx.inTenant((tx) =>
          tx
            .select({ reportId: reports.id, subjectName: reports.subjectName, device: reportViews.device, viewedAt: reportViews.viewedAt })
            .from(reportViews)
            .innerJoin(reports, eq(reports.id, reportViews.reportId))
            .where(
              and(
                eq(reportViews.tenantId, ctx.tenantId),
                eq(reports.createdByUserId, ctx.session.user.id),
                gt(reportViews.viewedAt, since),
              ),
            )
            .orderBy(asc(reportViews.viewedAt))
            .limit(50),
        );
        for (const row of rows) {
          const event: ReportViewedEvent = {
            ...row,
            device: row.device as ReportViewedEvent['device'],
            viewedAt: row.viewedAt.toISOString(),
          };
          stream.write(`event: viewed\ndata: ${JSON.stringify(event)}\n\n`);
          since = row.viewedAt;
        }
        if (Date.now() - lastBeat > HEARTBEAT_MS) {
          stream.write(': keep-alive\n\n');
          lastBeat = Date.now();
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, POLL_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    } catch (err) {
      ctx.request.log.warn({ err }, 'report view stream stopped');
    } finally {
      stopListening();
      stream.end();
    }
  })();

  answerAsEventStream(ctx.reply);
  // Tells the client the stream is open, so it knows views from now on will arrive.
  stream.write(': open\n\n');
  return stream;
}
