import { z } from 'zod';
import { IsoDate } from './common.js';
import { ruled } from './field-rules.js';

/**
 * What a lead did in WhatsApp outreach, as a lead-table filter: each dashboard number is the count
 * of leads this filter selects, so its link opens exactly those leads.
 */
export const outreachFilters = ['messaged', 'delivered', 'replied', 'failed', 'optedOut', 'awaitingReply', 'reportViewed'] as const;
export const OutreachFilter = z.enum(outreachFilters);
export type OutreachFilter = z.infer<typeof OutreachFilter>;

/** The periods the dashboard offers, in days up to today (UTC). */
export const outreachPeriods = [7, 30, 90] as const;
export const OutreachQuery = z.object({
  days: z.coerce
    .number()
    .int()
    .refine(
      (d) => (outreachPeriods as readonly number[]).includes(d),
      ruled('oneOf', 'must be 7, 30 or 90', { values: outreachPeriods.join(', ') }),
    )
    .default(30),
});
export type OutreachQuery = z.infer<typeof OutreachQuery>;

const count = z.number().int().min(0);

/** One UTC day of messages sent in it and what became of them (replied: the lead wrote after it). */
export const OutreachDay = z.object({ day: z.string(), sent: count, delivered: count, read: count, failed: count, replied: count });
export type OutreachDay = z.infer<typeof OutreachDay>;

export const OutreachStats = z.object({
  /** The period's start: the `outreachFrom` of every link. */
  from: IsoDate,
  days: z.number().int(),
  /** Leads per outreach filter in the period (awaiting a reply: now, whenever they wrote). */
  leads: z.object({
    messaged: count,
    delivered: count,
    replied: count,
    failed: count,
    optedOut: count,
    awaitingReply: count,
    reportViewed: count,
  }),
  /** Delivered and replied leads as a share of messaged ones; null before any message. */
  deliveryRate: z.number().min(0).max(1).nullable(),
  replyRate: z.number().min(0).max(1).nullable(),
  /** Openings of shared reports in the period. */
  reportViews: count,
  series: z.array(OutreachDay),
});
export type OutreachStats = z.infer<typeof OutreachStats>;
