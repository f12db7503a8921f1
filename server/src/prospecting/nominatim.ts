import { and, eq, gt } from 'drizzle-orm';
import type { Config } from '../config/config.js';
import type { Db } from '../db/client.js';
import { geocodeCache } from '../db/schema/index.js';
import { inSystemTransaction } from '../db/transactions.js';
import { excerpt, geocoderBusy } from './errors.js';

/** Nominatim's first search result, as much of it as the search needs. */
export type GeocodedPlace = {
  osmType: string;
  osmId: number;
  lat: number;
  lon: number;
  displayName: string;
  /** [south, north, west, east] */
  boundingBox: [number, number, number, number] | null;
};

const CACHE_DAYS = 30;
const MIN_INTERVAL_MS = 1000;

// Nominatim's usage policy allows one request per second from the whole application, so every
// caller in this process takes a turn on one shared clock.
let lastRequestAt = 0;
let turns: Promise<void> = Promise.resolve();

function waitForTurn(): Promise<void> {
  const turn = turns.then(async () => {
    const wait = lastRequestAt + MIN_INTERVAL_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lastRequestAt = Date.now();
  });
  turns = turn;
  return turn;
}

const cacheKey = (place: string) => place.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * Finds a place by name, from the database cache when someone looked it up in the last 30 days.
 * Answers null when Nominatim knows no such place; throws SourceBusyError when it cannot answer now.
 */
export async function geocode(config: Config, db: Db, place: string): Promise<GeocodedPlace | null> {
  const key = cacheKey(place);
  const since = new Date(Date.now() - CACHE_DAYS * 86_400_000);
  // The cache holds public map data shared by all tenants, so it is read and written outside any tenant.
  const [cached] = await inSystemTransaction(db, (tx) =>
    tx
      .select({ result: geocodeCache.result })
      .from(geocodeCache)
      .where(and(eq(geocodeCache.query, key), gt(geocodeCache.fetchedAt, since))),
  );
  if (cached?.result) return cached.result as GeocodedPlace;

  const found = await fetchFirstResult(config, place);
  if (found) {
    await inSystemTransaction(db, (tx) =>
      tx
        .insert(geocodeCache)
        .values({ query: key, result: found, fetchedAt: new Date() })
        .onConflictDoUpdate({ target: geocodeCache.query, set: { result: found, fetchedAt: new Date() } }),
    );
  }
  return found;
}

async function fetchFirstResult(config: Config, place: string): Promise<GeocodedPlace | null> {
  const url = new URL('search', config.NOMINATIM_URL.endsWith('/') ? config.NOMINATIM_URL : `${config.NOMINATIM_URL}/`);
  url.search = new URLSearchParams({ q: place, format: 'jsonv2', limit: '1' }).toString();
  await waitForTurn();
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { 'user-agent': config.osmUserAgent, accept: 'application/json' },
      signal: AbortSignal.timeout(20_000),
    });
  } catch (err) {
    throw geocoderBusy('unreachable', `Nominatim request failed: ${(err as Error).message}`);
  }
  const body = await res.text();
  if (res.status === 429) throw geocoderBusy('rate limited', `Nominatim answered 429: ${excerpt(body)}`);
  if (!res.ok) throw geocoderBusy(`error ${res.status}`, `Nominatim answered ${res.status}: ${excerpt(body)}`);
  let results: unknown;
  try {
    results = JSON.parse(body);
  } catch {
    throw geocoderBusy('unexpected answer', `Nominatim answered something other than JSON: ${excerpt(body)}`);
  }
  const first = Array.isArray(results) ? (results[0] as Record<string, unknown> | undefined) : undefined;
  if (!first) return null;
  const box = Array.isArray(first.boundingbox) ? first.boundingbox.map(Number) : [];
  return {
    osmType: String(first.osm_type ?? ''),
    osmId: Number(first.osm_id),
    lat: Number(first.lat),
    lon: Number(first.lon),
    displayName: String(first.display_name ?? first.name ?? place),
    boundingBox: box.length === 4 && box.every(Number.isFinite) ? (box as [number, number, number, number]) : null,
  };
}
