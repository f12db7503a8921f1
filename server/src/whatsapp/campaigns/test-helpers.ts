// Test-only: a tenant ready for campaigns (connected, templates synced) and lists of leads with
// their consent, written straight to the database so a list of hundreds takes milliseconds.
import { eq } from 'drizzle-orm';
import type { ConsentState } from '@optarget/shared';
import { leadLists, leads, lists, tenants, whatsappConversations } from '../../db/schema/index.js';
import type { Db } from '../../db/client.js';
import type { SignedUpUser } from '../../test/harness.js';

export type SeedLead = { name: string; phone: string | null; city?: string | null; consent?: ConsentState };

export const campaignsUrl = (who: SignedUpUser, rest = '') => `/api/v1/tenants/${who.tenantId}/whatsapp/campaigns${rest}`;

/** `count` opted-in leads with Saudi mobile numbers +96650xxxxxxx, numbered from `from`. */
export const optedInLeads = (count: number, from = 0): SeedLead[] =>
  Array.from({ length: count }, (_, i) => ({
    name: `Campaign Lead ${from + i + 1}`,
    phone: `+96650${String(1_000_000 + from + i).padStart(7, '0')}`,
    city: 'Riyadh',
    consent: 'OPTED_IN',
  }));

/** A list holding the leads in the given order (one second apart), with each lead's consent recorded. */
export async function seedList(db: Db, tenantId: string, people: SeedLead[], name = `Campaign list ${Math.random()}`) {
  const [list] = await db.insert(lists).values({ tenantId, name }).returning();
  const ids: string[] = [];
  const base = Date.now() - people.length * 1000;
  for (let i = 0; i < people.length; i += 500) {
    const chunk = people.slice(i, i + 500);
    const rows = await db
      .insert(leads)
      .values(chunk.map((p) => ({ tenantId, name: p.name, phone: p.phone, city: p.city ?? null, source: 'manual' as const })))
      .returning({ id: leads.id });
    ids.push(...rows.map((r) => r.id));
    await db
      .insert(leadLists)
      .values(rows.map((r, j) => ({ tenantId, listId: list.id, leadId: r.id, addedAt: new Date(base + (i + j) * 1000) })));
    const consented = rows.flatMap((r, j) =>
      chunk[j].consent && chunk[j].consent !== 'NONE' ? [{ leadId: r.id, consent: chunk[j].consent }] : [],
    );
    if (consented.length) {
      await db.insert(whatsappConversations).values(
        consented.map((c) => ({
          tenantId,
          leadId: c.leadId,
          consent: c.consent,
          consentAt: new Date(0),
          consentSource: 'RECORDED_BY_MEMBER',
        })),
      );
    }
  }
  return { listId: list.id, leadIds: ids };
}

/** Business plan: 10,000 messages a month. */
export const upgrade = (db: Db, tenantId: string) => db.update(tenants).set({ planCode: 'business' }).where(eq(tenants.id, tenantId));

type Query = (text: string, values: unknown[]) => Promise<{ rows: any[] }>;

/**
 * A list of `count` opted-in leads with Saudi mobile numbers +96650xxxxxxx numbered from `from`,
 * in one statement through any PostgreSQL client (tests in other processes, the benchmark).
 */
export async function seedOptedInList(query: Query, tenantId: string, count: number, from: number): Promise<string> {
  const [list] = (await query(`insert into lists (tenant_id, name) values ($1, $2) returning id`, [tenantId, `Opted in from ${from}`]))
    .rows;
  await query(
    `with made as (
       insert into leads (tenant_id, name, phone, city, source)
       select $1, 'Campaign Lead ' || (i + 1), '+96650' || lpad((1000000 + i)::text, 7, '0'), 'Riyadh', 'manual'
       from generate_series($3::int, $3::int + $4::int - 1) i
       returning id, phone),
     listed as (
       insert into lead_lists (tenant_id, list_id, lead_id, added_at)
       select $1, $2, id, now() - interval '1 hour' + (row_number() over (order by phone)) * interval '1 ms' from made)
     insert into whatsapp_conversations (tenant_id, lead_id, consent, consent_source, consent_at)
     select $1, id, 'OPTED_IN', 'RECORDED_BY_MEMBER', now() from made`,
    [tenantId, list.id, from, count],
  );
  return list.id as string;
}
