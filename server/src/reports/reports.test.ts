import { describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { recommendationCatalogue } from '@optarget/shared';
import { auditLogs, jobs, leadLists, reports, usageCounters } from '../db/schema/index.js';
import { insertLeads, insertList, joinAs } from '../leads/test-helpers.js';
import { currentPeriod } from '../plans/limits.js';
import { signUp, startTestApp } from '../test/harness.js';
import { checkedLead, generate, readPdf, reportsUrl, waitForReport, type EvidenceSeed } from './test-helpers.js';

const t = await startTestApp();
const db = t.database.db;
const fetchedAt = new Date('2026-04-30T10:15:00Z');

const dentistEvidence: EvidenceSeed[] = [
  { kind: 'NO_HTTPS', weight: 15, sourceUrl: 'http://smile-clinic.example/', fetchedAt },
  { kind: 'SLOW_RESPONSE', weight: 10, params: { seconds: 4.2 }, sourceUrl: 'http://smile-clinic.example/', fetchedAt },
  { kind: 'NO_MOBILE_VIEWPORT', weight: 15, sourceUrl: 'http://smile-clinic.example/', fetchedAt },
  { kind: 'LOW_RATING', weight: 10, params: { rating: 3.4 } },
  {
    kind: 'EMAIL_FOUND',
    weight: 5,
    params: { email: 'hello@smile-clinic.example' },
    sourceUrl: 'http://smile-clinic.example/contact',
    fetchedAt,
  },
];

async function ownerWithBranding() {
  const owner = await signUp(t, { name: 'Report Owner' });
  const res = await owner.client.patch(`/api/v1/tenants/${owner.tenantId}/settings/branding`, {
    displayName: 'Bright Web Agency',
    contactLine: 'Call +966 11 456 7890 or hello@bright.example',
  });
  expect(res.status).toBe(200);
  return owner;
}

describe('a lead report in English', () => {
  it('holds the business, every finding with its source and capture time, the market comparison, recommendations and the call to action', async () => {
    const owner = await ownerWithBranding();
    const lead = await checkedLead(
      t,
      owner.tenantId,
      { name: 'Smile Dental Clinic', category: 'Dentist', city: 'Riyadh', source: 'osm' },
      dentistEvidence,
    );
    // Peers of the same category and city: two with a faster site, one as slow.
    await checkedLead(t, owner.tenantId, { name: 'Peer A', category: 'dentist', city: 'riyadh' }, [{ kind: 'NO_HTTPS', weight: 15 }]);
    await checkedLead(t, owner.tenantId, { name: 'Peer B', category: 'Dentist', city: 'Riyadh' }, []);
    await checkedLead(t, owner.tenantId, { name: 'Peer C', category: 'Dentist', city: 'Riyadh' }, [{ kind: 'SLOW_RESPONSE', weight: 10 }]);

    const report = await generate(owner, { leadId: lead.id, language: 'en' });
    expect(report).toMatchObject({
      status: 'SUCCEEDED',
      kind: 'lead',
      leadId: lead.id,
      language: 'en',
      subjectName: 'Smile Dental Clinic',
    });

    const file = await owner.client.request('GET', reportsUrl(owner.tenantId, `/${report.id}/file`));
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toContain("filename*=UTF-8''Smile-Dental-Clinic-en.pdf");
    expect(file.raw.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, pages } = readPdf(file.raw);
    const flat = text.replace(/\s+/g, ' ');

    expect(pages).toBe(report.pageCount);
    expect(pages).toBeGreaterThanOrEqual(3);
    for (const expected of [
      'Bright Web Agency',
      'Smile Dental Clinic',
      'Dentist · Riyadh',
      'The site is served over plain HTTP and does not redirect to HTTPS.',
      'The home page took 4.2 seconds to start answering.',
      'The home page declares no mobile viewport',
      'Rated 3.4 out of 5 in the listing.',
      'Email address on the site: hello@smile-clinic.example',
      'http://smile-clinic.example/contact',
      '30 Apr 2026, 10:15 UTC',
      // Speed: two of the three peers have no speed problem, one is as slow.
      'Behind 2 of the 3 businesses like yours we checked; ahead of 0.',
      'Chat on WhatsApp',
      '© OpenStreetMap contributors',
    ])
      expect(flat).toContain(expected);
    for (const kind of ['NO_HTTPS', 'SLOW_RESPONSE', 'NO_MOBILE_VIEWPORT', 'LOW_RATING'] as const)
      expect(flat).toContain(recommendationCatalogue[kind]!.en.slice(0, 60));
    // An area where nobody was checked says so, never a zero.
    expect(flat).not.toMatch(/Behind 0 of the 0/);
  });

  it('prints a name full of typst and HTML syntax as text', async () => {
    const owner = await ownerWithBranding();
    const name = '#import "x" ] $x$ *bold* <b>tag</b> @ref //';
    const lead = await checkedLead(t, owner.tenantId, { name }, [{ kind: 'NO_HTTPS', weight: 15 }]);
    const report = await generate(owner, { leadId: lead.id, language: 'en' });
    expect(report.status).toBe('SUCCEEDED');
    const file = await owner.client.request('GET', reportsUrl(owner.tenantId, `/${report.id}/file`));
    const flat = readPdf(file.raw).text.replace(/\s+/g, ' ');
    expect(flat).toContain('#import "x" ] $x$ *bold* <b>tag</b> @ref //');
  });

  it('says so when a lead was never checked, with no comparison numbers', async () => {
    const owner = await ownerWithBranding();
    const [lead] = await insertLeads(t, owner.tenantId, [{ name: 'Fresh Bakery', category: 'Bakery', city: 'Jeddah' }]);
    const report = await generate(owner, { leadId: lead.id, language: 'en' });
    const file = await owner.client.request('GET', reportsUrl(owner.tenantId, `/${report.id}/file`));
    const flat = readPdf(file.raw).text.replace(/\s+/g, ' ');
    expect(flat).toContain('Fresh Bakery');
    expect(flat).toContain('No comparable businesses checked yet.');
    expect(flat).toContain('Nothing was checked yet.');
  });
});

describe('a lead report in Arabic', () => {
  it('comes back in logical order, with every Arabic word, numbers left to right and no presentation forms', async () => {
    const owner = await ownerWithBranding();
    const lead = await checkedLead(
      t,
      owner.tenantId,
      { name: 'عيادة الابتسامة لطب الأسنان', category: 'طبيب أسنان', city: 'الرياض' },
      dentistEvidence,
    );
    const report = await generate(owner, { leadId: lead.id, language: 'ar' });
    expect(report).toMatchObject({ status: 'SUCCEEDED', language: 'ar' });
    const file = await owner.client.request('GET', reportsUrl(owner.tenantId, `/${report.id}/file`));
    expect(file.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('عيادة-الابتسامة-لطب-الأسنان-ar.pdf')}`);
    const { text } = readPdf(file.raw);
    expect(text).not.toMatch(/[\uFB50-\uFDFF\uFE70-\uFEFF]/);
    // Arabic words only, without their vowel marks: punctuation (، . « ») may sit on either side of a word in the text layer.
    const arabicWords = (s: string) =>
      s
        .replace(/[\u064B-\u065F\u0670]/g, '')
        .replace(/[^\u0621-\u064A\s]/g, ' ')
        .split(/\s+/)
        .filter(Boolean);
    const words = new Set(arabicWords(text));
    const source = [
      'عيادة الابتسامة لطب الأسنان',
      'تقرير الحضور الرقمي',
      recommendationCatalogue.NO_MOBILE_VIEWPORT!.ar,
      recommendationCatalogue.LOW_RATING!.ar,
    ];
    for (const sentence of source) for (const word of arabicWords(sentence)) expect(words, word).toContain(word);
    // The agency's phone, inside an Arabic line, keeps its order.
    expect(text).toContain('+966 11 456 7890');
  });
  it('writes numbers with Arabic-Indic digits inside Arabic sentences when the tenant chooses them, URLs and e-mails untouched', async () => {
    const owner = await ownerWithBranding();
    expect((await owner.client.patch(`/api/v1/tenants/${owner.tenantId}/settings/branding`, { digits: 'arabic-indic' })).status).toBe(200);
    const lead = await checkedLead(t, owner.tenantId, { name: 'عيادة الأرقام', category: 'طبيب أسنان', city: 'الرياض' }, dentistEvidence);
    const report = await generate(owner, { leadId: lead.id, language: 'ar' });
    const { text } = readPdf((await owner.client.request('GET', reportsUrl(owner.tenantId, `/${report.id}/file`))).raw);
    // The finding's 4.2 seconds and 3.4 rating, the agency's phone (in order) and the score out of 100.
    for (const expected of ['٤٫٢', '٣٫٤', '+٩٦٦ ١١ ٤٥٦ ٧٨٩٠', '/١٠٠', 'http://smile-clinic.example/contact', 'hello@smile-clinic.example'])
      expect(text).toContain(expected);
    for (const latin of ['4.2', '3.4', '+966', '/100']) expect(text).not.toContain(latin);
  });
});

describe('who may generate, and the plan', () => {
  it('refuses a viewer (403), another tenant’s lead (404) and a report past the monthly limit (402), creating nothing', async () => {
    const owner = await ownerWithBranding();
    const lead = await checkedLead(t, owner.tenantId, { name: 'Limit Clinic' }, []);
    const viewer = await joinAs(t, owner, 'VIEWER');
    expect((await viewer.client.post(reportsUrl(owner.tenantId), { leadId: lead.id })).status).toBe(403);

    const stranger = await signUp(t);
    expect((await stranger.client.post(reportsUrl(stranger.tenantId), { leadId: lead.id })).status).toBe(404);
    const list = await insertList(t, owner.tenantId);
    expect((await stranger.client.post(reportsUrl(stranger.tenantId), { listId: list.id })).status).toBe(404);

    const both = await owner.client.post(reportsUrl(owner.tenantId), { leadId: lead.id, listId: list.id });
    expect(both.status).toBe(400);
    expect(both.body.fields[0]).toMatchObject({ field: 'leadId', message: 'give exactly one of leadId or listId' });

    await db.insert(usageCounters).values({ tenantId: owner.tenantId, period: currentPeriod(), metric: 'reports', count: 10_000 });
    const refused = await owner.client.post(reportsUrl(owner.tenantId), { leadId: lead.id });
    expect(refused.status).toBe(402);
    expect(refused.body.detail).toContain('reports this month');
    expect(await db.select().from(reports).where(eq(reports.tenantId, owner.tenantId))).toEqual([]);
  });

  it("hides another tenant's report (404) and audits generation, download and deletion", async () => {
    const owner = await ownerWithBranding();
    const lead = await checkedLead(t, owner.tenantId, { name: 'Audit Clinic' }, [{ kind: 'NO_HTTPS', weight: 15 }]);
    const report = await generate(owner, { leadId: lead.id });
    const stranger = await signUp(t);
    for (const rest of ['', '/file', '/views'])
      expect((await stranger.client.get(reportsUrl(stranger.tenantId, `/${report.id}${rest}`))).status).toBe(404);
    expect((await stranger.client.request('DELETE', reportsUrl(stranger.tenantId, `/${report.id}`))).status).toBe(404);

    expect((await owner.client.get(reportsUrl(owner.tenantId, `/${report.id}/file`))).status).toBe(200);
    expect((await owner.client.request('DELETE', reportsUrl(owner.tenantId, `/${report.id}`))).status).toBe(204);
    expect((await owner.client.get(reportsUrl(owner.tenantId, `/${report.id}`))).status).toBe(404);
    const actions = (
      await db
        .select({ action: auditLogs.action })
        .from(auditLogs)
        .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.targetId, report.id)))
    ).map((a) => a.action);
    expect(actions.sort()).toEqual(['report.deleted', 'report.downloaded', 'report.generated']);
  });

  it('refuses to delete a report while it is being generated (409), keeping it', async () => {
    const owner = await ownerWithBranding();
    const lead = await checkedLead(t, owner.tenantId, { name: 'Busy Clinic' }, []);
    const [row] = await db.insert(reports).values({ tenantId: owner.tenantId, leadId: lead.id, status: 'RUNNING' }).returning();
    const res = await owner.client.request('DELETE', reportsUrl(owner.tenantId, `/${row.id}`));
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe('This report is being generated; delete it once it is done.');
    expect(res.body.reason).toBe('reportGeneratingDelete');
    expect((await owner.client.get(reportsUrl(owner.tenantId, `/${row.id}`))).body.status).toBe('RUNNING');
  });

  it('takes the outcome of a job that ended without it (cancelled or failed), and may then be deleted', async () => {
    const owner = await ownerWithBranding();
    const lead = await checkedLead(t, owner.tenantId, { name: 'Stopped Clinic' }, []);
    for (const [outcome, error] of [
      ['CANCELLED', null],
      ['FAILED', 'The renderer stopped answering.'],
    ] as const) {
      const [job] = await db
        .insert(jobs)
        .values({ tenantId: owner.tenantId, type: 'GENERATE_REPORT', input: { leadId: lead.id, language: 'en' }, status: outcome, error })
        .returning();
      const [row] = await db
        .insert(reports)
        .values({ tenantId: owner.tenantId, leadId: lead.id, status: 'PENDING', jobId: job.id })
        .returning();
      const shown = (await owner.client.get(reportsUrl(owner.tenantId, `/${row.id}`))).body;
      expect(shown).toMatchObject({ status: outcome, error });
      const listed = (await owner.client.get(reportsUrl(owner.tenantId, `?status=${outcome}`))).body.items.map((r: { id: string }) => r.id);
      expect(listed).toContain(row.id);
      expect((await owner.client.request('DELETE', reportsUrl(owner.tenantId, `/${row.id}`))).status).toBe(204);
    }
  });

  it('regenerates a cancelled or failed report in one step, keeping its id, and refuses one in progress (409)', async () => {
    const owner = await ownerWithBranding();
    const lead = await checkedLead(t, owner.tenantId, { name: 'Again Clinic' }, [{ kind: 'NO_HTTPS', weight: 15 }]);
    for (const outcome of ['CANCELLED', 'FAILED'] as const) {
      const [job] = await db
        .insert(jobs)
        .values({ tenantId: owner.tenantId, type: 'GENERATE_REPORT', input: { leadId: lead.id, language: 'en' }, status: outcome })
        .returning();
      const [row] = await db
        .insert(reports)
        .values({ tenantId: owner.tenantId, leadId: lead.id, status: 'PENDING', jobId: job.id, language: 'en' })
        .returning();
      const again = await owner.client.post(reportsUrl(owner.tenantId, `/${row.id}/regenerate`));
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id: row.id, status: 'PENDING', error: null });
      expect(again.body.jobId).not.toBe(job.id);
      expect(await waitForReport(owner, row.id)).toMatchObject({ id: row.id, status: 'SUCCEEDED', subjectName: 'Again Clinic' });
    }
    const [busy] = await db.insert(reports).values({ tenantId: owner.tenantId, leadId: lead.id, status: 'RUNNING' }).returning();
    const refused = await owner.client.post(reportsUrl(owner.tenantId, `/${busy.id}/regenerate`));
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe('This report is being generated; generate it again once it is done.');
    expect(refused.body.reason).toBe('reportGeneratingRegenerate');
    const viewer = await joinAs(t, owner, 'VIEWER');
    expect((await viewer.client.post(reportsUrl(owner.tenantId, `/${busy.id}/regenerate`))).status).toBe(403);
    expect((await (await signUp(t)).client.post(reportsUrl(owner.tenantId, `/${busy.id}/regenerate`))).status).toBe(404);
  });

  it('lists reports with filters', async () => {
    const owner = await ownerWithBranding();
    const a = await checkedLead(t, owner.tenantId, { name: 'Filter A' }, []);
    const b = await checkedLead(t, owner.tenantId, { name: 'Filter B' }, []);
    await generate(owner, { leadId: a.id, language: 'en' });
    await generate(owner, { leadId: b.id, language: 'ar' });
    const all = await owner.client.get(reportsUrl(owner.tenantId));
    expect(all.body.items.map((r: { subjectName: string }) => r.subjectName)).toEqual(['Filter B', 'Filter A']);
    const arabic = await owner.client.get(reportsUrl(owner.tenantId, '?language=ar'));
    expect(arabic.body.items.map((r: { subjectName: string }) => r.subjectName)).toEqual(['Filter B']);
    const ofA = await owner.client.get(reportsUrl(owner.tenantId, `?leadId=${a.id}`));
    expect(ofA.body.items).toHaveLength(1);
    expect((await owner.client.get(reportsUrl(owner.tenantId, '?viewed=true'))).body.items).toEqual([]);
    expect((await owner.client.get(reportsUrl(owner.tenantId, '?language=fr'))).status).toBe(400);
  });
});

describe('counting reports', () => {
  it("counts the reports matching the filter with the first page, taking the job's outcome, never another tenant's", async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    const reportsWithFailedJobs = async (tenantId: string, n: number) => {
      const lead = await checkedLead(t, tenantId, { name: 'Counted Clinic' }, []);
      for (let i = 0; i < n; i++) {
        const [job] = await db
          .insert(jobs)
          .values({ tenantId, type: 'GENERATE_REPORT', input: { leadId: lead.id, language: 'en' }, status: 'FAILED' })
          .returning();
        await db.insert(reports).values({ tenantId, leadId: lead.id, status: 'PENDING', jobId: job.id, language: 'en' });
      }
      return lead;
    };
    const lead = await reportsWithFailedJobs(owner.tenantId, 2);
    await db.insert(reports).values({ tenantId: owner.tenantId, leadId: lead.id, status: 'RUNNING', language: 'ar' });
    await reportsWithFailedJobs(stranger.tenantId, 1);
    const list = async (who: typeof owner, query: string) => (await who.client.get(reportsUrl(who.tenantId, query))).body;

    const first = await list(owner, '?status=FAILED&limit=1');
    expect(first.items).toHaveLength(1);
    expect(first.total).toEqual({ count: 2, exact: true });
    expect(await list(owner, `?status=FAILED&limit=1&cursor=${first.nextCursor}`)).toMatchObject({ nextCursor: null, total: null });
    // A report whose job failed is FAILED, whatever its own row still says.
    expect((await list(owner, '?status=PENDING')).total).toEqual({ count: 0, exact: true });
    expect((await list(owner, '?language=ar')).total).toEqual({ count: 1, exact: true });
    expect((await list(owner, '')).total).toEqual({ count: 3, exact: true });
    expect((await list(stranger, '')).total).toEqual({ count: 1, exact: true });
  });
});

describe('recommendations the tenant rewords', () => {
  it('an admin rewords one; the next report prints it; an empty text restores the catalogue; a member cannot', async () => {
    const owner = await ownerWithBranding();
    const lead = await checkedLead(t, owner.tenantId, { name: 'Advice Clinic' }, [{ kind: 'NO_HTTPS', weight: 15 }]);
    const url = `/api/v1/tenants/${owner.tenantId}/report-recommendations`;
    const member = await joinAs(t, owner, 'MEMBER');
    expect((await member.client.put(url, { kind: 'NO_HTTPS', language: 'en', text: 'Mine' })).status).toBe(403);
    const tooLong = await owner.client.put(url, { kind: 'NO_HTTPS', language: 'en', text: 'x'.repeat(601) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.fields[0]).toMatchObject({ field: 'text', message: 'must be at most 600 characters' });
    expect((await owner.client.put(url, { kind: 'TECHNOLOGY', language: 'en', text: 'No' })).status).toBe(400);

    const changed = await owner.client.put(url, { kind: 'NO_HTTPS', language: 'en', text: 'We move your site to HTTPS in one afternoon.' });
    expect(changed.status).toBe(200);
    expect(changed.body.items.find((i: { kind: string; language: string }) => i.kind === 'NO_HTTPS' && i.language === 'en')).toMatchObject({
      customised: true,
      text: 'We move your site to HTTPS in one afternoon.',
    });
    const first = await generate(owner, { leadId: lead.id, language: 'en' });
    const firstText = readPdf((await owner.client.request('GET', reportsUrl(owner.tenantId, `/${first.id}/file`))).raw).text;
    expect(firstText.replace(/\s+/g, ' ')).toContain('We move your site to HTTPS in one afternoon.');

    await owner.client.put(url, { kind: 'NO_HTTPS', language: 'en', text: '' });
    const again = await owner.client.post(reportsUrl(owner.tenantId, `/${first.id}/regenerate`));
    expect(again.status).toBe(200);
    await waitForReport(owner, first.id);
    const secondText = readPdf((await owner.client.request('GET', reportsUrl(owner.tenantId, `/${first.id}/file`))).raw).text;
    expect(secondText.replace(/\s+/g, ' ')).toContain(recommendationCatalogue.NO_HTTPS!.en.slice(0, 60));
    const audit = await db
      .select({ action: auditLogs.action, metadata: auditLogs.metadata })
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, 'report.recommendation_changed')))
      .orderBy(asc(auditLogs.createdAt), asc(auditLogs.id));
    expect(audit.map((a) => a.metadata)).toEqual([
      { before: null, after: 'We move your site to HTTPS in one afternoon.' },
      { before: 'We move your site to HTTPS in one afternoon.', after: null },
    ]);
  });
});

describe('a list report', () => {
  it('ranks every lead of the list by score with its top findings and the distribution of scores', async () => {
    const owner = await ownerWithBranding();
    const list = await insertList(t, owner.tenantId, 'Riyadh dentists');
    const leadsOfList = [
      await checkedLead(t, owner.tenantId, { name: 'Low Score Dental', city: 'Riyadh' }, [
        { kind: 'FEW_REVIEWS', weight: 10, params: { reviews: 3 } },
      ]),
      await checkedLead(t, owner.tenantId, { name: 'High Score Dental', city: 'Riyadh' }, [
        { kind: 'NO_HTTPS', weight: 15 },
        { kind: 'NO_MOBILE_VIEWPORT', weight: 15 },
        { kind: 'SLOW_RESPONSE', weight: 10, params: { seconds: 5 } },
      ]),
      await checkedLead(t, owner.tenantId, { name: 'مركز الرياض لطب الأسنان', city: 'الرياض' }, [
        { kind: 'LOW_RATING', weight: 10, params: { rating: 3.1 } },
      ]),
    ];
    await db.insert(leadLists).values(leadsOfList.map((l) => ({ tenantId: owner.tenantId, listId: list.id, leadId: l.id })));
    const report = await generate(owner, { listId: list.id, language: 'en' });
    expect(report).toMatchObject({ status: 'SUCCEEDED', kind: 'list', listId: list.id, subjectName: 'Riyadh dentists' });
    const file = await owner.client.request('GET', reportsUrl(owner.tenantId, `/${report.id}/file`));
    const flat = readPdf(file.raw).text.replace(/\s+/g, ' ');
    for (const expected of [
      'Market map',
      'Riyadh dentists',
      '3 businesses',
      'Scores across the list',
      'Only 3 reviews in the listing.',
      'Rated 3.1 out of 5 in the listing.',
    ])
      expect(flat).toContain(expected);
    expect(flat.indexOf('High Score Dental')).toBeLessThan(flat.indexOf('Low Score Dental'));
    expect(flat).toContain('مركز الرياض لطب الأسنان'.split(' ')[0]);

    const empty = await insertList(t, owner.tenantId, 'Empty list');
    const refused = await owner.client.post(reportsUrl(owner.tenantId), { listId: empty.id });
    expect(refused.status).toBe(409);
  });
});
