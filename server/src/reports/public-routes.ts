import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import { reports } from '../db/schema/index.js';
import { inTenantTransaction } from '../db/transactions.js';
import { notFound } from '../errors/catalogue.js';
import { publicRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { announceView } from './events.js';
import { findReportFile, sendReportFile } from './files.js';
import { sharePage } from './html.js';
import { recordView, resolveShare } from './shares.js';

// Any text: a malformed token is answered like a wrong one (404), never with a hint (400).
const ShareParams = z.object({ token: z.string().max(200) });
const tags = ['reports'];
const gone = () => notFound('This link does not open a report. It may have expired or been revoked.');

/** What every answer of a share link carries: kept out of search engines, caches and referrers. */
const keepPrivate = (reply: FastifyReply) =>
  reply
    .header('x-robots-tag', 'noindex, nofollow, noarchive')
    .header('cache-control', 'private, no-store')
    .header('referrer-policy', 'no-referrer');

/** The public side of share links: the report as a web page and its PDF, for anyone holding a live link. */
export function registerSharedReportRoutes(app: FastifyInstance, services: Services) {
  publicRoute(app, services, {
    method: 'GET',
    url: '/r/:token',
    summary: 'A shared report as a web page (no sign-in; each opening is recorded as a view)',
    tags,
    rateLimit: 'sharedReport',
    schema: { params: ShareParams },
    handler: async ({ request, reply }, { params }) => {
      keepPrivate(reply);
      const share = await resolveShare(services.db, params.token);
      if (!share) throw gone();
      const [report] = await inTenantTransaction(services.db, share.tenantId, (tx) =>
        tx
          .select({ document: reports.document })
          .from(reports)
          .where(and(eq(reports.tenantId, share.tenantId), eq(reports.id, share.reportId))),
      );
      if (!report?.document) throw gone();
      await recordView(services.db, share, request.headers['user-agent']);
      await announceView(services, share.tenantId).catch((err: Error) => request.log.warn({ err }, 'view signal not sent'));
      const { html, csp } = sharePage(report.document, `/r/${params.token}/pdf`);
      reply.header('content-type', 'text/html; charset=utf-8').header('content-security-policy', csp);
      return html;
    },
  });

  publicRoute(app, services, {
    method: 'GET',
    url: '/r/:token/pdf',
    summary: "A shared report's PDF (no sign-in)",
    tags,
    rateLimit: 'sharedReport',
    schema: { params: ShareParams },
    handler: async ({ reply }, { params }) => {
      keepPrivate(reply);
      const share = await resolveShare(services.db, params.token);
      if (!share) throw gone();
      const file = await inTenantTransaction(services.db, share.tenantId, (tx) => findReportFile(tx, share.tenantId, share.reportId));
      return sendReportFile(reply, services.db, share.tenantId, file);
    },
  });
}
