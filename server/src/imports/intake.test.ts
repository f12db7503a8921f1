import { beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { auditLogs, leads } from '../db/schema/index.js';
import { insertLeads, leadsUrl } from '../leads/test-helpers.js';
import { signUp, startTestApp, type SignedUpUser, type TestApp } from '../test/harness.js';
import { importResult, leadsOf, uploadCsv, waitForJob } from './test-helpers.js';

// Nothing a user brings is dropped silently: local phones are read in the row's country, what
// cannot be read is kept and flagged, and an export imports back onto the same leads.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});

const csv = (...lines: string[]) => lines.join('\r\n') + '\r\n';

async function importFile(user: SignedUpUser, content: string, body: Record<string, unknown> = {}) {
  const up = await uploadCsv(t, user.client, user.tenantId, content);
  expect(up.status).toBe(201);
  const started = await user.client.post(`/api/v1/tenants/${user.tenantId}/imports/${up.body.id}/start`, {
    mapping: up.body.suggestedMapping,
    ...body,
  });
  expect(started.status).toBe(202);
  return { upload: up.body, job: await waitForJob(user.client, user.tenantId, started.body.id) };
}

/** 300 rows as a Google Maps scraper exports them, a third with phones in local format and the row's country beside them. */
function googleMapsExport() {
  const rows = Array.from({ length: 300 }, (_, i) => {
    const n = String(1000000 + i);
    if (i < 60) return [`Clinic ${i}`, 'Dentist', 'Riyadh', 'SA', `050${n}`, ''];
    if (i < 80) return [`Office ${i}`, 'Dentist', 'Riyadh', 'Saudi Arabia', `011 5${n.slice(1, 3)} ${n.slice(3)}`, ''];
    if (i < 86) return [`Dubai ${i}`, 'Dentist', 'Dubai', 'AE', `04 3${n.slice(1, 3)} ${n.slice(3)}`, ''];
    return [`Shop ${i}`, 'Dentist', 'Jeddah', 'SA', `+966 55 ${n.slice(0, 3)} ${n.slice(3)}`, ''];
  });
  rows[290] = ['Call Us Cafe', 'Cafe', 'Riyadh', 'SA', 'call us', ''];
  rows[291] = ['Two Numbers', 'Cafe', 'Riyadh', 'SA', '12', ''];
  rows[292] = ['Bad Mail Bakery', 'Bakery', 'Riyadh', 'SA', '', 'not-an-email'];
  rows[293] = ['', 'Bakery', 'Riyadh', 'SA', '+966 55 999 0000', ''];
  return csv('title,categoryName,city,countryCode,phone,email', ...rows.map((r) => r.join(',')));
}

describe('an import of local phone numbers, with the tenant default country unset', () => {
  it('reads each phone in its row’s country, keeps what it cannot read as flagged text, and counts every row by outcome and reason', async () => {
    const owner = await signUp(t, { name: 'Local Phones' });
    expect((await owner.client.get(`/api/v1/tenants/${owner.tenantId}/settings/general`)).body).toEqual({ defaultCountry: null });
    const { upload, job } = await importFile(owner, googleMapsExport());
    expect(upload.suggestedMapping).toEqual({ '0': 'name', '1': 'category', '2': 'city', '3': 'country', '4': 'phone', '5': 'email' });
    expect(job.status).toBe('SUCCEEDED');
    expect(job.result).toEqual(
      importResult({ rows: 300, created: 299, invalid: 1, refusedReasons: { name: 1 }, flagged: 3, flags: { phone: 2, email: 1 } }),
    );

    const stored = await leadsOf(t, owner.tenantId);
    expect(stored).toHaveLength(299);
    const byName = (name: string) => stored.find((l) => l.name === name)!;
    expect(byName('Clinic 0')).toMatchObject({ phone: '+966501000000', phoneRaw: null, country: 'SA' });
    expect(byName('Office 60')).toMatchObject({ phone: '+966115000060', country: 'Saudi Arabia' });
    // The row's own country wins: a Dubai number is read as one.
    expect(byName('Dubai 80')).toMatchObject({ phone: '+97143000080' });
    expect(byName('Call Us Cafe')).toMatchObject({ phone: null, phoneRaw: 'call us' });
    expect(byName('Two Numbers')).toMatchObject({ phone: null, phoneRaw: '12' });
    // The same rule as the form: an address the form refuses is never stored as one.
    expect(byName('Bad Mail Bakery')).toMatchObject({ email: null, emailRaw: 'not-an-email' });
    expect(stored.filter((l) => l.phone).length).toBe(296);

    const flagged = await owner.client.get(leadsUrl(owner.tenantId, '', { attention: 'phone', sort: 'name' }));
    expect(flagged.status).toBe(200);
    expect(flagged.body.items.map((l: { name: string; phoneRaw: string }) => [l.name, l.phoneRaw])).toEqual([
      ['Call Us Cafe', 'call us'],
      ['Two Numbers', '12'],
    ]);
    const anyFlag = await owner.client.get(leadsUrl(owner.tenantId, '', { attention: 'phone,email', sort: 'name' }));
    expect(anyFlag.body.items.map((l: { name: string }) => l.name)).toEqual(['Bad Mail Bakery', 'Call Us Cafe', 'Two Numbers']);
    const bad = await owner.client.get(leadsUrl(owner.tenantId, '', { attention: 'fax' }));
    expect(bad.status).toBe(400);

    const report = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/imports/jobs/${job.id}/errors.csv`);
    expect(report.text.slice(1).trim().split('\r\n')).toEqual([
      'Row,Code,Reason,Error,title,categoryName,city,countryCode,phone,email',
      '295,name,The row has no name,name: is required,,Bakery,Riyadh,SA,+966 55 999 0000,',
    ]);
  }, 60_000);

  it('reads phones of rows without a country in the country chosen for the import, and refuses an unknown one', async () => {
    const owner = await signUp(t, { name: 'Chosen Country' });
    const file = csv('Name,Phone', 'Riyadh Dental,0501234567', 'Jeddah Dental,012 555 1234');
    const refused = await uploadCsv(t, owner.client, owner.tenantId, file);
    const res = await owner.client.post(`/api/v1/tenants/${owner.tenantId}/imports/${refused.body.id}/start`, {
      mapping: { '0': 'name', '1': 'phone' },
      defaultCountry: 'ZZ',
    });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'defaultCountry', message: 'is not a known country code', rule: 'countryCode' }]);

    const { job } = await importFile(owner, file, { defaultCountry: 'sa' });
    expect(job.result).toMatchObject({ created: 2, flagged: 0 });
    expect((await leadsOf(t, owner.tenantId)).map((l) => l.phone).sort()).toEqual(['+966125551234', '+966501234567']);
  });

  it('keeps a website on an IP address as given', async () => {
    const owner = await signUp(t, { name: 'IP Site' });
    const { job } = await importFile(owner, csv('Name,Website', 'Router Shop,http://203.0.113.7:8080/shop', 'Local Shop,10.0.0.5'));
    expect(job.result).toMatchObject({ created: 2, flagged: 0, invalid: 0 });
    const stored = await leadsOf(t, owner.tenantId);
    expect(stored.map((l) => [l.name, l.website, l.domain, l.websiteRaw]).sort()).toEqual([
      ['Local Shop', 'https://10.0.0.5', null, null],
      ['Router Shop', 'http://203.0.113.7:8080/shop', null, null],
    ]);
  });
});

describe('an export imported back', () => {
  it('lands on the same leads: the same count, the same rows, nothing changed but the import’s audit entry', async () => {
    const owner = await signUp(t, { name: 'Round Trip' });
    await owner.client.patch(`/api/v1/tenants/${owner.tenantId}/settings/general`, { defaultCountry: 'SA' });
    await importFile(owner, csv('Name,Phone,Email,Website,City', 'Flagged Phone,call us,,,Riyadh', 'Flagged Mail,,not-an-email,,Riyadh'));
    for (const body of [
      {
        name: 'Manual, with "quotes"',
        phone: '0501234567',
        website: 'manual.example',
        tags: ['vip', 'dental'],
        notes: 'line one\nline two',
      },
      { name: 'عيادة الرياض', city: 'الرياض', email: 'info@riyadh.example' },
    ])
      expect((await owner.client.post(leadsUrl(owner.tenantId), body)).status).toBe(201);
    // Found by searches: only their source ids (and the lead ids in the export) can tell them apart.
    await insertLeads(t, owner.tenantId, [
      { name: 'Same Name', source: 'osm', sourceId: 'node/1', lat: 24.7, lon: -46.5, rating: 4.5, reviewCount: 12 },
      { name: 'Same Name', source: 'google', sourceId: 'ChIJ-place-2' },
      { name: 'Same Name', source: 'manual' },
    ]);
    const before = await t.database.db.select().from(leads).where(eq(leads.tenantId, owner.tenantId)).orderBy(asc(leads.id));
    expect(before).toHaveLength(7);
    const auditBefore = await auditActions(owner.tenantId);

    const exported = await owner.client.get(leadsUrl(owner.tenantId, '/export.csv'));
    expect(exported.status).toBe(200);
    const up = await uploadCsv(t, owner.client, owner.tenantId, exported.text, 'leads-export.csv');
    const mapped = (field: string) =>
      up.body.headers[Number(Object.keys(up.body.suggestedMapping).find((c) => up.body.suggestedMapping[c] === field))];
    expect([mapped('id'), mapped('sourceId'), mapped('source'), mapped('phone'), mapped('website')]).toEqual([
      'id',
      'source_id',
      'source',
      'phone',
      'website',
    ]);

    for (const onMatch of ['skip', 'update']) {
      const started = await owner.client.post(`/api/v1/tenants/${owner.tenantId}/imports/${up.body.id}/start`, {
        mapping: up.body.suggestedMapping,
        onMatch,
      });
      const job = await waitForJob(owner.client, owner.tenantId, started.body.id);
      expect(job.result, onMatch).toMatchObject({ rows: 7, created: 0, updated: 0, skipped: 7, invalid: 0, flagged: 0 });
      const after = await t.database.db.select().from(leads).where(eq(leads.tenantId, owner.tenantId)).orderBy(asc(leads.id));
      expect(after, onMatch).toEqual(before);
    }
    const added = (await auditActions(owner.tenantId)).slice(auditBefore.length);
    expect(added).toEqual(['lead.exported', 'job.created', 'lead.imported', 'job.created', 'lead.imported']);
  }, 60_000);
});

/** The tenant's audit entries' actions, oldest first. */
const auditActions = async (tenantId: string) =>
  (
    await t.database.db
      .select({ action: auditLogs.action })
      .from(auditLogs)
      .where(eq(auditLogs.tenantId, tenantId))
      .orderBy(asc(auditLogs.createdAt), asc(auditLogs.id))
  ).map((e) => e.action);
