import type { CampaignPreview, WhatsappRates } from '@optarget/shared';
import type { AudienceMember } from './audience.js';

type Cost = CampaignPreview['cost'];

/** The estimated cost of one message to each receiving member, by country, at the tenant's rates for the template's category. */
export function estimateCost(members: AudienceMember[], category: string, table: WhatsappRates): Cost {
  const byCountry = new Map<string | null, number>();
  for (const m of members) if (!m.skipReason) byCountry.set(m.country, (byCountry.get(m.country) ?? 0) + 1);
  const lines = [...byCountry.entries()]
    .sort(([a], [b]) => (a ?? '~').localeCompare(b ?? '~'))
    .map(([country, recipients]) => {
      const rate = table.rates.find((r) => r.country === country && r.category === category)?.rate ?? null;
      // Rounded to a millionth, against floating-point residue in the sums.
      const cost = rate === null ? null : Math.round(rate * recipients * 1e6) / 1e6;
      return { country, category, recipients, rate, cost };
    });
  const total = Math.round(lines.reduce((sum, l) => sum + (l.cost ?? 0), 0) * 1e6) / 1e6;
  const unpriced = lines.filter((l) => l.rate === null).reduce((sum, l) => sum + l.recipients, 0);
  return { currency: table.rates.length ? table.currency : null, total, lines, unpriced };
}
