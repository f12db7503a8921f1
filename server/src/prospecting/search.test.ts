import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLogs, evidence, jobs, leadLists, leads, lists, memberships, usageCounters } from '../db/schema/index.js';
import { currentPeriod } from '../plans/limits.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { answers, FakeServices, fixtures } from './fake-services.js';

const fake = await FakeServices.start();
afterAll(() => fake.close());
const t = await startTestApp(fake.env);
const db = t.database.db;
// Retries wait seconds in production; here they follow at once so failure paths finish quickly.
await t.services.queue.boss.updateQueue('PROSPECT_SEARCH', { name: 'PROSPECT_SEARCH', retryLimit: 3, retryDelay: 0, retryBackoff: false });

// Place names are unique per test so the shared geocoding cache (kept across runs on PostgreSQL) never answers for them.
const place = (name = 'Riyadh') => `${name} ${randomUUID().slice(0, 8)}`;
const searches = (tenantId: string) => `/api/v1/tenants/${tenantId}/searches`;
const ended = (job: any) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status);

async function finished(user: SignedUpUser, jobId: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await user.client.get(`/api/v1/tenants/${user.tenantId}/jobs/${jobId}`);
    if (ended(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`job did not finish: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function logLines(user: SignedUpUser, jobId: string): Promise<string[]> {
  const res = await user.client.get(`/api/v1/tenants/${user.tenantId}/jobs/${jobId}/logs?limit=200`);
  return res.body.items.map((l: any) => l.message);
}

const leadsOf = (tenantId: string) => db.select().from(leads).where(eq(leads.tenantId, tenantId));
const jobsOf = (tenantId: string) => db.select().from(jobs).where(eq(jobs.tenantId, tenantId));

async function searchesUsed(tenantId: string) {
  const [row] = await db
    .select({ n: usageCounters.count })
    .from(usageCounters)
    .where(and(eq(usageCounters.tenantId, tenantId), eq(usageCounters.period, currentPeriod()), eq(usageCounters.metric, 'searches')));
  return row?.n ?? 0;
}

async function memberOf(owner: SignedUpUser, role: 'ADMIN' | 'MEMBER' | 'VIEWER') {
  const other = await signUp(t);
  await db.insert(memberships).values({ tenantId: owner.tenantId, userId: other.user.id, role });
  return { ...other, tenantId: owner.tenantId };
}

const GOOGLE_KEY = 'AIzaSyTestKey_abcdefghijklmnop1234';

describe('a prospect search on OpenStreetMap', () => {
  it('geocodes the place, queries Overpass, saves leads with E.164 phones and domains, and fills the list', async () => {
    const owner = await signUp(t);
    const [list] = await db.insert(lists).values({ tenantId: owner.tenantId, name: 'Riyadh dentists' }).returning();
    const location = place();
    const before = fake.requests.length;

    const res = await owner.client.post(searches(owner.tenantId), { query: 'dentists', location, listId: list.id });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      type: 'PROSPECT_SEARCH',
      status: 'PENDING',
      input: { query: 'dentists', location, limit: 100, sources: ['osm'] },
    });
    const job = await finished(owner, res.body.id);
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      result: { found: 2, new: 2, merged: 0, skipped: 0 },
      progress: { step: 'step.done' },
    });

    const sent = fake.requests.slice(before);
    const [geocoding] = sent.filter((r) => r.path === '/nominatim/search');
    expect(geocoding.query.get('q')).toBe(location);
    expect(geocoding.query.get('format')).toBe('jsonv2');
    expect(geocoding.query.get('limit')).toBe('1');
    expect(geocoding.headers['user-agent']).toBe('OpTarget/1.0 (+http://localhost:3000)');
    const [overpass] = sent.filter((r) => r.path.startsWith('/overpass'));
    expect(overpass.method).toBe('POST');
    expect(overpass.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(overpass.headers['user-agent']).toBe('OpTarget/1.0 (+http://localhost:3000)');
    const data = new URLSearchParams(overpass.body).get('data')!;
    expect(data).toMatch(/^\[out:json\]\[timeout:25\];/);
    expect(data).toContain('area(id:3603678409)->.searchArea;');
    expect(data).toContain('nwr["amenity"="dentist"](area.searchArea);');
    expect(data).toContain('nwr["healthcare"="dentist"](area.searchArea);');
    expect(data).toMatch(/out center 100;$/);

    const saved = await leadsOf(owner.tenantId);
    expect(
      saved
        .map((l) => ({ sourceId: l.sourceId, source: l.source, phone: l.phone, domain: l.domain }))
        .sort((a, b) => a.sourceId!.localeCompare(b.sourceId!)),
    ).toEqual([
      { sourceId: 'node/11234567890', source: 'osm', phone: '+966114567890', domain: 'example.sa' },
      { sourceId: 'way/987654321', source: 'osm', phone: '+966112345678', domain: 'example.com' },
    ]);
    const way = saved.find((l) => l.sourceId === 'way/987654321')!;
    expect(way).toMatchObject({
      name: 'Riyadh Smile Center',
      website: 'http://riyadhsmile.example.com',
      email: 'info@riyadhsmile.example.com',
      category: 'Dentist',
      city: 'Riyadh',
      lat: 24.7301455,
    });
    const inList = await db.select().from(leadLists).where(eq(leadLists.listId, list.id));
    expect(inList.map((r) => r.leadId).sort()).toEqual(saved.map((l) => l.id).sort());

    const lines = await logLines(owner, job.id);
    expect(lines).toEqual(
      expect.arrayContaining([
        `Found “${location}” as Riyadh, Riyadh Province, Saudi Arabia.`,
        'Searching OpenStreetMap for Dentist (amenity=dentist | healthcare=dentist)',
        'Found 2 places on OpenStreetMap (0 without a name, skipped).',
        'Saved 2 new, merged 0, skipped 0.',
      ]),
    );
    expect(await searchesUsed(owner.tenantId)).toBe(1);
    const [audit] = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, 'prospect_search.completed')));
    expect(audit).toMatchObject({ actorUserId: owner.user.id, targetId: job.id, metadata: { found: 2, new: 2, merged: 0, skipped: 0 } });
  });

  it('merges a repeated search into the same leads, geocoding from the cache', async () => {
    const owner = await signUp(t);
    const location = place();
    const first = await owner.client.post(searches(owner.tenantId), { query: 'أطباء أسنان', location });
    expect((await finished(owner, first.body.id)).result).toEqual({ found: 2, new: 2, merged: 0, skipped: 0 });
    const geocodedBefore = fake.requestsTo('/nominatim').length;

    const again = await owner.client.post(searches(owner.tenantId), { query: 'أطباء أسنان', location });
    expect(await finished(owner, again.body.id)).toMatchObject({
      status: 'SUCCEEDED',
      result: { found: 2, new: 0, merged: 2, skipped: 0 },
    });
    expect(await leadsOf(owner.tenantId)).toHaveLength(2);
    expect(fake.requestsTo('/nominatim').length).toBe(geocodedBefore);

    // "View leads" of each search opens exactly what it found, new and merged apart.
    const found = async (query: string, who = owner) =>
      (await who.client.get(`/api/v1/tenants/${owner.tenantId}/leads?${query}`)).body.items?.length ?? null;
    await owner.client.post(`/api/v1/tenants/${owner.tenantId}/leads`, { name: 'Typed In By Hand' });
    expect(await found(`jobId=${first.body.id}`)).toBe(2);
    expect(await found(`jobId=${first.body.id}&jobOutcome=new`)).toBe(2);
    expect(await found(`jobId=${first.body.id}&jobOutcome=merged`)).toBe(0);
    expect(await found(`jobId=${again.body.id}&jobOutcome=new`)).toBe(0);
    expect(await found(`jobId=${again.body.id}&jobOutcome=merged`)).toBe(2);
    const count = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/leads/count?jobId=${again.body.id}`);
    expect(count.body).toEqual({ count: 2, exact: true });
    const stranger = await signUp(t);
    const foreign = await stranger.client.get(`/api/v1/tenants/${stranger.tenantId}/leads?jobId=${first.body.id}`);
    expect(foreign.body.items).toEqual([]);
    expect((await owner.client.get(`/api/v1/tenants/${owner.tenantId}/leads?jobOutcome=all`)).status).toBe(400);
    expect(await searchesUsed(owner.tenantId)).toBe(2);
  });

  it('gives places without an address of their own the searched city, so a city filter finds them', async () => {
    const owner = await signUp(t);
    const withoutAddress = fixtures.overpass.elements.map((e: any) => ({
      ...e,
      tags: Object.fromEntries(Object.entries(e.tags).filter(([k]) => !k.startsWith('addr:'))),
    }));
    fake.overpass.push(answers.json({ ...fixtures.overpass, elements: withoutAddress }));
    const res = await owner.client.post(searches(owner.tenantId), { query: 'dentists', location: place() });
    expect((await finished(owner, res.body.id)).status).toBe('SUCCEEDED');
    expect((await leadsOf(owner.tenantId)).map((l) => l.city)).toEqual(['Riyadh', 'Riyadh']);
    const inRiyadh = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/leads?city=riyadh`);
    expect(inRiyadh.body.items).toHaveLength(2);
  });

  it('enriches the leads it found in a follow-up job when asked, counting them as enrichments', async () => {
    const owner = await signUp(t);
    // Without websites, enrichment visits nothing (no traffic leaves the machine) and records WEBSITE_MISSING.
    const withoutWebsites = fixtures.overpass.elements.map((e: any) => ({
      ...e,
      tags: Object.fromEntries(Object.entries(e.tags).filter(([k]) => !/website|url/.test(k))),
    }));
    fake.overpass.push(answers.json({ ...fixtures.overpass, elements: withoutWebsites }));
    const res = await owner.client.post(searches(owner.tenantId), { query: 'dentists', location: place(), enrich: true });
    const search = await finished(owner, res.body.id);
    expect(search.status).toBe('SUCCEEDED');
    const followUp = (await jobsOf(owner.tenantId)).find((j) => j.type === 'ENRICH_LEADS');
    expect(followUp, 'an ENRICH_LEADS job was started').toBeDefined();
    const saved = await leadsOf(owner.tenantId);
    expect((followUp!.input as { leadIds: string[] }).leadIds.sort()).toEqual(saved.map((l) => l.id).sort());
    expect(await finished(owner, followUp!.id)).toMatchObject({ status: 'SUCCEEDED' });
    const kinds = await db
      .select({ leadId: evidence.leadId, kind: evidence.kind })
      .from(evidence)
      .where(eq(evidence.tenantId, owner.tenantId));
    for (const lead of saved) expect(kinds.filter((k) => k.leadId === lead.id).map((k) => k.kind)).toContain('WEBSITE_MISSING');
    for (const lead of await leadsOf(owner.tenantId)) expect(lead.score).toBeGreaterThan(0);
    expect((await logLines(owner, search.id)).some((l) => l.startsWith(`Enriching ${saved.length} leads`))).toBe(true);
  });

  it('searches around a point without geocoding', async () => {
    const owner = await signUp(t);
    const before = fake.requests.length;
    const res = await owner.client.post(searches(owner.tenantId), {
      query: 'Smile',
      point: { lat: 24.7, lon: 46.68, radiusMeters: 3000 },
      limit: 10,
    });
    expect(await finished(owner, res.body.id)).toMatchObject({ status: 'SUCCEEDED', result: { found: 2, new: 2 } });
    const sent = fake.requests.slice(before);
    expect(sent.filter((r) => r.path.startsWith('/nominatim'))).toHaveLength(0);
    const data = new URLSearchParams(sent.find((r) => r.path.startsWith('/overpass'))!.body).get('data');
    expect(data).toContain('nwr["name"~"Smile",i](around:3000,24.7,46.68);');
    expect(data).toContain('out center 10;');
  });

  it.each([
    ['a 200 with a remark and no elements', answers.overpassRemark, 'timeout'],
    ['429 Too Many Requests', answers.tooManyRequests, 'rate limited'],
    ['an HTML error page', answers.htmlError, 'error page'],
  ])('retries %s, then fails with a message a user understands', async (_label, failure, reason) => {
    const owner = await signUp(t);
    fake.overpass.push(failure(), failure(), failure(), failure());
    const before = fake.requestsTo('/overpass').length;
    const res = await owner.client.post(searches(owner.tenantId), { query: 'dentists', location: place() });
    const job = await finished(owner, res.body.id);
    expect(job).toMatchObject({
      status: 'FAILED',
      attempts: 4,
      error: `OpenStreetMap's search service is busy (${reason}); try again in a few minutes or narrow the area.`,
    });
    expect(fake.requestsTo('/overpass').length - before).toBe(4);
    expect(await leadsOf(owner.tenantId)).toHaveLength(0);
    const lines = await logLines(owner, job.id);
    expect(lines.filter((l) => l.endsWith('it will be retried.'))).toHaveLength(3);
  });

  it('recovers when Overpass answers after a busy moment', async () => {
    const owner = await signUp(t);
    fake.overpass.push(answers.tooManyRequests(), answers.overpassRemark());
    const res = await owner.client.post(searches(owner.tenantId), { query: 'dentists', location: place() });
    expect(await finished(owner, res.body.id)).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 3,
      error: null,
      result: { found: 2, new: 2 },
    });
    expect(await leadsOf(owner.tenantId)).toHaveLength(2);
  });
});

describe('a prospect search on Google Places', () => {
  async function ownerWithKey() {
    const owner = await signUp(t);
    expect(
      (await owner.client.put(`/api/v1/tenants/${owner.tenantId}/settings/prospecting/google-places-key`, { apiKey: GOOGLE_KEY })).status,
    ).toBe(200);
    return owner;
  }
  const secondPage = {
    places: [
      {
        ...fixtures.googleSearchText.places[0],
        id: 'ChIJpage2open',
        displayName: { text: 'Bright Teeth' },
        internationalPhoneNumber: '+966 11 222 3333',
        websiteUri: 'https://brightteeth.com.sa',
      },
      { ...fixtures.googleSearchText.places[1], id: 'ChIJpage2closed', businessStatus: 'CLOSED_PERMANENTLY' },
    ],
  };

  it('follows nextPageToken with the same parameters, skips closed businesses and keeps ratings', async () => {
    const owner = await ownerWithKey();
    fake.google.push(answers.json(fixtures.googleSearchText), answers.json(secondPage));
    const before = fake.requestsTo('/google').length;
    const location = place();
    const res = await owner.client.post(searches(owner.tenantId), { query: 'dentists', location, sources: ['google'], limit: 30 });
    expect(res.status).toBe(202);
    const job = await finished(owner, res.body.id);
    expect(job).toMatchObject({ status: 'SUCCEEDED', result: { found: 4, new: 3, merged: 0, skipped: 1 } });

    const [page1, page2, ...more] = fake.requestsTo('/google').slice(before);
    expect(more).toEqual([]);
    for (const r of [page1, page2]) {
      expect(r.path).toBe('/google/v1/places:searchText');
      expect(r.headers['x-goog-api-key']).toBe(GOOGLE_KEY);
      expect(String(r.headers['x-goog-fieldmask']).split(',')).toEqual(
        expect.arrayContaining([
          'places.id',
          'places.displayName',
          'places.websiteUri',
          'places.rating',
          'places.userRatingCount',
          'places.businessStatus',
          'nextPageToken',
        ]),
      );
    }
    expect(JSON.parse(page1.body)).toEqual({ textQuery: `dentists in ${location}`, pageSize: 20 });
    expect(JSON.parse(page2.body)).toEqual({
      textQuery: `dentists in ${location}`,
      pageSize: 20,
      pageToken: fixtures.googleSearchText.nextPageToken,
    });

    const saved = await leadsOf(owner.tenantId);
    expect(saved.map((l) => l.sourceId).sort()).toEqual(['ChIJ7wXk2lUDLz4RzP0bq9n3h1Q', 'ChIJpage2open', 'ChIJq1Y8mJ4DLz4R8kM5cT0aD2E']);
    expect(saved.find((l) => l.sourceId === 'ChIJq1Y8mJ4DLz4R8kM5cT0aD2E')).toMatchObject({
      source: 'google',
      name: 'Smile Dental Clinic',
      phone: '+966114567890',
      website: 'https://www.smile-dental.example.sa',
      rating: 4.6,
      reviewCount: 812,
    });
    expect(saved.find((l) => l.sourceId === 'ChIJ7wXk2lUDLz4RzP0bq9n3h1Q')).toMatchObject({ website: null, rating: 3.9, reviewCount: 47 });
  });

  it('merges Google results into leads OpenStreetMap already found (same phone or domain)', async () => {
    const owner = await ownerWithKey();
    fake.google.push(answers.json({ places: fixtures.googleSearchText.places }));
    const res = await owner.client.post(searches(owner.tenantId), { query: 'dentists', location: place(), sources: ['osm', 'google'] });
    expect(await finished(owner, res.body.id)).toMatchObject({ status: 'SUCCEEDED', result: { found: 4, new: 3, merged: 1, skipped: 0 } });
    const smile = (await leadsOf(owner.tenantId)).find((l) => l.phone === '+966114567890')!;
    // The OSM node came first; Google filled what it lacked (rating, reviews) without replacing it.
    expect(smile).toMatchObject({
      source: 'osm',
      sourceId: 'node/11234567890',
      name: 'عيادة الابتسامة لطب الأسنان',
      rating: 4.6,
      reviewCount: 812,
    });
  });

  /** The fixture's two dentists as a local mapper writes them: national phone numbers and no website to match on. */
  const nationalPhones = () => ({
    ...fixtures.overpass,
    elements: fixtures.overpass.elements.map((e: any, i: number) => ({
      ...e,
      tags: {
        ...Object.fromEntries(Object.entries(e.tags).filter(([k]) => !/website|url|phone/.test(k))),
        phone: ['011 456 7890', '050 123 4567'][i],
      },
    })),
  });

  it('reads national phone numbers in the geocoded country when the organization has none, so they merge with Google', async () => {
    const owner = await ownerWithKey();
    expect((await owner.client.get(`/api/v1/tenants/${owner.tenantId}/settings/general`)).body).toEqual({ defaultCountry: null });
    fake.overpass.push(answers.json(nationalPhones()));
    fake.google.push(answers.json({ places: fixtures.googleSearchText.places }));
    const before = fake.requests.length;
    const res = await owner.client.post(searches(owner.tenantId), { query: 'dentists', location: place(), sources: ['osm', 'google'] });
    expect(await finished(owner, res.body.id)).toMatchObject({ status: 'SUCCEEDED', result: { found: 4, new: 2, merged: 2 } });
    const [geocoding] = fake.requests.slice(before).filter((r) => r.path === '/nominatim/search');
    expect(geocoding.query.get('addressdetails')).toBe('1');
    const saved = await leadsOf(owner.tenantId);
    expect(saved.map((l) => [l.sourceId, l.phone, l.phoneRaw]).sort()).toEqual([
      ['node/11234567890', '+966114567890', null],
      ['way/987654321', '+966501234567', null],
    ]);
  });

  it('around a point, reads national phone numbers in the country there, asking the map once', async () => {
    const owner = await signUp(t);
    fake.overpass.push(answers.json(nationalPhones()));
    // A point of its own, so the shared reverse-geocoding cache has no answer for it.
    const point = {
      lat: Number((20 + Math.random() * 8).toFixed(2)),
      lon: Number((40 + Math.random() * 8).toFixed(2)),
      radiusMeters: 3000,
    };
    const before = fake.requests.length;
    const res = await owner.client.post(searches(owner.tenantId), { query: 'dentist', point });
    expect(await finished(owner, res.body.id)).toMatchObject({ status: 'SUCCEEDED', result: { found: 2, new: 2 } });
    const reverse = fake.requests.slice(before).filter((r) => r.path.startsWith('/nominatim'));
    expect(reverse.map((r) => [r.path, r.query.get('lat'), r.query.get('lon'), r.query.get('zoom')])).toEqual([
      ['/nominatim/reverse', String(point.lat), String(point.lon), '3'],
    ]);
    expect((await leadsOf(owner.tenantId)).map((l) => l.phone).sort()).toEqual(['+966114567890', '+966501234567']);
  });

  it('uses nearby search for a point and a known category', async () => {
    const owner = await ownerWithKey();
    fake.google.push(answers.json({ places: fixtures.googleSearchText.places }));
    const before = fake.requestsTo('/google').length;
    const res = await owner.client.post(searches(owner.tenantId), {
      query: 'dentist',
      point: { lat: 24.7, lon: 46.68, radiusMeters: 5000 },
      sources: ['google'],
    });
    expect(await finished(owner, res.body.id)).toMatchObject({ status: 'SUCCEEDED', result: { found: 2, new: 2 } });
    const [nearby] = fake.requestsTo('/google').slice(before);
    expect(nearby.path).toBe('/google/v1/places:searchNearby');
    expect(String(nearby.headers['x-goog-fieldmask'])).not.toContain('nextPageToken');
    expect(JSON.parse(nearby.body)).toEqual({
      includedTypes: ['dentist'],
      maxResultCount: 20,
      locationRestriction: { circle: { center: { latitude: 24.7, longitude: 46.68 }, radius: 5000 } },
    });
  });

  it("turns Google's error envelope into a clear, final error", async () => {
    const owner = await ownerWithKey();
    fake.google.push(answers.googleError(403, 'PERMISSION_DENIED', 'API key not valid. Please pass a valid API key.'));
    const res = await owner.client.post(searches(owner.tenantId), { query: 'dentists', location: place(), sources: ['google'] });
    const job = await finished(owner, res.body.id);
    expect(job).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(job.error).toMatch(/^Google Places refused the saved API key \(PERMISSION_DENIED\): API key not valid/);
    // The same failure as a code with its parameters, which the web app shows in the user's language.
    expect(job.errorText).toEqual({
      code: 'error.googleKeyRefused',
      params: { status: 'PERMISSION_DENIED', message: expect.stringContaining('API key not valid') },
    });
  });

  it('retries RESOURCE_EXHAUSTED and succeeds when quota is back', async () => {
    const owner = await ownerWithKey();
    fake.google.push(
      answers.googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded.'),
      answers.json({ places: fixtures.googleSearchText.places }),
    );
    const res = await owner.client.post(searches(owner.tenantId), { query: 'dentists', location: place(), sources: ['google'] });
    expect(await finished(owner, res.body.id)).toMatchObject({ status: 'SUCCEEDED', attempts: 2, result: { new: 2 } });
  });
});

describe('starting a search is refused before any job exists', () => {
  it('when this month’s searches are used up (402)', async () => {
    const owner = await signUp(t);
    await db.insert(usageCounters).values({ tenantId: owner.tenantId, period: currentPeriod(), metric: 'searches', count: 20 });
    const res = await owner.client.post(searches(owner.tenantId), { query: 'dentists', location: 'Riyadh' });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 'PLAN_LIMIT_EXCEEDED', metric: 'searches', limit: 20 });
    expect(await jobsOf(owner.tenantId)).toHaveLength(0);
    expect(await searchesUsed(owner.tenantId)).toBe(20);
  });

  it('when the search is started through the generic jobs endpoint instead (same 402, same counting)', async () => {
    const owner = await signUp(t);
    await db.insert(usageCounters).values({ tenantId: owner.tenantId, period: currentPeriod(), metric: 'searches', count: 20 });
    const res = await owner.client.post(`/api/v1/tenants/${owner.tenantId}/jobs`, {
      type: 'PROSPECT_SEARCH',
      input: { query: 'dentists', location: 'Riyadh' },
    });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 'PLAN_LIMIT_EXCEEDED', metric: 'searches' });
    expect(await jobsOf(owner.tenantId)).toHaveLength(0);
    await db.update(usageCounters).set({ count: 3 }).where(eq(usageCounters.tenantId, owner.tenantId));
    const accepted = await owner.client.post(`/api/v1/tenants/${owner.tenantId}/jobs`, {
      type: 'PROSPECT_SEARCH',
      input: { query: 'dentists', location: place() },
    });
    expect(accepted.status).toBe(202);
    expect(await searchesUsed(owner.tenantId)).toBe(4);
  });

  it('when the limit asks for more results than the plan allows (402)', async () => {
    const owner = await signUp(t);
    const res = await owner.client.post(searches(owner.tenantId), { query: 'dentists', location: 'Riyadh', limit: 101 });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 'PLAN_LIMIT_EXCEEDED', metric: 'resultsPerSearch', limit: 100, requested: 101 });
    expect(await jobsOf(owner.tenantId)).toHaveLength(0);
    expect(await searchesUsed(owner.tenantId)).toBe(0);
  });

  it('when Google is chosen without a saved key (400)', async () => {
    const owner = await signUp(t);
    const res = await owner.client.post(searches(owner.tenantId), { query: 'dentists', location: 'Riyadh', sources: ['osm', 'google'] });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/Google Places needs an API key/);
    expect(res.body.fields).toEqual([{ field: 'sources', message: expect.any(String), rule: 'googleKey' }]);
    expect(await jobsOf(owner.tenantId)).toHaveLength(0);
  });

  it.each([
    [
      'both a place and a point',
      { query: 'dentists', location: 'Riyadh', point: { lat: 24.7, lon: 46.6, radiusMeters: 1000 } },
      'location',
    ],
    ['neither a place nor a point', { query: 'dentists' }, 'location'],
    ['a radius under 100 m', { query: 'dentists', point: { lat: 24.7, lon: 46.6, radiusMeters: 50 } }, 'point.radiusMeters'],
    ['an unknown source', { query: 'dentists', location: 'Riyadh', sources: ['yelp'] }, 'sources.0'],
    ['an empty query', { query: ' ', location: 'Riyadh' }, 'query'],
  ])('when the input has %s (400 naming the field)', async (_label, body, field) => {
    const owner = await signUp(t);
    const res = await owner.client.post(searches(owner.tenantId), body);
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: any) => f.field)).toContain(field);
    expect(await jobsOf(owner.tenantId)).toHaveLength(0);
  });

  it('for a viewer (403)', async () => {
    const owner = await signUp(t);
    const viewer = await memberOf(owner, 'VIEWER');
    const res = await viewer.client.post(searches(owner.tenantId), { query: 'dentists', location: 'Riyadh' });
    expect(res.status).toBe(403);
    expect(await jobsOf(owner.tenantId)).toHaveLength(0);
  });

  it("in another tenant, or into another tenant's list (404)", async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const [listOfA] = await db.insert(lists).values({ tenantId: a.tenantId, name: 'A list' }).returning();
    expect((await b.client.post(searches(a.tenantId), { query: 'dentists', location: 'Riyadh' })).status).toBe(404);
    const res = await b.client.post(searches(b.tenantId), { query: 'dentists', location: 'Riyadh', listId: listOfA.id });
    expect(res.status).toBe(404);
    expect(await jobsOf(a.tenantId)).toHaveLength(0);
    expect(await jobsOf(b.tenantId)).toHaveLength(0);
    expect(await searchesUsed(b.tenantId)).toBe(0);
  });
});

describe('category suggestions', () => {
  it('answer in English and Arabic for what the user typed', async () => {
    const owner = await signUp(t);
    const res = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/searches/categories?q=${encodeURIComponent('أسنان')}`);
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toEqual({
      key: 'dentist',
      en: 'Dentist',
      ar: 'طبيب أسنان',
      osmTags: ['amenity=dentist', 'healthcare=dentist'],
    });
    const all = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/searches/categories`);
    expect(all.body.items.length).toBeGreaterThanOrEqual(25);
  });
});
