import type { FastifyInstance } from 'fastify';
import { AuditListQuery, AuditPage, AuditQuery, TenantParams } from '@optarget/shared';
import { firstPageTotal } from '../db/count.js';
import { answerAsCsvDownload, tenantRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { timeCursor } from '../http/cursor.js';
import { beginAuditExport, streamAuditCsv } from './export.js';
import { auditConditions, findAuditEntries, matchingAuditEntries } from './query.js';

const tags = ['audit'];

export function registerAuditRoutes(app: FastifyInstance, services: Services) {
  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/audit-logs',
    summary: 'Audit log entries, newest first, filtered and paginated by cursor',
    tags,
    permission: 'audit.read',
    schema: { params: TenantParams, querystring: AuditListQuery, response: { 200: AuditPage } },
    handler: async ({ tx, tenantId }, { query }) => {
      const { cursor, limit, ...filters } = query;
      // One extra row tells whether another page exists without a count.
      const rows = await findAuditEntries(tx, auditConditions(tenantId, filters, timeCursor.read(cursor)), limit + 1);
      const items = rows.slice(0, limit);
      const nextCursor = rows.length > limit ? timeCursor.encode(items[items.length - 1].cursor) : null;
      const total = await firstPageTotal(tx, cursor, () => matchingAuditEntries(tx, auditConditions(tenantId, filters)));
      return { items: items.map(({ cursor: _position, ...entry }) => entry), nextCursor, total };
    },
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/audit-logs/export.csv',
    rateLimit: 'export',
    summary: 'Every audit log entry matching the filters as a CSV file (the export is itself audited)',
    tags,
    permission: 'audit.read',
    schema: { params: TenantParams, querystring: AuditQuery },
    handler: async ({ tx, tenantId, actor, reply }, { query }) => {
      const exported = await beginAuditExport(tx, tenantId, query, actor);
      answerAsCsvDownload(reply, exported.filename);
      return streamAuditCsv(services.db, tenantId, query, exported.start);
    },
  });
}
