import { and, asc, eq } from 'drizzle-orm';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { skipReasons, type SkipCounts, type SkipReason, type TemplateParameter } from '@optarget/shared';
import { leadLists, leads, whatsappConversations } from '../../db/schema/index.js';
import type { Tx } from '../../db/transactions.js';
import { countUsage, findTenantPlan, limitOf } from '../../plans/limits.js';

/** One lead of the list as the campaign sees it: who gets the message with which values, or why not. */
export type AudienceMember = {
  leadId: string;
  phone: string | null;
  country: string | null;
  parameters: string[] | null;
  skipReason: SkipReason | null;
};

export const noSkips = (): SkipCounts => Object.fromEntries(skipReasons.map((r) => [r, 0])) as SkipCounts;

/** The phone when WhatsApp can reach it (a valid international number), with the country it belongs to. */
function reachable(phone: string | null, fallbackCountry: string | null) {
  const parsed = phone ? parsePhoneNumberFromString(phone) : undefined;
  if (!parsed?.isValid()) return null;
  return { phone: parsed.number, country: parsed.country ?? fallbackCountry?.toUpperCase() ?? null };
}

/** Messages the plan still allows this month. */
export async function planRemaining(tx: Tx, tenantId: string): Promise<number> {
  const plan = await findTenantPlan(tx, tenantId);
  return Math.max(0, limitOf(plan, 'whatsappMessages') - (await countUsage(tx, tenantId, 'whatsappMessages')));
}

/**
 * Every lead of the list in the list's order, each with its reason to be skipped, checked in this
 * order: no valid phone, opted out, no opt-in, a mapped field the lead lacks, a phone an earlier
 * lead already has, and past the messages the plan still allows this month.
 */
export async function classifyAudience(
  tx: Tx,
  tenantId: string,
  listId: string,
  mapping: TemplateParameter[],
  remaining: number,
): Promise<AudienceMember[]> {
  const rows = await tx
    .select({
      leadId: leads.id,
      name: leads.name,
      city: leads.city,
      category: leads.category,
      website: leads.website,
      email: leads.email,
      phone: leads.phone,
      country: leads.country,
      consent: whatsappConversations.consent,
    })
    .from(leadLists)
    .innerJoin(leads, and(eq(leads.id, leadLists.leadId), eq(leads.tenantId, tenantId)))
    .leftJoin(whatsappConversations, and(eq(whatsappConversations.tenantId, tenantId), eq(whatsappConversations.leadId, leads.id)))
    .where(and(eq(leadLists.tenantId, tenantId), eq(leadLists.listId, listId)))
    .orderBy(asc(leadLists.addedAt), asc(leads.id));
  const phones = new Set<string>();
  let receiving = 0;
  return rows.map((row) => {
    const target = reachable(row.phone, row.country);
    // A report link is per lead and made on demand; campaigns refuse it (campaigns.ts), so it never has a value here.
    const parameters = mapping.map((p) => (p.source === 'text' ? p.text : p.source === 'field' ? (row[p.field] ?? '').trim() : ''));
    const skipReason: SkipReason | null = !target
      ? 'NO_PHONE'
      : row.consent === 'OPTED_OUT'
        ? 'OPTED_OUT'
        : row.consent !== 'OPTED_IN'
          ? 'NO_CONSENT'
          : parameters.some((v) => !v)
            ? 'MISSING_VALUE'
            : phones.has(target.phone)
              ? 'DUPLICATE_PHONE'
              : receiving >= remaining
                ? 'PLAN_LIMIT'
                : null;
    if (!skipReason) {
      phones.add(target!.phone);
      receiving++;
    }
    return {
      leadId: row.leadId,
      phone: target?.phone ?? row.phone,
      country: target?.country ?? null,
      parameters: skipReason ? null : parameters,
      skipReason,
    };
  });
}

export function countSkips(members: Pick<AudienceMember, 'skipReason'>[]): SkipCounts {
  const counts = noSkips();
  for (const m of members) if (m.skipReason) counts[m.skipReason]++;
  return counts;
}
