import { and, asc, desc, eq } from 'drizzle-orm';
import {
  evidenceKinds,
  findingMessages,
  recommendationCatalogue,
  renderFinding,
  type EvidenceKind,
  type ReportLanguage,
} from '@optarget/shared';
import { evidence, leads, reportRecommendations } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { getBranding } from '../settings/branding.js';
import { areaLabels, fill, reportAreas, reportLabels, type ReportArea } from './labels.js';
import { marketStanding } from './market.js';
import { documentFrame, formatDate } from './frame.js';
import { runsFor } from './runs.js';

type EvidenceRow = typeof evidence.$inferSelect;

/** A grade of the business's online presence: the fewer problems (the lower the opportunity score), the better. */
export const gradeOf = (score: number) => (score < 20 ? 'A' : score < 40 ? 'B' : score < 60 ? 'C' : score < 80 ? 'D' : 'E');

/** The first phone number in the agency's contact line, as wa.me wants it (digits only). */
const whatsappNumber = (contact: string | null) => contact?.match(/\+?\d[\d\s().-]{6,}\d/)?.[0].replace(/\D/g, '') ?? null;

/** Everything a lead report shows, read in one tenant transaction. Null when the lead is not the tenant's. */
export async function loadLeadReport(tx: Tx, tenantId: string, leadId: string) {
  const [lead] = await tx
    .select()
    .from(leads)
    .where(and(eq(leads.tenantId, tenantId), eq(leads.id, leadId)));
  if (!lead) return null;
  const rows = await tx
    .select()
    .from(evidence)
    .where(and(eq(evidence.tenantId, tenantId), eq(evidence.leadId, leadId)))
    .orderBy(desc(evidence.weight), asc(evidence.kind));
  const branding = await getBranding(tx, tenantId);
  const standing = await marketStanding(tx, tenantId, { ...lead, checked: lead.scoreBasis !== null }, rows);
  const custom = await tx
    .select({ kind: reportRecommendations.kind, language: reportRecommendations.language, text: reportRecommendations.text })
    .from(reportRecommendations)
    .where(eq(reportRecommendations.tenantId, tenantId));
  return { lead, rows, branding, standing, custom };
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadLeadReport>>>;

/** The document of a lead's report in `language`: all text chosen and formatted here, none in the template. */
export function composeLeadDocument({ lead, rows, branding, standing, custom }: Loaded, language: ReportLanguage, now: Date) {
  const L = reportLabels[language];
  const r = runsFor(language, branding.digits);
  const name = lead.name;
  const finding = (row: EvidenceRow) => renderFinding(language, row.kind, row.params);
  const kinds = new Set(rows.map((row) => row.kind));

  const problems = [...new Map(rows.filter((row) => row.weight > 0).map((row) => [row.kind, row])).values()];
  const findings = (Object.keys(reportAreas) as ReportArea[])
    .map((area) => ({
      area: areaLabels[language][area],
      items: rows
        .filter((row) => (reportAreas[area] as readonly string[]).includes(row.kind))
        .map((row) => ({
          text: r(finding(row)),
          url: row.sourceUrl,
          captured: r(formatDate(row.fetchedAt ?? row.capturedAt, language, branding.digits, true)),
          weight: row.weight,
        })),
    }))
    .filter((group) => group.items.length > 0);
  const breakdown = problems.map((row) => ({ label: kindName(language, row.kind), weight: row.weight }));
  const customText = (kind: string) => custom.find((c) => c.kind === kind && c.language === language)?.text;
  const recommendations = evidenceKinds
    .filter((kind) => kinds.has(kind) && recommendationCatalogue[kind] && problems.some((p) => p.kind === kind))
    .map((kind) => ({ title: kindName(language, kind), text: r(customText(kind) ?? recommendationCatalogue[kind]![language]) }));
  const waNumber = whatsappNumber(branding.contactLine);
  const place = [lead.category, lead.city].filter(Boolean).join(' · ');

  return {
    ...documentFrame(branding, language, now, L.title, name),
    subject: { name: r(name), facts: [place, lead.address].filter((f): f is string => !!f).map(r) },
    osm: lead.source === 'osm',
    summary: {
      score: lead.score,
      grade: gradeOf(lead.score),
      top: problems.slice(0, 3).map((row) => r(finding(row))),
    },
    comparisonIntro: r(
      lead.category && lead.city
        ? fill(L.comparisonIntro, { name, category: lead.category, city: lead.city })
        : fill(L.comparisonIntroAny, { name }),
    ),
    comparison: (Object.keys(reportAreas) as ReportArea[]).map((area) => {
      const s = standing.find((x) => x.area === area);
      return {
        area: areaLabels[language][area],
        hasData: !!s,
        text: r(s ? fill(L.compared, s) : L.noData),
      };
    }),
    findings,
    breakdown,
    breakdownMax: Math.max(0, ...breakdown.map((b) => b.weight)),
    recommendations,
    cta: {
      text: r(fill(L.ctaText, { agency: branding.displayName, name })),
      contact: branding.contactLine ? r(branding.contactLine) : null,
      whatsappUrl: waNumber
        ? `https://wa.me/${waNumber}?text=${encodeURIComponent(fill(L.whatsappMessage, { title: L.title, name }))}`
        : null,
    },
  };
}

/** The short name of an evidence kind in the report's language. */
export const kindName = (language: ReportLanguage, kind: string) => findingMessages[language][`evidence.kind.${kind as EvidenceKind}`];
