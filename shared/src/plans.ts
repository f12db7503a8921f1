import { z } from 'zod';

export const planCodes = ['free', 'pro', 'business'] as const;
export const PlanCode = z.enum(planCodes, { message: `must be one of: ${planCodes.join(', ')}` });
export type PlanCode = z.infer<typeof PlanCode>;

export const usageMetrics = ['seats', 'leads', 'searches', 'enrichments', 'reports', 'whatsappMessages'] as const;
export const UsageMetric = z.enum(usageMetrics);
export type UsageMetric = z.infer<typeof UsageMetric>;

export const Plan = z.object({
  code: z.string(),
  name: z.string(),
  priceCents: z.number(),
  currency: z.string(),
  limits: z.object({
    seats: z.number(),
    leads: z.number(),
    searches: z.number(),
    resultsPerSearch: z.number(),
    enrichments: z.number(),
    reports: z.number(),
    whatsappMessages: z.number(),
  }),
});
export type Plan = z.infer<typeof Plan>;

export const PlanCatalogue = z.object({ items: z.array(Plan) });
export type PlanCatalogue = z.infer<typeof PlanCatalogue>;

export const UsageMetricLine = z.object({ metric: UsageMetric, used: z.number(), limit: z.number(), monthly: z.boolean() });
export type UsageMetricLine = z.infer<typeof UsageMetricLine>;

/** `period` is the calendar month in UTC (`YYYY-MM`) the monthly counters belong to. */
export const Usage = z.object({
  period: z.string(),
  plan: Plan,
  metrics: z.array(UsageMetricLine),
});
export type Usage = z.infer<typeof Usage>;

export const ChangePlanBody = z.object({ planCode: PlanCode });
export type ChangePlanBody = z.infer<typeof ChangePlanBody>;
