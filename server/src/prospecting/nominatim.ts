import { randomUUID } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
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
  /** The place's country (ISO 3166-1 alpha-2, capitals), which reads the national phone numbers found there; absent in results cached before it was kept. */
  countryCode?: string | null;
  /** The city the place is or lies in (null for a region or a country); leads found there without an address of their own get it. */
  city?: string | null;
};

const CACHE_DAYS = 30;
const REQUEST_TIMEOUT_MS = 20_000;
/** Nominatim's policy: at most one request per second from the whole application. */
const MIN_GAP_MS = 1000;
/** Added to the second, so that timers firing early or clocks a little apart never make a gap under it. */
const GAP_MARGIN_MS = 250;
/** After a 429 the next request waits this long (or the Retry-After it gives, up to a minute). */
const BACK_OFF_MS = 10_000;
/** A turn whose process died lapses this long after it was taken. */
const TURN_LAPSES_MS = REQUEST_TIMEOUT_MS + 5_000;
const MAX_WAIT_MS = 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Callers of one process wait in line here, so only the head of the line asks the database.
const localLines = new WeakMap<Db, Map<string, Promise<unknown>>>();

/**
 * Runs `request` in the application's turn on `service`: one request at a time across every
 * process sharing the database, each starting at least a second (plus a margin) after the end of
 * the previous one. The turn is a row of `service_turns`, taken with one atomic statement when
 * it is free and due, and handed back when the request has ended with the next start time, so
 * no transaction stays open while the request runs (PGlite has only one connection).
 */
export async function inServiceTurn<T>(db: Db, service: string, request: () => Promise<{ value: T; backOffMs?: number }>): Promise<T> {
  let lines = localLines.get(db);
  if (!lines) localLines.set(db, (lines = new Map<string, Promise<unknown>>()));
  const previous = lines.get(service) ?? Promise.resolve();
  const mine = previous
    .catch(() => undefined)
    .then(async () => {
      const holder = randomUUID();
      await takeTurn(db, service, holder);
      let backOffMs = 0;
      try {
        const answer = await request();
        backOffMs = answer.backOffMs ?? 0;
        return answer.value;
      } finally {
        await endTurn(db, service, holder, backOffMs);
      }
    });
  lines.set(service, mine);
  try {
    return await mine;
  } finally {
    if (lines.get(service) === mine) lines.delete(service);
  }
}

async function takeTurn(db: Db, service: string, holder: string) {
  for (;;) {
    const { claimed, waitMs } = await inSystemTransaction(db, async (tx) => {
      const taken = await tx.execute(sql`
        insert into service_turns (service, holder, held_until, next_at)
        values (${service}, ${holder}, clock_timestamp() + ${TURN_LAPSES_MS} * interval '1 millisecond', clock_timestamp())
        on conflict (service) do update set holder = excluded.holder, held_until = excluded.held_until
        where service_turns.next_at <= clock_timestamp()
          and (service_turns.holder is null or service_turns.held_until < clock_timestamp())
        returning holder`);
      if (taken.rows.length) return { claimed: true, waitMs: 0 };
      const due = await tx.execute(sql`
        select ceil(extract(epoch from greatest(next_at, case when holder is null then next_at else held_until end)
          - clock_timestamp()) * 1000)::int as wait_ms
        from service_turns where service = ${service}`);
      return { claimed: false, waitMs: Number((due.rows[0] as { wait_ms: number } | undefined)?.wait_ms ?? 0) };
    });
    if (claimed) return;
    await sleep(Math.min(MAX_WAIT_MS, Math.max(20, waitMs)));
  }
}

function endTurn(db: Db, service: string, holder: string, backOffMs: number) {
  const gapMs = MIN_GAP_MS + GAP_MARGIN_MS + backOffMs;
  return inSystemTransaction(db, (tx) =>
    tx.execute(sql`
      update service_turns set holder = null, held_until = null, next_at = clock_timestamp() + ${gapMs} * interval '1 millisecond'
      where service = ${service} and holder = ${holder}`),
  );
}

/** How long a 429 asks us to stay away: its Retry-After in seconds, at least BACK_OFF_MS, at most a minute. */
const backOffOf = (retryAfter: string | null) => Math.min(60_000, Math.max(BACK_OFF_MS, (Number(retryAfter) || 0) * 1000));

const cacheKey = (place: string) => place.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * Finds a place by name, from the database cache when someone looked it up in the last 30 days.
 * Answers null when Nominatim knows no such place; throws SourceBusyError when it cannot answer now.
 */
export function geocode(config: Config, db: Db, place: string): Promise<GeocodedPlace | null> {
  return cached(db, cacheKey(place), () => fetchFirstResult(config, db, place));
}

/**
 * The country at a point (a search around it reads national phone numbers there), from Nominatim's
 * reverse geocoding at country level, cached like a search: the key's two decimals are about a kilometre.
 */
export async function countryAt(config: Config, db: Db, lat: number, lon: number): Promise<string | null> {
  const found = await cached(db, `reverse:${lat.toFixed(2)},${lon.toFixed(2)}`, async () => {
    const answer = await callNominatim(config, db, 'reverse', {
      lat: String(lat),
      lon: String(lon),
      format: 'jsonv2',
      zoom: '3',
      addressdetails: '1',
    });
    // A point at sea answers `{"error": "Unable to geocode"}`.
    const result = answer && typeof answer === 'object' && !Array.isArray(answer) ? (answer as Record<string, unknown>) : null;
    return result && !('error' in result) ? { countryCode: countryCodeIn(result) } : null;
  });
  return found?.countryCode ?? null;
}

/** A Nominatim answer from the database cache when someone asked the same in the last 30 days, else `fetch`'s (kept when not null). */
async function cached<T extends Record<string, unknown>>(db: Db, key: string, fetch: () => Promise<T | null>): Promise<T | null> {
  const since = new Date(Date.now() - CACHE_DAYS * 86_400_000);
  // The cache holds public map data shared by all tenants, so it is read and written outside any tenant.
  const [hit] = await inSystemTransaction(db, (tx) =>
    tx
      .select({ result: geocodeCache.result })
      .from(geocodeCache)
      .where(and(eq(geocodeCache.query, key), gt(geocodeCache.fetchedAt, since))),
  );
  if (hit?.result) return hit.result as T;

  const found = await fetch();
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

/** `address.country_code` of a result with addressdetails, in capitals. */
const countryCodeIn = (result: Record<string, unknown>): string | null => {
  const code = (result.address as Record<string, unknown> | undefined)?.country_code;
  return typeof code === 'string' && /^[a-z]{2}$/i.test(code) ? code.toUpperCase() : null;
};

const CITY_TYPES = new Set(['city', 'town', 'village', 'municipality', 'hamlet']);

/** The result's own name when it is a city, town or village; else the city in its address (a district's city); else null. */
const cityIn = (result: Record<string, unknown>): string | null => {
  if (CITY_TYPES.has(String(result.addresstype)) && typeof result.name === 'string' && result.name) return result.name;
  const address = (result.address ?? {}) as Record<string, unknown>;
  const city = address.city ?? address.town ?? address.village;
  return typeof city === 'string' && city ? city : null;
};

async function fetchFirstResult(config: Config, db: Db, place: string): Promise<GeocodedPlace | null> {
  const results = await callNominatim(config, db, 'search', { q: place, format: 'jsonv2', limit: '1', addressdetails: '1' });
  const first = Array.isArray(results) ? (results[0] as Record<string, unknown> | undefined) : undefined;
  if (!first) return null;
  const box = Array.isArray(first.boundingbox) ? first.boundingbox.map(Number) : [];
  return {
    osmType: typeof first.osm_type === 'string' ? first.osm_type : '',
    osmId: Number(first.osm_id),
    lat: Number(first.lat),
    lon: Number(first.lon),
    displayName: [first.display_name, first.name].find((name): name is string => typeof name === 'string') ?? place,
    boundingBox: box.length === 4 && box.every(Number.isFinite) ? (box as [number, number, number, number]) : null,
    countryCode: countryCodeIn(first),
    city: cityIn(first),
  };
}

/** One request to Nominatim, in the application's turn (inServiceTurn): its parsed JSON, or SourceBusyError when it cannot answer now. */
async function callNominatim(config: Config, db: Db, endpoint: 'search' | 'reverse', query: Record<string, string>): Promise<unknown> {
  const url = new URL(endpoint, config.NOMINATIM_URL.endsWith('/') ? config.NOMINATIM_URL : `${config.NOMINATIM_URL}/`);
  url.search = new URLSearchParams(query).toString();
  const { status, body } = await inServiceTurn(db, `nominatim ${url.origin}`, async () => {
    try {
      const res = await fetch(url, {
        headers: { 'user-agent': config.osmUserAgent, accept: 'application/json' },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      // The body is read inside the turn: the request ends when its answer has arrived.
      const answer = { status: res.status, body: await res.text() };
      return { value: answer, backOffMs: res.status === 429 ? backOffOf(res.headers.get('retry-after')) : 0 };
    } catch (err) {
      throw geocoderBusy('unreachable', `Nominatim request failed: ${(err as Error).message}`);
    }
  });
  if (status === 429) throw geocoderBusy('rate limited', `Nominatim answered 429: ${excerpt(body)}`);
  if (status < 200 || status >= 300) throw geocoderBusy(`error ${status}`, `Nominatim answered ${status}: ${excerpt(body)}`);
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw geocoderBusy('unexpected answer', `Nominatim answered something other than JSON: ${excerpt(body)}`);
  }
}
