import Fastify from 'fastify';
import { count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLogs, leads, lists } from '../db/schema/index.js';
import { registerProblemHandler } from '../errors/problem.js';
import { insertLeads, leadsUrl } from '../leads/test-helpers.js';
import { Client, signUp, startTestApp, uniqueEmail } from '../test/harness.js';

const t = await startTestApp();
const owner = await signUp(t);
const base = `/api/v1/tenants/${owner.tenantId}`;
await insertLeads(t, owner.tenantId, [
  { name: 'Alpha', score: 10, rating: 4.5 },
  { name: 'Beta', score: 20 },
]);

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const someId = '0bc6d0ca-9f3e-4c47-8d7e-5b1f6a2c9e10';

/** What the tenant holds, to show a refused request changed nothing. */
const snapshot = async () => {
  const [[l], [s], [a]] = await Promise.all([
    t.database.db.select({ n: count() }).from(leads).where(eq(leads.tenantId, owner.tenantId)),
    t.database.db.select({ n: count() }).from(lists).where(eq(lists.tenantId, owner.tenantId)),
    t.database.db.select({ n: count() }).from(auditLogs).where(eq(auditLogs.tenantId, owner.tenantId)),
  ]);
  return { leads: l.n, lists: s.n, audit: a.n };
};

const expectRefused = (res: { status: number; body: { code: string; fields?: { field: string }[] } }, field: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.code).toBe('VALIDATION_FAILED');
  expect(res.body.fields?.map((f) => f.field)).toContain(field);
};

describe('text a database cannot store is refused at the schema', () => {
  it.each([
    ['a NUL in the search', leadsUrl(owner.tenantId, '', { q: 'a\0b' }), 'querystring.q'],
    ['a NUL in the city filter', leadsUrl(owner.tenantId, '', { city: 'Riyadh\0' }), 'querystring.city'],
    ['a NUL in the tag filter', leadsUrl(owner.tenantId, '', { tag: '\0' }), 'querystring.tag'],
    ['a NUL in the audit actor filter', `${base}/audit-logs?actor=a%00b`, 'querystring.actor'],
    ['a NUL in the list search', `${base}/lists?q=%00`, 'querystring.q'],
  ])('%s: 400 naming the filter', async (_label, url, field) => {
    expectRefused(await owner.client.get(url), field);
  });

  it.each([
    ['a NUL in a lead name', 'POST', `${base}/leads`, { name: 'Clinic\0' }, 'name'],
    ['a lone surrogate in a lead name', 'POST', `${base}/leads`, { name: 'Clinic \ud800' }, 'name'],
    ['a lone low surrogate in a note', 'POST', `${base}/leads`, { name: 'Clinic', notes: '\udc00 note' }, 'notes'],
    ['a NUL in a tag', 'POST', `${base}/leads`, { name: 'Clinic', tags: ['ok', 'b\0d'] }, 'tags.1'],
    ['a lone surrogate in a list name', 'POST', `${base}/lists`, { name: 'List \udbff' }, 'name'],
    ['a NUL in the organization name', 'PATCH', base, { name: 'Org\0' }, 'name'],
  ])('%s: 400 naming the field, nothing stored', async (_label, method, url, body, field) => {
    const before = await snapshot();
    expectRefused(await owner.client.request(method, url, body), field);
    expect(await snapshot()).toEqual(before);
  });

  it('text with emoji, Arabic and paired surrogates is kept as sent', async () => {
    const res = await owner.client.post(`${base}/leads`, { name: 'عيادة 😀 Clinic 𝒜' });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('عيادة 😀 Clinic 𝒜');
  });
});

describe('forged and impossible page cursors are a 400 naming cursor', () => {
  it.each([
    ['a text value for the score sort', '-score', { s: '-score', v: 'abc', id: someId }],
    ['a number for the name sort', 'name', { s: 'name', v: 5, id: someId }],
    ['a non-time for a time sort', '-createdAt', { s: '-createdAt', v: 'zz', id: someId }],
    ['an impossible time', 'createdAt', { s: 'createdAt', v: '9999-99-99T99:99:99.999999Z', id: someId }],
    ['a score past the integer range', '-score', { s: '-score', v: 1e308, id: someId }],
    ['a rating past the real range', '-rating', { s: '-rating', v: 1e300, id: someId }],
    ['null for a column that has no nulls', 'name', { s: 'name', v: null, id: someId }],
    ['a NUL in the name value', 'name', { s: 'name', v: 'a\0', id: someId }],
    ['an id that is not a UUID', '-score', { s: '-score', v: 10, id: "1' or '1'='1" }],
    ['another sort', 'name', { s: '-score', v: 10, id: someId }],
  ])('the lead table: %s', async (_label, sort, position) => {
    expectRefused(await owner.client.get(leadsUrl(owner.tenantId, '', { sort, cursor: cursorOf(position) })), 'querystring.cursor');
  });

  it.each([
    ['members', `${base}/members`],
    ['invites', `${base}/invites`],
    ['jobs', `${base}/jobs`],
    ['audit log', `${base}/audit-logs`],
  ])('%s: an impossible time, a wrong shape and garbage', async (_label, url) => {
    for (const cursor of [
      cursorOf({ at: '9999-99-99T99:99:99.999999Z', id: someId }),
      cursorOf({ at: '2025-02-30T10:00:00.000000Z', id: someId }),
      cursorOf({ at: 17, id: someId }),
      cursorOf(['2025-01-01T00:00:00.000000Z', someId]),
      'not-base64-json',
    ]) {
      expectRefused(await owner.client.get(`${url}?cursor=${cursor}`), 'querystring.cursor');
    }
  });

  it('the lists page: a key of the wrong type', async () => {
    expectRefused(await owner.client.get(`${base}/lists?cursor=${cursorOf({ key: 12, id: someId })}`), 'querystring.cursor');
  });

  it('a cursor the server made still pages through every lead, nulls included', async () => {
    const all = await owner.client.get(leadsUrl(owner.tenantId, '', { sort: '-rating', limit: 200 }));
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await owner.client.get(
        leadsUrl(owner.tenantId, '', { sort: '-rating', limit: 1, ...(cursor ? { cursor } : {}) }),
      );
      paged.push(...res.body.items.map((l) => l.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.body.items.map((l: { id: string }) => l.id));
    expect(all.body.items[0].name).toBe('Alpha');
  });
});

describe('dates that do not exist', () => {
  it.each([
    ['year 0000 in the lead filter', leadsUrl(owner.tenantId, '', { createdFrom: '0000-01-01T00:00:00Z' }), 'querystring.createdFrom'],
    ['31 February in the lead filter', leadsUrl(owner.tenantId, '', { createdTo: '2025-02-31T00:00:00Z' }), 'querystring.createdTo'],
    ['year 0000 in the audit filter', `${base}/audit-logs?from=0000-06-01T00:00:00Z`, 'querystring.from'],
  ])('%s: 400 naming the filter', async (_label, url, field) => {
    expectRefused(await owner.client.get(url), field);
  });

  it('29 February of a leap year is a date', async () => {
    expect((await owner.client.get(leadsUrl(owner.tenantId, '', { createdFrom: '2024-02-29T00:00:00Z' }))).status).toBe(200);
  });
});

describe('malformed bodies', () => {
  it('an import sent as multipart without a boundary: 400 naming file', async () => {
    const res = await owner.client.request('POST', `${base}/imports`, Buffer.from('name\nA\n'), { 'content-type': 'multipart/form-data' });
    expectRefused(res, 'file');
    expect(res.body.detail).toMatch(/multipart/);
  });

  it.each(['/api/auth/sign-in/email', '/api/auth/sign-up/email', '/api/auth/request-password-reset'])(
    '100,000-deep JSON on %s: 400',
    async (path) => {
      const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
      const res = await new Client(t.app).request('POST', path, Buffer.from(deep), { 'content-type': 'application/json' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.detail).toMatch(/nested deeper/);
    },
  );

  it('a JSON array as the sign-in body: 400', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const res = await new Client(t.app).request('POST', '/api/auth/sign-in/email', Buffer.from(deep), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('a NUL in the sign-in email: 400 naming email, before the throttle counts it', async () => {
    const res = await new Client(t.app).post('/api/auth/sign-in/email', { email: `${owner.email}\0`, password: 'whatever-password' });
    expectRefused(res, 'email');
    const counted = await t.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from rate_counters where key like ${`sign-in:${owner.email}%`}`,
    );
    expect(counted.rows[0].n).toBe(0);
  });

  it('a lone surrogate in the sign-up name: 400, no account', async () => {
    const email = uniqueEmail('surrogate');
    const res = await new Client(t.app).post('/api/auth/sign-up/email', { name: 'Name \ud83d', email, password: 'correct horse battery' });
    expectRefused(res, 'name');
    expect(res.body.fields[0].rule).toBe('unicode');
    const [row] = await t.database.db
      .execute<{ n: number }>(sql`select count(*)::int as n from users where email = ${email}`)
      .then((r) => r.rows);
    expect(row.n).toBe(0);
  });
});

describe('addresses the router refuses', () => {
  it.each([
    ['a path segment past the length limit', `${base}/leads/${'a'.repeat(600)}`, 414, 'URI_TOO_LONG', 'aaaaaaaaaa'],
    ['a malformed percent-encoding', `${base}/leads/%zz`, 400, 'VALIDATION_FAILED', '%zz'],
  ])('%s: problem+json with the request id, the address not echoed', async (_label, url, status, code, echoed) => {
    const res = await t.app.inject({ method: 'GET', url, headers: { 'x-request-id': 'router-refusal' } });
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['x-request-id']).toBe('router-refusal');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.json()).toMatchObject({ code, status });
    expect(res.body).not.toContain(echoed);
  });
});

describe('the error mapper', () => {
  it.each([
    ['22008 datetime field overflow', sql`select '2025-13-45T00:00:00Z'::timestamptz`],
    ['22007 invalid datetime format', sql`select 'yesterday-ish'::timestamptz`],
    ['22003 numeric value out of range', sql`select 1e300::real`],
    ['22021 character not in repertoire / 22P05 untranslatable', sql`select convert_from('\\xc3'::bytea, 'UTF8')`],
    ['22P05 an unpaired surrogate escape in jsonb', sql`select '"\\ud800"'::jsonb`],
    ['22P02 invalid text representation', sql`select 'x'::uuid`],
  ])('answers a database data exception (%s) with 400 INVALID_VALUE, never 500', async (_label, statement) => {
    const app = Fastify();
    registerProblemHandler(app);
    app.get('/probe', async () => t.database.db.execute(statement));
    const res = await app.inject({ method: 'GET', url: '/probe' });
    await app.close();
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_VALUE', status: 400 });
    expect(res.body).not.toMatch(/timestamptz|real|uuid|jsonb|select/i);
  });

  it('answers other database errors with 500 INTERNAL, without details', async () => {
    const app = Fastify({ logger: false });
    registerProblemHandler(app);
    app.get('/probe', async () => t.database.db.execute(sql`select * from no_such_table`));
    const res = await app.inject({ method: 'GET', url: '/probe' });
    await app.close();
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('INTERNAL');
    expect(res.body).not.toMatch(/no_such_table/);
  });
});
