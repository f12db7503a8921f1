import { sql, type SQL } from 'drizzle-orm';
import type { OutreachFilter } from '@optarget/shared';
import { leads } from '../db/schema/index.js';

/** Messages Meta took (or refused): a QUEUED one has not reached anyone yet. */
export const SENT_OUT = sql.raw(`o.direction = 'OUT' and o.status <> 'QUEUED'`);

/**
 * Leads by what they did in WhatsApp outreach since `from` (when given), as a condition on the
 * lead row. The lead table's `outreach` filter and the dashboard's counts both use it, so a number
 * and the leads its link opens cannot disagree.
 */
export function outreachCondition(tenantId: string, kind: OutreachFilter, from: string | undefined): SQL {
  const since = (column: string) => (from ? sql` and ${sql.raw(column)} >= ${from}::timestamptz` : sql``);
  const sentOut = (extra: SQL) =>
    sql`exists (select 1 from whatsapp_messages o where o.tenant_id = ${tenantId} and o.lead_id = ${leads.id} and ${SENT_OUT}${since('o.created_at')}${extra})`;
  switch (kind) {
    case 'messaged':
      return sentOut(sql``);
    case 'delivered':
      return sentOut(sql` and o.status in ('DELIVERED', 'READ')`);
    case 'failed':
      return sentOut(sql` and o.status = 'FAILED'`);
    case 'replied':
      return sentOut(sql` and ${repliedTo(tenantId)}`);
    case 'optedOut':
      return sql`exists (select 1 from whatsapp_conversations c where c.tenant_id = ${tenantId} and c.lead_id = ${leads.id} and c.consent = 'OPTED_OUT'${since('c.consent_at')})`;
    case 'awaitingReply':
      // The lead wrote last: no message of ours since their latest one, whenever that was.
      return sql`exists (select 1 from whatsapp_conversations c where c.tenant_id = ${tenantId} and c.lead_id = ${leads.id} and c.last_inbound_at is not null
        and not exists (select 1 from whatsapp_messages a where a.tenant_id = ${tenantId} and a.lead_id = ${leads.id} and a.direction = 'OUT' and a.created_at >= c.last_inbound_at))`;
    case 'reportViewed':
      return sql`exists (select 1 from report_views v join reports r on r.id = v.report_id where v.tenant_id = ${tenantId} and r.tenant_id = ${tenantId} and r.lead_id = ${leads.id}${since('v.viewed_at')})`;
  }
}

/** The outgoing message `o` was followed by a message from its lead. */
export const repliedTo = (tenantId: string) =>
  sql`exists (select 1 from whatsapp_messages i where i.tenant_id = ${tenantId} and i.lead_id = o.lead_id and i.direction = 'IN' and coalesce(i.received_at, i.created_at) > o.created_at)`;
