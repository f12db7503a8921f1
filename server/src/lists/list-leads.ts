import type { Readable } from 'node:stream';
import type { LeadFilter, LeadSort } from '@optarget/shared';
import type { TenantContext } from '../http/routes.js';
import { beginLeadExport, streamLeadCsv } from '../leads/export.js';
import { findLeadPage, leadConditions, leadPageAnswer, readCursor } from '../leads/query.js';
import { requireList } from './lists.js';

type ListLeadsQuery = Omit<LeadFilter, 'listId'> & { sort: LeadSort; cursor?: string; limit: number };

/** One page of the list's leads: the lead table's own query with the list as one more filter. */
export async function findLeadsOfList(ctx: TenantContext, listId: string, query: ListLeadsQuery) {
  const { tx, tenantId } = ctx;
  await requireList(tx, tenantId, listId);
  const { sort, cursor, limit, ...filter } = query;
  // One extra row tells whether another page exists without a count.
  return leadPageAnswer(
    await findLeadPage(tx, leadConditions(tenantId, { ...filter, listId }), sort, limit + 1, readCursor(cursor, sort)),
    limit,
  );
}

/**
 * Starts the CSV export of the list's leads (audited as a lead export filtered by the list) and
 * answers the file name and the stream, which reads after this transaction in its own ones.
 */
export async function exportLeadsOfList(
  ctx: TenantContext,
  listId: string,
  query: Omit<LeadFilter, 'listId'> & { sort: LeadSort },
): Promise<{ filename: string; body: Readable }> {
  const { tx, tenantId, actor, services } = ctx;
  const list = await requireList(tx, tenantId, listId);
  const { sort, ...rest } = query;
  const filter = { ...rest, listId };
  await beginLeadExport(tx, tenantId, filter, actor);
  return { filename: csvFilename(list.name), body: streamLeadCsv(services.db, tenantId, filter, sort) };
}

/** The list's name as an ASCII file name (header values cannot carry Arabic text), dated like the leads export. */
function csvFilename(listName: string) {
  const slug = listName
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'list'}-${new Date().toISOString().slice(0, 10)}.csv`;
}
