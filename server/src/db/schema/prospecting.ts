// Prospect search: the shared geocoding cache. Place names and their coordinates are public map
// data, not a tenant's data, so one cache serves every tenant (Nominatim asks callers to cache).
import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './columns.js';

export const geocodeCache = pgTable('geocode_cache', {
  /** The normalised place query (trimmed, lower case). */
  query: text('query').primaryKey(),
  /** Nominatim's first result, or null when it found nothing. */
  result: jsonb('result').$type<Record<string, unknown> | null>(),
  fetchedAt: ts('fetched_at').notNull().defaultNow(),
});
