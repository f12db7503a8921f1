import { sql } from 'drizzle-orm';
import type { Tx } from '../db/transactions.js';
import { rowsOf, type JsonRow } from './restore-rows.js';

/**
 * What undoing a merge needs of one merged lead, read before the merge: its row, the ids of the
 * rows the merge moves by changing their lead or loses their lead (evidence, reports, messages,
 * campaign recipients, sources with an id, earlier merges into it), and the rows its deletion removes (list memberships, jobs, sources
 * without an id, its conversation, its duplicate flags and dismissals), all as the database keeps them.
 */
export type MergedLeadRestore = {
  lead: JsonRow;
  evidence: string[];
  reports: string[];
  messages: string[];
  /** Absent from snapshots of merges made before recipients were kept. */
  recipients?: string[];
  sources: string[];
  merges: string[];
  rows: {
    lead_lists: JsonRow[];
    job_leads: JsonRow[];
    lead_sources: JsonRow[];
    whatsapp_conversations: JsonRow[];
    lead_duplicates: JsonRow[];
    lead_duplicate_dismissals: JsonRow[];
  };
};

/** The kept lead before and after a merge, and which rows the merge gave it that were not the merged leads' own. */
export type KeptLeadRestore = {
  before: JsonRow;
  after: JsonRow;
  conversationBefore: JsonRow | null;
  conversationAfter: JsonRow | null;
  /** Its sources without an id (one per kind), which take in the merged leads' of the same kind. */
  sourcesBefore: JsonRow[];
  sourcesAfter: JsonRow[];
  addedLists: { list_id: string; added_at: string }[];
  addedJobs: string[];
  addedDuplicates: { lead_id: string; other_lead_id: string }[];
};

const ids = (table: string, extra = '') =>
  sql.raw(`(select coalesce(jsonb_agg(x.id), '[]') from ${table} x where x.tenant_id = m.tenant_id and x.lead_id = m.id ${extra})`);
const rows = (table: string, where = 'x.lead_id = m.id') =>
  sql.raw(`(select coalesce(jsonb_agg(to_jsonb(x)), '[]') from ${table} x where x.tenant_id = m.tenant_id and (${where}))`);

export async function readMergedLeads(tx: Tx, tenantId: string, mergedIds: string[]): Promise<Map<string, MergedLeadRestore>> {
  const found = await rowsOf<{ id: string; restore: MergedLeadRestore }>(
    tx,
    sql`select m.id, jsonb_build_object(
      'lead', to_jsonb(m),
      'evidence', ${ids('evidence')},
      'reports', ${ids('reports')},
      'messages', ${ids('whatsapp_messages')},
      'recipients', ${ids('whatsapp_campaign_recipients')},
      'sources', ${ids('lead_sources', 'and x.source_id is not null')},
      'merges', (select coalesce(jsonb_agg(x.id), '[]') from lead_merges x where x.tenant_id = m.tenant_id and x.kept_lead_id = m.id and x.undone_at is null),
      'rows', jsonb_build_object(
        'lead_lists', ${rows('lead_lists')},
        'job_leads', ${rows('job_leads')},
        'lead_sources', ${rows('lead_sources', 'x.lead_id = m.id and x.source_id is null')},
        'whatsapp_conversations', ${rows('whatsapp_conversations')},
        'lead_duplicates', ${rows('lead_duplicates', 'x.lead_id = m.id or x.other_lead_id = m.id')},
        'lead_duplicate_dismissals', ${rows('lead_duplicate_dismissals', 'x.lead_id = m.id or x.other_lead_id = m.id')}
      )) as restore
    from leads m where m.tenant_id = ${tenantId} and m.id = any(${`{${mergedIds.join(',')}}`}::uuid[])`,
  );
  return new Map(found.map((r) => [r.id, r.restore]));
}

/** The kept lead's row, its conversation and its sources without an id, as they are now. */
export async function readKeptLead(tx: Tx, tenantId: string, keepId: string) {
  const [found] = await rowsOf<{ lead: JsonRow; conversation: JsonRow | null; sources: JsonRow[] }>(
    tx,
    sql`select to_jsonb(m) as lead,
      (select to_jsonb(x) from whatsapp_conversations x where x.tenant_id = m.tenant_id and x.lead_id = m.id) as conversation,
      ${rows('lead_sources', 'x.lead_id = m.id and x.source_id is null')} as sources
    from leads m where m.tenant_id = ${tenantId} and m.id = ${keepId}`,
  );
  return found;
}
