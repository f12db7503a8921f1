import { describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { auditLogs, reportShares, reportViews } from '../db/schema/index.js';
import { joinAs } from '../leads/test-helpers.js';
import { Client, signUp, startTestApp } from '../test/harness.js';
import { checkedLead, generate, readPdf, reportsUrl } from './test-helpers.js';

const t = await startTestApp();
const db = t.database.db;
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';

/** Someone without an account, opening the link in their browser. */
const visitor = () => new Client(t.app);
const open = (token: string, rest = '', ua = IPHONE) =>
  visitor().request('GET', `/r/${token}${rest}`, undefined, { 'user-agent': ua, origin: '' });

async function sharedReport() {
  const owner = await signUp(t, { name: 'Share Owner' });
  await owner.client.patch(`/api/v1/tenants/${owner.tenantId}/settings/branding`, { displayName: 'Share Agency' });
  const lead = await checkedLead(t, owner.tenantId, { name: 'Shared Dental <Clinic>', city: 'Riyadh' }, [
    { kind: 'NO_HTTPS', weight: 15, sourceUrl: 'http://shared.example/' },
  ]);
  // Another lead of the same tenant: the share page must show nothing of it.
  await checkedLead(t, owner.tenantId, { name: 'Secret Other Lead' }, []);
  const report = await generate(owner, { leadId: lead.id, language: 'en' });
  const res = await owner.client.post(reportsUrl(owner.tenantId, `/${report.id}/shares`), {});
  expect(res.status).toBe(201);
  return { owner, report, share: res.body as { id: string; token: string; url: string; expiresAt: string } };
}

describe('share links', () => {
  it('open the report as a private web page with its PDF, without sign-in, and count each view with a coarse device', async () => {
    const { owner, report, share } = await sharedReport();
    expect(share.url).toBe(`http://localhost:3000/r/${share.token}`);
    const days = (Date.parse(share.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    // Only the hash is kept.
    const [stored] = await db.select().from(reportShares).where(eq(reportShares.id, share.id));
    expect(stored.tokenHash).not.toContain(share.token);

    const page = await open(share.token);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['x-robots-tag']).toContain('noindex');
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'; img-src data:;/);
    expect(page.headers['cache-control']).toContain('no-store');
    expect(page.text).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(page.text).toContain('Shared Dental &lt;Clinic&gt;');
    expect(page.text).toContain('The site is served over plain HTTP and does not redirect to HTTPS.');
    expect(page.text).toContain('href="http://shared.example/"');
    expect(page.text).not.toContain('Secret Other Lead');
    expect(page.text).not.toContain(owner.email);
    expect(page.text).not.toContain('<script');

    const pdf = await open(share.token, '/pdf', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)');
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(readPdf(pdf.raw).text).toContain('Shared Dental <Clinic>');

    await open(share.token, '', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)');
    const views = await owner.client.get(reportsUrl(owner.tenantId, `/${report.id}/views`));
    expect(views.body.items.map((v: { device: string }) => v.device)).toEqual(['desktop', 'mobile']);
    const listed = await owner.client.get(reportsUrl(owner.tenantId, '?viewed=true'));
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0].views.count).toBe(2);
    const activity = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/leads/${report.leadId}/activity`);
    expect(
      activity.body.items.filter((i: { action: string }) => i.action === 'report.viewed').map((i: { metadata: unknown }) => i.metadata),
    ).toEqual([
      { reportId: report.id, device: 'desktop' },
      { reportId: report.id, device: 'mobile' },
    ]);
    // No address is kept with a view.
    const [row] = await db.select().from(reportViews).where(eq(reportViews.reportId, report.id)).limit(1);
    expect(Object.keys(row).sort()).toEqual(['device', 'id', 'reportId', 'shareId', 'tenantId', 'viewedAt']);
  });

  it('a wrong, malformed, revoked or expired link is the same 404, and counts nothing', async () => {
    const { owner, report, share } = await sharedReport();
    const wrong = 'A'.repeat(43);
    const answers = [await open(wrong), await open('not-a-token'), await open(wrong, '/pdf')];

    const revoked = await owner.client.post(reportsUrl(owner.tenantId, `/${report.id}/shares/${share.id}/revoke`));
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ active: false });
    answers.push(await open(share.token), await open(share.token, '/pdf'));

    const second = (await owner.client.post(reportsUrl(owner.tenantId, `/${report.id}/shares`), { expiresInDays: 1 })).body;
    expect((await open(second.token)).status).toBe(200);
    await db
      .update(reportShares)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(reportShares.id, second.id));
    answers.push(await open(second.token));

    for (const a of answers) {
      expect(a.status).toBe(404);
      expect(a.body.detail).toBe('This link does not open a report. It may have expired or been revoked.');
    }
    const views = await owner.client.get(reportsUrl(owner.tenantId, `/${report.id}/views`));
    expect(views.body.items).toHaveLength(1);
    const actions = (
      await db
        .select({ action: auditLogs.action })
        .from(auditLogs)
        .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.targetId, report.id)))
        .orderBy(asc(auditLogs.createdAt))
    ).map((a) => a.action);
    expect(actions.filter((a) => a.startsWith('report.share'))).toEqual(['report.shared', 'report.share_revoked', 'report.shared']);
  });

  it('refuses bad expiries (400), a viewer (403) and strangers (404)', async () => {
    const { owner, report, share } = await sharedReport();
    const tooLong = await owner.client.post(reportsUrl(owner.tenantId, `/${report.id}/shares`), { expiresInDays: 400 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.fields[0]).toMatchObject({ field: 'expiresInDays', message: 'must be at most 365 days' });
    const viewer = await joinAs(t, owner, 'VIEWER');
    expect((await viewer.client.post(reportsUrl(owner.tenantId, `/${report.id}/shares`), {})).status).toBe(403);
    expect((await viewer.client.post(reportsUrl(owner.tenantId, `/${report.id}/shares/${share.id}/revoke`))).status).toBe(403);
    const stranger = await signUp(t);
    expect((await stranger.client.post(reportsUrl(stranger.tenantId, `/${report.id}/shares`), {})).status).toBe(404);
    expect((await stranger.client.post(reportsUrl(stranger.tenantId, `/${report.id}/shares/${share.id}/revoke`))).status).toBe(404);
    // The link still works after all that.
    expect((await open(share.token)).status).toBe(200);
  });

  it('limits how often one link is opened', async () => {
    const { share } = await sharedReport();
    let status = 200;
    for (let i = 0; i < 61 && status === 200; i++) status = (await open(share.token, '/pdf')).status;
    expect(status).toBe(429);
    // Another link is not held back by it.
    const other = await sharedReport();
    expect((await open(other.share.token)).status).toBe(200);
  });
});

describe('live views', () => {
  it("tells the report's creator, while connected, that their shared report was opened", async () => {
    const { owner, report, share } = await sharedReport();
    const res = await t.app.inject({
      method: 'GET',
      url: reportsUrl(owner.tenantId, '/events'),
      headers: { cookie: owner.client.cookieHeader, 'x-forwarded-for': owner.client.ip },
      payloadAsStream: true,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const stream = res.stream();
    let received = '';
    const viewed = new Promise<string>((resolve) =>
      stream.on('data', (chunk: Buffer) => {
        received += chunk.toString();
        if (received.includes('event: viewed')) resolve(received);
      }),
    );
    await open(share.token);
    const text = await viewed;
    stream.destroy();
    const data = JSON.parse(text.split('event: viewed\ndata: ')[1].split('\n')[0]);
    expect(data).toMatchObject({ reportId: report.id, subjectName: 'Shared Dental <Clinic>', device: 'mobile' });
  });
});
