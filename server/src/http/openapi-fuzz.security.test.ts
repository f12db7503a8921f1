import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { default as addFormats } from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { reportShares, reports } from '../db/schema/index.js';
import { uploadCsv } from '../imports/test-helpers.js';
import { insertLeads, insertList, joinAs } from '../leads/test-helpers.js';
import { hostileValue, invalidValue, validValue, type JsonSchema } from '../test/schema-arbitrary.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';

/** Generated requests per operation; each is valid or invalid, from one of five callers. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);

// No worker: the jobs these requests start are queued and never run, so no generated website or
// place name ever reaches a crawler or an outside service.
const t = await startTestApp({}, { worker: false });

const decodedPath = (url: string) => {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
};

type Operation = {
  parameters?: { in: 'path' | 'query'; name: string; required?: boolean; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
};

/** One tenant with a member of each role and a row of each kind, named with a mark no other tenant's answer may show. */
async function tenantWithData(label: string) {
  const mark = `${label}-secret-${randomUUID().slice(0, 8)}`;
  const owner = await signUp(t, { name: `Owner ${mark}` });
  // Seats for the team and the invitations the fuzzing sends.
  await owner.client.put(`/api/v1/tenants/${owner.tenantId}/plan`, { planCode: 'business' });
  const others = {
    ADMIN: await joinAs(t, owner, 'ADMIN', `Admin ${mark}`),
    MEMBER: await joinAs(t, owner, 'MEMBER', `Member ${mark}`),
    VIEWER: await joinAs(t, owner, 'VIEWER', `Viewer ${mark}`),
  };
  const base = `/api/v1/tenants/${owner.tenantId}`;
  await owner.client.patch(base, { name: `Org ${mark}` });
  const leads = await insertLeads(t, owner.tenantId, [
    { name: `Lead ${mark}`, notes: mark, website: 'https://example.test/', score: 40 },
    { name: `Second ${mark}`, city: mark, score: 70, rating: 4.2 },
  ]);
  const list = await insertList(t, owner.tenantId, `List ${mark}`);
  const invite = await owner.client.post(`${base}/invites`, { email: `invitee-${randomUUID().slice(0, 8)}@example.test`, role: 'MEMBER' });
  const upload = await uploadCsv(t, owner.client, owner.tenantId, `Name,City\n${mark},Riyadh\n`);
  const job = await owner.client.post(`${base}/jobs`, {
    type: 'BULK_LEAD_ACTION',
    input: { selection: { ids: [leads[0].id] }, action: { type: 'addTag', tag: 'fuzz' } },
  });
  for (const res of [invite, upload, job]) if (res.status >= 300) throw new Error(`fixture: ${res.status} ${res.text}`);
  // A finished report with a share link, written directly: rendering one is not what this suite tests.
  const [report] = await t.database.db
    .insert(reports)
    .values({ tenantId: owner.tenantId, leadId: leads[0].id, status: 'SUCCEEDED', subjectName: `Lead ${mark}` })
    .returning();
  const [share] = await t.database.db
    .insert(reportShares)
    .values({ tenantId: owner.tenantId, reportId: report.id, tokenHash: randomUUID(), expiresAt: new Date(Date.now() + 86_400_000) })
    .returning();
  const ids = {
    tenantId: owner.tenantId,
    userId: others.MEMBER.user.id,
    leadId: leads[0].id,
    listId: list.id,
    inviteId: invite.body.id as string,
    uploadId: upload.body.id as string,
    jobId: job.body.id as string,
    reportId: report.id,
    shareId: share.id,
  };
  return { mark, owner, callers: [owner, others.ADMIN, others.MEMBER, others.VIEWER], ids, allIds: [...Object.values(ids), owner.user.id] };
}

const home = await tenantWithData('alpha');
const foreign = await tenantWithData('bravo');
const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, Operation>> }>();

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
const validators = new Map<JsonSchema, ValidateFunction>();
const validatorOf = (schema: JsonSchema) => validators.get(schema) ?? validators.set(schema, ajv.compile(schema)).get(schema)!;

/**
 * Deletions run after the other operations, which need the rows they delete, and team changes (roles,
 * removals, leaving) last, as they may take a caller out of the tenant.
 */
const stage = (path: string, method: string) => (/\/members\/|\/leave$|\/transfer-ownership$/.test(path) ? 2 : method === 'DELETE' ? 1 : 0);
/** A tenant's own live stream stays open as long as its caller does; its isolation is proven by tenancy/isolation.test.ts. */
const endlessStream = (path: string) => path.endsWith('/events') && !/\{\w+Id\}\/events$/.test(path.replace('{tenantId}', ''));
const operations = Object.entries(doc.paths)
  .filter(([path]) => !endlessStream(path))
  .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })))
  .sort((a, b) => stage(a.path, a.method) - stage(b.path, b.method));

const PNG = readFileSync(new URL('../settings/testdata/logo.png', import.meta.url));

/** What a request carries besides its path and query: JSON, the bytes of a file, or a multipart CSV upload. */
type Payload = { body?: unknown; headers?: Record<string, string> };

function payloadOf(path: string, method: string, op: Operation, valid: boolean, ids: string[]): fc.Arbitrary<Payload> {
  if (method === 'POST' && path.endsWith('/imports')) {
    const boundary = `----fuzz${randomUUID()}`;
    const csv = fc
      .array(fc.string({ unit: 'grapheme', maxLength: 20 }), { minLength: 1, maxLength: 4 })
      .map((cells) =>
        valid
          ? Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.csv"\r\n\r\nName\n${cells.join('\n')}\r\n--${boundary}--\r\n`,
            )
          : Buffer.from(cells.join('\0')),
      );
    return csv.map((body) => ({
      body,
      headers: { 'content-type': valid ? `multipart/form-data; boundary=${boundary}` : 'multipart/form-data' },
    }));
  }
  const content = op.requestBody?.content ?? {};
  const json = content['application/json']?.schema;
  if (json) return (valid ? validValue(json, ids) : invalidValue(json, ids)).map((body) => ({ body }));
  const types = Object.keys(content);
  if (types.length === 0) return fc.constant({});
  return fc
    .tuple(fc.constantFrom(...types), valid ? fc.constant(PNG) : fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)))
    .map(([type, bytes]) => ({ body: bytes, headers: { 'content-type': type === 'application/octet-stream' ? 'image/png' : type } }));
}

const queryText = (value: unknown) =>
  Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : (JSON.stringify(value) ?? '');

/** The query string: optional parameters valid or left out; an invalid request has one hostile parameter. */
function queryOf(op: Operation, valid: boolean, ids: string[]): fc.Arbitrary<string> {
  // A valid request starts on the first page: a cursor is the server's to make.
  const params = (op.parameters ?? []).filter((p) => p.in === 'query');
  if (params.length === 0) return fc.constant('');
  const validParams = fc.record(
    Object.fromEntries(
      params.filter((p) => p.name !== 'cursor').map((p) => [p.name, fc.option(validValue(p.schema, ids), { nil: undefined })]),
    ),
  );
  const values = valid
    ? validParams
    : fc
        .tuple(validParams, fc.constantFrom(...params.map((p) => p.name)), hostileValue)
        .map(([good, name, hostile]) => ({ ...good, [name]: hostile }));
  return values.map((chosen) => {
    const entries = Object.entries(chosen).filter(([, v]) => v !== undefined && v !== null);
    return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, queryText(v)])).toString()}` : '';
  });
}

/** Every byte percent-encoded: encodeURIComponent refuses unpaired surrogates, which a client may still send. */
const percentEncoded = (text: string) => [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

/**
 * Every path parameter but the tenant: mostly the home tenant's rows, sometimes the other tenant's, an
 * unknown id or a hostile string. A job's live event stream would stay open for a job that has not
 * ended, so it gets only ids of no job of the tenant.
 */
function pathOf(path: string, tenantId: string, valid: boolean): fc.Arbitrary<string> {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((n) => n !== 'tenantId');
  const values = names.map((name) => {
    const own = (home.ids as Record<string, string>)[name];
    const other = (foreign.ids as Record<string, string>)[name];
    // Parameters without a fixture (a share link's token) get unknown and hostile values only.
    const known = path.endsWith('/events') || own === undefined ? [] : [{ arbitrary: fc.constant(own), weight: 6 }];
    const foreignRow = other === undefined ? [] : [fc.constant(other)];
    return fc.oneof(...known, ...foreignRow, fc.uuid(), ...(valid ? [] : [hostileValue.map(queryText)]));
  });
  return fc
    .tuple(...values)
    .map((filled) =>
      names.reduce((url, name, i) => url.replace(`{${name}}`, percentEncoded(filled[i])), path.replace('{tenantId}', tenantId)),
    );
}

/** The answer without the echo of the request's own path, which names whatever ids the request sent. */
const answerText = (body: unknown, text: string) =>
  body && typeof body === 'object' && 'instance' in body ? JSON.stringify({ ...body, instance: undefined }) : text;

type Side = { caller: SignedUpUser; tenant: typeof home; other: typeof home };

describe('every operation of the OpenAPI document, fuzzed', () => {
  it('lists the operations it fuzzes', () => {
    expect(operations.length).toBeGreaterThan(60);
  });

  for (const { path, method, op } of operations) {
    it(`${method} ${path}: no 5xx, answers as documented, nothing of another tenant`, async () => {
      const sides = fc.oneof(
        { arbitrary: fc.constantFrom(...home.callers).map((caller): Side => ({ caller, tenant: home, other: foreign })), weight: 4 },
        // A caller of the other tenant, and the home tenant's callers aimed at it.
        { arbitrary: fc.constant<Side>({ caller: foreign.owner, tenant: home, other: foreign }), weight: 1 },
        { arbitrary: fc.constantFrom(...home.callers).map((caller): Side => ({ caller, tenant: foreign, other: home })), weight: 1 },
      );
      const ids = [...home.allIds, ...foreign.allIds];
      const request = fc.tuple(sides, fc.boolean()).chain(([side, valid]) =>
        fc.record({
          side: fc.constant(side),
          valid: fc.constant(valid),
          url: fc.tuple(pathOf(path, side.tenant.ids.tenantId, valid), queryOf(op, valid, ids)).map(([p, q]) => p + q),
          payload: payloadOf(path, method, op, valid, ids),
        }),
      );

      await fc.assert(
        fc.asyncProperty(request, async ({ side, url, payload }) => {
          const res = await side.caller.client.request(method, url, payload.body, payload.headers);
          // An id the request itself named, even percent-encoded, may be echoed back.
          const sent = `${url} ${decodedPath(url)} ${Buffer.isBuffer(payload.body) ? '' : JSON.stringify(payload.body ?? '')}`;
          const about = `${method} ${url.slice(0, 200)} → ${res.status} ${res.text.slice(0, 300)}`;
          // A saved WhatsApp connection reaches no Graph API here: that is the documented 502, not a fault.
          const upstream = res.status === 502 && (res.body as { code?: string } | undefined)?.code === 'WHATSAPP_UPSTREAM';
          if (!upstream) expect(res.status, about).toBeLessThan(500);

          const callerTenant = side.caller === foreign.owner ? foreign : home;
          // Webhooks name a tenant but are not its members' routes: a signature, not a membership, admits them.
          const stranger = path.startsWith('/api/v1/tenants/{tenantId}') && side.tenant !== callerTenant;
          // Someone else's tenant looks like one that does not exist, before any other answer (but a
          // path too long to route, or a spent rate limit, which tell nothing about the tenant).
          if (stranger) expect([404, 414, 429], about).toContain(res.status);
          const unseen = callerTenant === home ? foreign : home;
          const text = answerText(res.body, res.text);
          expect(text, about).not.toContain(unseen.mark);
          for (const id of unseen.allIds) if (!sent.includes(id)) expect(text, about).not.toContain(id);

          if (res.status >= 200 && res.status < 300) {
            const documented = op.responses[String(res.status)];
            expect(documented, `${about}: status not documented`).toBeDefined();
            const schema = documented.content?.['application/json']?.schema;
            if (schema && res.headers['content-type']?.toString().includes('json')) {
              const validate = validatorOf(schema);
              expect(validate(res.body), `${about}: ${ajv.errorsText(validate.errors)}`).toBe(true);
            }
          }
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    });
  }
});
