import type { Plan } from '@optarget/shared';
import type { PlanRow } from './limits.js';

export const toPlanDto = (p: PlanRow): Plan => ({
  code: p.code,
  name: p.name,
  priceCents: p.priceCents,
  currency: p.currency,
  limits: {
    seats: p.seats,
    leads: p.leadsStored,
    searches: p.searchesPerMonth,
    resultsPerSearch: p.resultsPerSearch,
    enrichments: p.enrichmentsPerMonth,
    reports: p.reportsPerMonth,
    whatsappMessages: p.whatsappMessagesPerMonth,
  },
});
