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

/**
 * Turns on an outside service that allows one request at a time from the whole application
 * (Nominatim): every process takes its turn through this row, so the spacing holds across workers.
 */
export const serviceTurns = pgTable('service_turns', {
  /** The service and its address, e.g. `nominatim https://nominatim.openstreetmap.org/`. */
  service: text('service').primaryKey(),
  /** The process whose request is in flight; null between requests. */
  holder: text('holder'),
  /** When an unfinished turn lapses (its process died). */
  heldUntil: ts('held_until'),
  /** The earliest start of the next request: the end of the last one plus the spacing. */
  nextAt: ts('next_at').notNull().defaultNow(),
});
