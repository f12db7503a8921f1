import { z } from 'zod';
import { fieldRules, ruled } from './field-rules.js';

export const roles = ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const Uuid = z.uuid({ message: 'must be a valid id' });
/** The pattern `Uuid` checks, for a test on a hot path without a schema's overhead. */
const UUID_PATTERN = z.regexes.uuid();
/** The one UUID check, for ids that arrive outside a schema (a path segment, a cursor, a session id). */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID_PATTERN.test(value);

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Whether PostgreSQL can store the text and JSON carry it: no NUL character and no unpaired UTF-16 surrogate. */
export const isStorableText = (value: string) => !value.includes('\0') && !LONE_SURROGATE.test(value);
/**
 * Every text a client sends, the base of each text field and filter: PostgreSQL refuses NUL in text
 * and unpaired surrogates in JSON, so they are refused here with a message naming the field.
 */
export const Text = z
  .string()
  .refine((v) => !v.includes('\0'), ruled('noNul', 'must not contain the NUL character'))
  .refine((v) => !LONE_SURROGATE.test(v), ruled('unicode', 'must not contain broken Unicode (an unpaired surrogate)'));
export const Email = z
  .email({ message: 'must be a valid email address' })
  .max(254)
  .transform((e) => e.trim().toLowerCase());
export const Password = Text.min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters');
/** An ISO 3166-1 alpha-2 country code such as `SA`, in capitals. */
export const CountryCode = Text.trim()
  .regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code such as SA')
  .transform((c) => c.toUpperCase());
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/;
const daysInMonth = (year: number, month: number) =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
/** Whether an ISO 8601 date-time names a moment that exists in year 1 or later, as PostgreSQL requires (no year 0000, 31 February or hour 99). */
export function isRealDate(value: string): boolean {
  const parts = DATE_TIME.exec(value);
  if (!parts) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour < 24 && minute < 60 && second < 60;
}
export const IsoDate = z.iso
  .datetime({ offset: true, abort: true })
  .refine(isRealDate, 'must be a date that exists, in year 0001 or later');

export const PageQuery = z.object({
  cursor: Text.max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** How many rows match a filter: exact up to 10,000, above that the database's estimate, marked `exact: false`. */
export const RowCount = z.object({ count: z.number().int().min(0), exact: z.boolean() });
export type RowCount = z.infer<typeof RowCount>;

/**
 * A page of a table that also says how many rows match its filter. The first page (no cursor) carries
 * `total`; later pages answer null, as the rows they add were already counted.
 */
export const countedPage = <T extends z.ZodType>(item: T) => page(item).extend({ total: RowCount.nullable() });

export const TenantParams = z.object({ tenantId: Uuid });

/** A refused field: where, why in English, and why as a rule the web app words in the user's language. */
export const FieldError = z.object({
  field: z.string(),
  message: z.string(),
  rule: z.enum(fieldRules).optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type FieldError = z.infer<typeof FieldError>;
export const ProblemDetails = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    code: z.string(),
    detail: z.string(),
    instance: z.string().optional(),
    fields: z.array(FieldError).optional(),
  })
  .loose();
export type ProblemDetails = z.infer<typeof ProblemDetails>;
