import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { drizzle } from 'drizzle-orm/pglite';
import type { PGlite } from '@electric-sql/pglite';
import { openDatabase, type Db } from '../db/client.js';
import * as schema from '../db/schema/index.js';
import { serviceTurns } from '../db/schema/index.js';
import { startTestApp, testDatabaseUrl } from '../test/harness.js';
import { geocode } from './nominatim.js';

/**
 * A local Nominatim that takes its time to answer (as a loaded service does) and records, on its
 * own clock, when each request arrived and when its answer was sent.
 */
async function slowNominatim() {
  const requests: { arrived: number; answered: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res: ServerResponse) => {
    const entry = { arrived: Date.now(), answered: 0 };
    requests.push(entry);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    const place = new URL(req.url ?? '/', 'http://fake').searchParams.get('q');
    res.on('finish', () => {
      entry.answered = Date.now();
      inFlight--;
    });
    setTimeout(
      () =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify([{ osm_type: 'relation', osm_id: requests.length, lat: '24.7', lon: '46.7', display_name: place }])),
      30 + Math.floor(Math.random() * 170),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, maxInFlight: () => maxInFlight };
}

const fake = await slowNominatim();
const t = await startTestApp({ NOMINATIM_URL: fake.url });

/** A second worker's own handle on the same database: its own pool on PostgreSQL, its own drizzle on the one PGlite. */
async function secondHandle(): Promise<Db> {
  if (t.database.driver === 'postgres') {
    const other = await openDatabase({ url: testDatabaseUrl, dataDir: 'memory://', poolSize: 2 });
    afterAll(() => other.close());
    return other.db;
  }
  const client = (t.database.db as unknown as { $client: PGlite }).$client;
  return drizzle(client, { schema }) as unknown as Db;
}

describe('Nominatim politeness', () => {
  it('two workers geocoding at once leave at least a second between the end of one request and the start of the next', async () => {
    const second = await secondHandle();
    const places = Array.from({ length: 20 }, (_, i) => `Spacing test place ${i + 1} ${fake.url}`);
    const results = await Promise.all(places.map((place, i) => geocode(t.config, i % 2 ? second : t.database.db, place)));
    expect(results.map((r) => r?.displayName)).toEqual(places);

    expect(fake.requests).toHaveLength(20);
    expect(fake.maxInFlight()).toBe(1);
    const gaps = fake.requests.slice(1).map((r, i) => r.arrived - fake.requests[i].answered);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
  }, 90_000);

  it('a turn left by a worker that died lapses, and the next request goes ahead', async () => {
    const service = `nominatim ${fake.url}/search`;
    const past = new Date(Date.now() - 60_000);
    await t.database.db
      .insert(serviceTurns)
      .values({ service, holder: 'a worker that died', heldUntil: past, nextAt: past })
      .onConflictDoUpdate({ target: serviceTurns.service, set: { holder: 'a worker that died', heldUntil: past, nextAt: past } });
    const before = fake.requests.length;
    expect(await geocode(t.config, t.database.db, `After a crash ${fake.url}`)).toMatchObject({ lat: 24.7 });
    expect(fake.requests).toHaveLength(before + 1);
  }, 30_000);
});
