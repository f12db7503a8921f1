import { describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { leads } from '../db/schema/index.js';
import { inTenantTransaction } from '../db/transactions.js';
import { farmSite } from '../enrichment/test-helpers.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { countryCodeOf } from './country.js';
import { normaliseWebsite } from './normalise.js';
import { leadsUrl } from './test-helpers.js';
import { upsertLeads, type LeadDraft } from './upsert.js';

// The crawler here keeps its production address policy (no CRAWLER_ALLOW_PRIVATE).
const t = await startTestApp();
const db = t.database.db;
/** A site on loopback that the crawler must never visit. */
const site = await farmSite({ '/': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<title>x</title>') });

const create = (who: SignedUpUser, body: Record<string, unknown>) => who.client.post(leadsUrl(who.tenantId), body);
const rowsOf = (tenantId: string) => db.select().from(leads).where(eq(leads.tenantId, tenantId)).orderBy(asc(leads.name));
const upsert = (tenantId: string, drafts: LeadDraft[], onMatch: 'skip' | 'update' = 'update') =>
  inTenantTransaction(db, tenantId, (tx) => upsertLeads(tx, tenantId, drafts, { onMatch, actorUserId: null, defaultCountry: null }));

describe('a phone typed in local format', () => {
  it('is read in the lead’s own country when the organization has no default country', async () => {
    const owner = await signUp(t);
    const res = await create(owner, { name: 'Riyadh Office', phone: '011 555 1234', country: 'SA' });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ phone: '+966115551234', phoneRaw: null, country: 'SA' });
    for (const [country, phone, expected] of [
      ['Saudi Arabia', '0501234567', '+966501234567'],
      ['السعودية', '055 123 4567', '+966551234567'],
      ['United Arab Emirates', '04 321 0000', '+97143210000'],
    ]) {
      const made = await create(owner, { name: `In ${country}`, phone, country });
      expect(made.status, country).toBe(201);
      expect(made.body.phone, country).toBe(expected);
    }
  });

  it('without any country, or unreadable in it, is refused with 400 naming the phone and a hint; nothing is stored', async () => {
    const owner = await signUp(t);
    const noCountry = await create(owner, { name: 'No country', phone: '011 555 1234' });
    expect(noCountry.status).toBe(400);
    expect(noCountry.body.fields).toEqual([
      { field: 'phone', message: expect.stringMatching(/country code.*lead's country.*settings/), rule: 'phone' },
    ]);
    const unreadable = await create(owner, { name: 'Bad', phone: '12', country: 'SA' });
    expect(unreadable.body.fields).toEqual([
      { field: 'phone', message: '"12" is not a valid phone number in Saudi Arabia.', rule: 'phone' },
    ]);
    expect(await rowsOf(owner.tenantId)).toHaveLength(0);
  });

  it('kept as text by an import is fixed by setting the lead’s country, and sending the text back unchanged is no edit', async () => {
    const owner = await signUp(t);
    const [outcome] = await upsert(owner.tenantId, [{ name: 'Imported', source: 'csv', phone: '0501234567' }]);
    expect(outcome.flags).toEqual(['phone']);
    const url = leadsUrl(owner.tenantId, `/${outcome.leadId}`);
    // The edit form shows the kept text in the phone field and sends it back with the other fields.
    const same = await owner.client.patch(url, { phone: '0501234567', city: 'Riyadh' });
    expect(same.status, same.text).toBe(200);
    expect(same.body).toMatchObject({ phone: null, phoneRaw: '0501234567', city: 'Riyadh' });
    const fixed = await owner.client.patch(url, { phone: '0501234567', country: 'Saudi Arabia' });
    expect(fixed.body).toMatchObject({ phone: '+966501234567', phoneRaw: null });
    const [row] = await rowsOf(owner.tenantId);
    expect(row.editedFields.sort()).toEqual(['city', 'country', 'phone']);
  });
});

describe('one email rule for the form and imports', () => {
  it('the form refuses what an import keeps as flagged text', async () => {
    const owner = await signUp(t);
    const res = await create(owner, { name: 'Mail', email: 'not-an-email' });
    expect(res.status).toBe(400);
    expect(res.body.fields[0].field).toBe('email');
    const [outcome] = await upsert(owner.tenantId, [{ name: 'Mail', source: 'csv', email: 'not-an-email' }]);
    expect(outcome).toMatchObject({ outcome: 'created', flags: ['email'] });
    const lead = await owner.client.get(leadsUrl(owner.tenantId, `/${outcome.leadId}`));
    expect(lead.body).toMatchObject({ email: null, emailRaw: 'not-an-email' });
    // Fixed through the form, the flag goes.
    const fixed = await owner.client.patch(leadsUrl(owner.tenantId, `/${outcome.leadId}`), { email: 'Info@Mail.example' });
    expect(fixed.body).toMatchObject({ email: 'info@mail.example', emailRaw: null });
  });
});

describe('a website on an IP address', () => {
  it('is kept as given, and the crawler’s address policy refuses to visit it, with the reason on the lead', async () => {
    const owner = await signUp(t);
    const res = await create(owner, { name: 'On Loopback', website: `http://127.0.0.1:${site.port}/` });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ website: `http://127.0.0.1:${site.port}`, domain: null });
    expect(normaliseWebsite('http://[2001:db8::1]/shop')).toEqual({ website: 'http://[2001:db8::1]/shop', domain: null });

    const started = await owner.client.post(`/api/v1/tenants/${owner.tenantId}/enrichments`, { leadIds: [res.body.id] });
    expect(started.status).toBe(202);
    const deadline = Date.now() + 25_000;
    let job = started.body;
    while (!['SUCCEEDED', 'FAILED'].includes(job.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await owner.client.get(`/api/v1/tenants/${owner.tenantId}/jobs/${job.id}`)).body;
    }
    expect(job).toMatchObject({ status: 'SUCCEEDED', result: { unreachable: 1 } });
    expect(site.requests).toEqual([]);
    const found = await owner.client.get(leadsUrl(owner.tenantId, `/${res.body.id}/evidence`));
    const unreachable = found.body.groups.find((g: { kind: string }) => g.kind === 'WEBSITE_UNREACHABLE');
    expect(unreachable.items[0].sourceUrl).toContain(`http://127.0.0.1:${site.port}`);
    expect(JSON.stringify(unreachable.items[0])).toMatch(/address not allowed.*loopback/);
  });

  it('text that is no web address, kept by an import, is shown as a website that cannot be visited, not as no website', async () => {
    const owner = await signUp(t);
    const [outcome] = await upsert(owner.tenantId, [{ name: 'Typo Site', source: 'csv', website: 'our site is down' }]);
    expect(outcome.flags).toEqual(['website']);
    const started = await owner.client.post(`/api/v1/tenants/${owner.tenantId}/enrichments`, { leadIds: [outcome.leadId] });
    expect(started.status).toBe(202);
    const deadline = Date.now() + 25_000;
    let groups: { kind: string; items: { value: string; snippet: string }[] }[] = [];
    while (Date.now() < deadline && !groups.length) {
      await new Promise((r) => setTimeout(r, 100));
      groups = (await owner.client.get(leadsUrl(owner.tenantId, `/${outcome.leadId}/evidence`))).body.groups;
    }
    expect(groups.map((g) => g.kind)).toEqual(['WEBSITE_UNREACHABLE']);
    expect(groups[0].items[0].snippet).toBe('website: our site is down');
  });
});

describe('one website domain for two businesses', () => {
  it('never merges businesses whose sites live on one builder or platform host', async () => {
    const owner = await signUp(t);
    const pairs = [
      ['https://sites.google.com/view/smile-dental', 'https://sites.google.com/view/pearl-dental'],
      ['https://smiledental.wixsite.com/home', 'https://pearldental.wixsite.com/home'],
      ['https://smile-dental.business.site', 'https://pearl-dental.business.site'],
      ['https://linktr.ee/smiledental', 'https://linktr.ee/pearldental'],
      ['https://smile-dental.godaddysites.com', 'https://pearl-dental.godaddysites.com'],
      ['https://smile.myshopify.com', 'https://pearl.myshopify.com'],
      ['https://smile-dental.github.io', 'https://pearl-dental.github.io'],
      ['https://smile-dental.zid.store', 'https://pearl-dental.zid.store'],
      ['https://salla.sa/smile-dental', 'https://salla.sa/pearl-dental'],
    ];
    const outcomes = await upsert(
      owner.tenantId,
      pairs.flatMap(([a, b], i) => [
        { name: `Smile ${i}`, source: 'csv' as const, website: a },
        { name: `Pearl ${i}`, source: 'csv' as const, website: b },
      ]),
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(Array(pairs.length * 2).fill('created'));
    const rows = await rowsOf(owner.tenantId);
    expect(rows.every((r) => r.domain === null && r.website)).toBe(true);
    // Through the form as well: no 409.
    expect((await create(owner, { name: 'Third', website: 'https://sites.google.com/view/third' })).status).toBe(201);
  });

  it('with different phones is flagged as a possible duplicate, not merged; with the same or no phone it merges', async () => {
    const owner = await signUp(t);
    const [first] = await upsert(owner.tenantId, [
      { name: 'Chain Riyadh', source: 'csv', website: 'chain.example', phone: '+966 11 555 0001' },
    ]);
    const outcomes = await upsert(owner.tenantId, [
      { name: 'Chain Jeddah', source: 'csv', website: 'https://www.chain.example/jeddah', phone: '+966 12 555 0002', city: 'Jeddah' },
      { name: 'Chain again', source: 'csv', website: 'chain.example', city: 'Riyadh' },
    ]);
    expect(outcomes).toEqual([
      { index: 0, outcome: 'created', leadId: expect.any(String), flags: ['duplicate'] },
      { index: 1, outcome: 'updated', leadId: first.leadId, matchedOn: 'domain' },
    ]);
    const jeddah = await owner.client.get(leadsUrl(owner.tenantId, `/${outcomes[0].leadId}`));
    expect(jeddah.body).toMatchObject({ name: 'Chain Jeddah', domain: 'chain.example', possibleDuplicates: 1 });
    const candidates = await owner.client.get(leadsUrl(owner.tenantId, `/${outcomes[0].leadId}/duplicates`));
    expect(candidates.body.items).toEqual([
      expect.objectContaining({ reason: 'domain', lead: expect.objectContaining({ id: first.leadId }) }),
    ]);
    const flagged = await owner.client.get(leadsUrl(owner.tenantId, '', { attention: 'duplicate' }));
    expect(flagged.body.items.map((l: { name: string }) => l.name).sort()).toEqual(['Chain Jeddah', 'Chain Riyadh']);

    // The form follows the same rule: another phone on the domain is a new lead, flagged; no phone is a 409.
    const dammam = await create(owner, { name: 'Chain Dammam', website: 'chain.example', phone: '+966 13 555 0003' });
    expect(dammam.status).toBe(201);
    expect(dammam.body.possibleDuplicates).toBe(1);
    const noPhone = await create(owner, { name: 'Chain', website: 'chain.example' });
    expect(noPhone.status).toBe(409);
    expect(noPhone.body).toMatchObject({ matchedOn: 'domain', existingLeadId: first.leadId });

    // Deleting the lead it points at leaves the other lead, unflagged.
    expect((await owner.client.delete(leadsUrl(owner.tenantId, `/${first.leadId}`))).status).toBe(204);
    expect((await owner.client.get(leadsUrl(owner.tenantId, `/${outcomes[0].leadId}`))).body.possibleDuplicates).toBe(0);
  });
});

describe('country names', () => {
  it('reads codes, English and Arabic names and common short forms; anything else is no country', () => {
    for (const [text, code] of [
      ['SA', 'SA'],
      ['sa', 'SA'],
      ['Saudi Arabia', 'SA'],
      ['KSA', 'SA'],
      ['المملكة العربية السعودية', 'SA'],
      ['السعودية', 'SA'],
      ['U.A.E.', 'AE'],
      ['الإمارات العربية المتحدة', 'AE'],
      ['Egypt', 'EG'],
      ['مصر', 'EG'],
      ['United Kingdom', 'GB'],
    ])
      expect(countryCodeOf(text), text).toBe(code);
    for (const text of ['', '  ', 'Riyadh', 'ZZ', null, undefined]) expect(countryCodeOf(text)).toBeNull();
  });
});
