import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { renderFinding, type ReportLanguage } from '@optarget/shared';
import { evidence, leadLists, leads, lists } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { getBranding } from '../settings/branding.js';
import { fill, reportLabels } from './labels.js';
import { documentFrame } from './frame.js';
import { runsFor } from './runs.js';

const TOP_FINDINGS = 3;
/** Score bands of the distribution chart. */
const bands = [0, 20, 40, 60, 80] as const;

/** A list's leads ranked by score with their heaviest findings. Null when the list is not the tenant's. */
export async function loadListReport(tx: Tx, tenantId: string, listId: string) {
  const [list] = await tx
    .select()
    .from(lists)
    .where(and(eq(lists.tenantId, tenantId), eq(lists.id, listId)));
  if (!list) return null;
  const members = await tx
    .select({ id: leads.id, name: leads.name, city: leads.city, score: leads.score, source: leads.source })
    .from(leadLists)
    .innerJoin(leads, eq(leads.id, leadLists.leadId))
    .where(and(eq(leadLists.tenantId, tenantId), eq(leadLists.listId, listId)))
    .orderBy(desc(leads.score), asc(leads.name));
  const rows = members.length
    ? await tx
        .select({ leadId: evidence.leadId, kind: evidence.kind, params: evidence.params, weight: evidence.weight })
        .from(evidence)
        .where(
          and(
            eq(evidence.tenantId, tenantId),
            inArray(
              evidence.leadId,
              members.map((m) => m.id),
            ),
          ),
        )
        .orderBy(desc(evidence.weight), asc(evidence.kind))
    : [];
  return { list, members, rows, branding: await getBranding(tx, tenantId) };
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadListReport>>>;

/** The market map of a list: the score distribution and every lead ranked by score. */
export function composeListDocument({ list, members, rows, branding }: Loaded, language: ReportLanguage, now: Date) {
  const L = reportLabels[language];
  const r = runsFor(language, branding.digits);
  const distribution = bands.map((from, i) => {
    const to = bands[i + 1] ?? 101;
    return { label: `${from}–${to - 1 === 100 ? 100 : to - 1}`, count: members.filter((m) => m.score >= from && m.score < to).length };
  });
  return {
    ...documentFrame(branding, language, now, L.listTitle, list.name),
    subject: { name: r(list.name), facts: [r(fill(L.leadsCount, { count: members.length }))] },
    osm: members.some((m) => m.source === 'osm'),
    distribution,
    distributionMax: Math.max(0, ...distribution.map((b) => b.count)),
    leads: members.map((m, i) => ({
      rank: i + 1,
      name: r(m.name),
      city: m.city ? r(m.city) : null,
      score: m.score,
      findings: rows
        .filter((row) => row.leadId === m.id && row.weight > 0)
        .slice(0, TOP_FINDINGS)
        .map((row) => r(renderFinding(language, row.kind, row.params))),
    })),
  };
}
