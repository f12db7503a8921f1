import { describe, expect, it } from 'vitest';
import { and, asc, eq, like } from 'drizzle-orm';
import type { Role } from '@optarget/shared';
import { auditLogs, tenantSettings } from '../db/schema/index.js';
import { inTenantTransaction } from '../db/transactions.js';
import { addPerson } from '../team/test-users.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { getBranding } from './branding.js';
import { testLogo } from './test-helpers.js';

const t = await startTestApp();
const db = t.database.db;
const GOOGLE_KEY = 'AIzaSyDemoKey_abcdefghijklmnopqrs1234';

const url = (who: SignedUpUser, rest: string, tenantId = who.tenantId) => `/api/v1/tenants/${tenantId}/settings/${rest}`;
const settingsAudit = (tenantId: string) =>
  db
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.tenantId, tenantId), like(auditLogs.action, 'settings.%')))
    .orderBy(asc(auditLogs.createdAt));
const storedRow = async (tenantId: string) => (await db.select().from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId)))[0];
const uploadLogo = (who: SignedUpUser, bytes: Buffer, contentType = 'application/octet-stream') =>
  who.client.request('PUT', url(who, 'branding/logo'), bytes, { 'content-type': contentType });

describe('general: the default country', () => {
  it('starts unset; an admin sets it (upper-cased) and the change is audited with before and after', async () => {
    const owner = await signUp(t);
    const admin = await addPerson(t, owner.tenantId, 'ADMIN');
    expect((await owner.client.get(url(owner, 'general'))).body).toEqual({ defaultCountry: null });
    const res = await admin.client.patch(url(owner, 'general'), { defaultCountry: 'ae' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ defaultCountry: 'AE' });
    expect((await owner.client.get(url(owner, 'general'))).body).toEqual({ defaultCountry: 'AE' });
    const [entry] = await settingsAudit(owner.tenantId);
    expect(entry).toMatchObject({
      action: 'settings.general_changed',
      actorEmail: admin.email,
      targetType: 'settings',
      targetId: 'general',
      metadata: { before: { defaultCountry: null }, after: { defaultCountry: 'AE' } },
    });
  });

  it('refuses an unknown country with 400 naming the field, and saving the same value records nothing', async () => {
    const owner = await signUp(t);
    await owner.client.patch(url(owner, 'general'), { defaultCountry: 'SA' });
    for (const defaultCountry of ['XX', 'Saudi', '']) {
      const res = await owner.client.patch(url(owner, 'general'), { defaultCountry });
      expect(res.status).toBe(400);
      expect(res.body.fields).toEqual([
        { field: 'defaultCountry', message: 'must be a two-letter country code such as SA', rule: 'countryCode' },
      ]);
    }
    expect((await owner.client.patch(url(owner, 'general'), { defaultCountry: 'sa' })).status).toBe(200);
    expect((await owner.client.get(url(owner, 'general'))).body).toEqual({ defaultCountry: 'SA' });
    expect(await settingsAudit(owner.tenantId)).toHaveLength(1);
  });

  it('phone numbers of new leads are read in the country at once', async () => {
    const owner = await signUp(t);
    const lead = () => owner.client.post(`/api/v1/tenants/${owner.tenantId}/leads`, { name: 'Clinic', phone: '050 123 4567' });
    expect((await lead()).status).toBe(400);
    await owner.client.patch(url(owner, 'general'), { defaultCountry: 'SA' });
    expect((await lead()).body.phone).toBe('+966501234567');
  });
});

describe('prospecting: the Google Places key', () => {
  it('is stored encrypted and shown everywhere only masked: answers, audit entries and their CSV export', async () => {
    const owner = await signUp(t);
    expect((await owner.client.get(url(owner, 'prospecting'))).body).toEqual({ googlePlacesKey: { configured: false, last4: null } });
    const saved = await owner.client.put(url(owner, 'prospecting/google-places-key'), { apiKey: GOOGLE_KEY });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ googlePlacesKey: { configured: true, last4: '1234' } });
    const viewer = await addPerson(t, owner.tenantId, 'VIEWER');
    const read = await viewer.client.get(url(owner, 'prospecting'));
    expect(read.body).toEqual({ googlePlacesKey: { configured: true, last4: '1234' } });

    const row = await storedRow(owner.tenantId);
    expect(row.googlePlacesKeyEnc).toMatch(/^v1\./);
    expect(row.googlePlacesKeyEnc).not.toContain(GOOGLE_KEY.slice(0, 12));

    const replaced = await owner.client.put(url(owner, 'prospecting/google-places-key'), { apiKey: 'AIzaSyOtherKey_zyxwvutsrqponmlk9876' });
    expect(replaced.body.googlePlacesKey.last4).toBe('9876');
    expect((await owner.client.delete(url(owner, 'prospecting/google-places-key'))).body).toEqual({
      googlePlacesKey: { configured: false, last4: null },
    });
    // Removing a key that is not there changes nothing and records nothing.
    await owner.client.delete(url(owner, 'prospecting/google-places-key'));

    const audit = await settingsAudit(owner.tenantId);
    expect(audit.map((e) => [e.action, e.metadata])).toEqual([
      [
        'settings.prospecting_changed',
        {
          before: { googlePlacesKey: { configured: false, last4: null } },
          after: { googlePlacesKey: { configured: true, last4: '1234' } },
        },
      ],
      [
        'settings.prospecting_changed',
        {
          before: { googlePlacesKey: { configured: true, last4: '1234' } },
          after: { googlePlacesKey: { configured: true, last4: '9876' } },
        },
      ],
      [
        'settings.prospecting_changed',
        {
          before: { googlePlacesKey: { configured: true, last4: '9876' } },
          after: { googlePlacesKey: { configured: false, last4: null } },
        },
      ],
    ]);
    const csv = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/audit-logs/export.csv`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('settings.prospecting_changed');
    for (const text of [saved.text, read.text, JSON.stringify(audit), csv.text]) {
      expect(text).not.toContain(GOOGLE_KEY);
      expect(text).not.toContain('AIzaSy');
    }
  });

  it('refuses something that is not a key, naming the field, and keeps the saved one', async () => {
    const owner = await signUp(t);
    await owner.client.put(url(owner, 'prospecting/google-places-key'), { apiKey: GOOGLE_KEY });
    const res = await owner.client.put(url(owner, 'prospecting/google-places-key'), { apiKey: 'short key!' });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(['apiKey', 'apiKey']);
    expect((await owner.client.get(url(owner, 'prospecting'))).body.googlePlacesKey.last4).toBe('1234');
  });
});

describe('scoring: the evidence weights', () => {
  it('reads the defaults, saves overrides with one audit entry, and refuses out-of-range weights', async () => {
    const owner = await signUp(t);
    const start = await owner.client.get(url(owner, 'scoring'));
    expect(start.body.overrides).toEqual({});
    expect(start.body.weights.WEBSITE_MISSING).toBe(start.body.defaults.WEBSITE_MISSING);
    const res = await owner.client.put(url(owner, 'scoring'), { weights: { NO_HTTPS: 40 } });
    expect(res.body).toMatchObject({ overrides: { NO_HTTPS: 40 }, weights: { NO_HTTPS: 40 } });
    const bad = await owner.client.put(url(owner, 'scoring'), { weights: { NO_HTTPS: 101 } });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(['weights.NO_HTTPS']);
    expect((await owner.client.get(url(owner, 'scoring'))).body.overrides).toEqual({ NO_HTTPS: 40 });
    const audit = await settingsAudit(owner.tenantId);
    expect(audit.map((e) => [e.action, e.metadata])).toEqual([
      ['settings.scoring_changed', { before: {}, after: { NO_HTTPS: 40 }, rescoredLeads: 0 }],
    ]);
  });
});

describe('branding', () => {
  it('starts empty; fields change one by one, an empty text clears, and each save is one audit entry', async () => {
    const owner = await signUp(t);
    const empty = { displayName: null, brandColor: null, contactLine: null, reportLanguage: 'en', digits: 'latin', logo: null };
    expect((await owner.client.get(url(owner, 'branding'))).body).toEqual(empty);
    const first = await owner.client.patch(url(owner, 'branding'), {
      displayName: '  وكالة النمو الرقمي  ',
      brandColor: '#0B7285',
      contactLine: '+966 11 456 7890 · hello@growth.example · growth.example',
      reportLanguage: 'ar',
      digits: 'arabic-indic',
    });
    expect(first.status).toBe(200);
    const filled = {
      displayName: 'وكالة النمو الرقمي',
      brandColor: '#0b7285',
      contactLine: '+966 11 456 7890 · hello@growth.example · growth.example',
      reportLanguage: 'ar',
      digits: 'arabic-indic',
      logo: null,
    };
    expect(first.body).toEqual(filled);
    const second = await owner.client.patch(url(owner, 'branding'), { contactLine: '', brandColor: null });
    expect(second.body).toEqual({ ...filled, contactLine: null, brandColor: null });
    expect((await owner.client.get(url(owner, 'branding'))).body).toEqual(second.body);
    // Nothing to change, nothing recorded.
    await owner.client.patch(url(owner, 'branding'), {});
    await owner.client.patch(url(owner, 'branding'), { reportLanguage: 'ar' });

    const audit = await settingsAudit(owner.tenantId);
    expect(audit.map((e) => [e.action, e.targetId, e.metadata])).toEqual([
      ['settings.branding_changed', 'branding', { before: empty, after: filled }],
      ['settings.branding_changed', 'branding', { before: filled, after: second.body }],
    ]);
  });

  it.each([
    [{ brandColor: 'blue' }, 'brandColor'],
    [{ brandColor: '#12345' }, 'brandColor'],
    [{ displayName: 'x'.repeat(101) }, 'displayName'],
    [{ contactLine: 'line one\nline two' }, 'contactLine'],
    [{ reportLanguage: 'fr' }, 'reportLanguage'],
    [{ digits: 'roman' }, 'digits'],
  ])('refuses %j with 400 naming %s, changing nothing', async (body, field) => {
    const owner = await signUp(t);
    await owner.client.patch(url(owner, 'branding'), { displayName: 'Growth Agency', brandColor: '#0b7285' });
    const res = await owner.client.patch(url(owner, 'branding'), body);
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect((await owner.client.get(url(owner, 'branding'))).body).toMatchObject({ displayName: 'Growth Agency', brandColor: '#0b7285' });
    expect(await settingsAudit(owner.tenantId)).toHaveLength(1);
  });

  it('getBranding gives reports the latest branding at once, with the logo bytes and the fallbacks filled in', async () => {
    const owner = await signUp(t, { name: 'Layla' });
    const branding = () => inTenantTransaction(db, owner.tenantId, (tx) => getBranding(tx, owner.tenantId));
    expect(await branding()).toEqual({
      displayName: "Layla's Organization",
      brandColor: '#1c7ed6',
      contactLine: null,
      reportLanguage: 'en',
      digits: 'latin',
      logo: null,
    });
    await owner.client.patch(url(owner, 'branding'), { displayName: 'Growth', brandColor: '#e8590c', reportLanguage: 'ar' });
    await uploadLogo(owner, testLogo('logo.png'));
    const now = await branding();
    expect(now).toMatchObject({ displayName: 'Growth', brandColor: '#e8590c', reportLanguage: 'ar' });
    expect(now.logo?.contentType).toBe('image/png');
    expect(Buffer.isBuffer(now.logo?.bytes)).toBe(true);
    expect(now.logo?.bytes.equals(testLogo('logo.png'))).toBe(true);
  });
});

describe('the logo', () => {
  it.each([
    ['logo.png', 'image/png', 'application/octet-stream'],
    ['logo.jpg', 'image/jpeg', 'image/png'],
    ['logo.svg', 'image/svg+xml', 'text/plain'],
  ] as const)(
    '%s is recognised as %s by its content whatever type is declared (%s), and served back to members',
    async (file, type, declared) => {
      const owner = await signUp(t);
      const bytes = testLogo(file);
      const res = await uploadLogo(owner, bytes, declared);
      expect(res.status, res.text).toBe(200);
      expect(res.body.logo).toEqual({ contentType: type, sizeBytes: bytes.length, updatedAt: expect.any(String) });

      const viewer = await addPerson(t, owner.tenantId, 'VIEWER');
      const served = await viewer.client.get(url(owner, 'branding/logo'));
      expect(served.status).toBe(200);
      expect(served.headers['content-type']).toBe(type);
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      expect(served.headers['content-security-policy']).toMatch(/default-src 'none'.*sandbox/);
      expect(served.headers['cache-control']).toBe('private, no-cache');
      expect(served.raw.equals(bytes)).toBe(true);
      expect((await t.app.inject({ method: 'GET', url: url(owner, 'branding/logo') })).statusCode).toBe(401);
    },
  );

  it('is removed with one audit entry, after which it is not found', async () => {
    const owner = await signUp(t);
    await uploadLogo(owner, testLogo('logo.svg'));
    const removed = await owner.client.delete(url(owner, 'branding/logo'));
    expect(removed.status).toBe(200);
    expect(removed.body.logo).toBeNull();
    expect((await owner.client.get(url(owner, 'branding/logo'))).status).toBe(404);
    const audit = await settingsAudit(owner.tenantId);
    expect(
      audit.map((e) => [(e.metadata.before as { logo: unknown }).logo !== null, (e.metadata.after as { logo: unknown }).logo !== null]),
    ).toEqual([
      [false, true],
      [true, false],
    ]);
  });

  it.each([
    ['a shell script renamed .png', 400, Buffer.from('#!/bin/sh\nrm -rf ~\n'), 'image/png', /not a PNG, JPEG or SVG image/],
    [
      'an SVG with <script>',
      400,
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      'image/svg+xml',
      /<script>/,
    ],
    [
      'an SVG with an external href',
      400,
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/a.png" width="9" height="9"/></svg>'),
      'image/svg+xml',
      /outside the file/,
    ],
    ['a 20 MB file', 413, Buffer.concat([testLogo('logo.png'), Buffer.alloc(20 * 1024 * 1024)]), 'image/png', /larger than 1 MB/],
    ['nothing at all', 400, Buffer.alloc(0), 'image/png', /logo/],
  ] as const)('%s gets a clear %i and changes nothing', async (_name, status, bytes, declared, reason) => {
    const owner = await signUp(t);
    await uploadLogo(owner, testLogo('logo.png'));
    const before = await owner.client.get(url(owner, 'branding'));
    const auditBefore = await settingsAudit(owner.tenantId);
    const res = await uploadLogo(owner, bytes, declared);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(reason);
    expect((await owner.client.get(url(owner, 'branding'))).body).toEqual(before.body);
    expect((await owner.client.get(url(owner, 'branding/logo'))).raw.equals(testLogo('logo.png'))).toBe(true);
    expect(await settingsAudit(owner.tenantId)).toHaveLength(auditBefore.length);
  });
});

describe('who may read and change settings', () => {
  const changes: [string, (who: SignedUpUser, owner: SignedUpUser) => Promise<{ status: number }>][] = [
    ['general', (who, owner) => who.client.patch(url(owner, 'general'), { defaultCountry: 'EG' })],
    ['the Google key', (who, owner) => who.client.put(url(owner, 'prospecting/google-places-key'), { apiKey: GOOGLE_KEY })],
    ['removing the Google key', (who, owner) => who.client.delete(url(owner, 'prospecting/google-places-key'))],
    ['scoring', (who, owner) => who.client.put(url(owner, 'scoring'), { weights: { NO_HTTPS: 1 } })],
    ['branding', (who, owner) => who.client.patch(url(owner, 'branding'), { displayName: 'Changed' })],
    ['the logo', (who, owner) => uploadLogo({ ...who, tenantId: owner.tenantId }, testLogo('logo.jpg'))],
    ['removing the logo', (who, owner) => who.client.delete(url(owner, 'branding/logo'))],
  ];
  const reads = ['general', 'prospecting', 'scoring', 'branding', 'branding/logo'];

  async function tenantWithEverythingSet() {
    const owner = await signUp(t);
    await owner.client.patch(url(owner, 'general'), { defaultCountry: 'SA' });
    await owner.client.put(url(owner, 'prospecting/google-places-key'), { apiKey: 'AIzaSyTheOwnersKey_abcdefghijklm5678' });
    await owner.client.patch(url(owner, 'branding'), { displayName: 'Original' });
    await uploadLogo(owner, testLogo('logo.png'));
    return owner;
  }

  it.each(['MEMBER', 'VIEWER'] as Role[])('a %s reads every section but changes none (403, nothing changes)', async (role) => {
    const owner = await tenantWithEverythingSet();
    const person = await addPerson(t, owner.tenantId, role);
    for (const section of reads) expect((await person.client.get(url(owner, section))).status, section).toBe(200);
    const before = await storedRow(owner.tenantId);
    for (const [name, change] of changes) {
      const res = await change(person, owner);
      expect(res.status, name).toBe(403);
    }
    expect(await storedRow(owner.tenantId)).toEqual(before);
  });

  it.each(['OWNER', 'ADMIN'] as Role[])('an %s changes every section', async (role) => {
    const owner = await tenantWithEverythingSet();
    const person = role === 'OWNER' ? owner : await addPerson(t, owner.tenantId, role);
    for (const [name, change] of changes) expect((await change(person, owner)).status, name).toBe(200);
  });

  it("another tenant's settings are not found (404), and stay as they were", async () => {
    const owner = await tenantWithEverythingSet();
    const stranger = await signUp(t);
    const before = await storedRow(owner.tenantId);
    for (const section of reads) expect((await stranger.client.get(url(owner, section))).status, section).toBe(404);
    for (const [name, change] of changes) expect((await change(stranger, owner)).status, name).toBe(404);
    expect(await storedRow(owner.tenantId)).toEqual(before);
  });
});
