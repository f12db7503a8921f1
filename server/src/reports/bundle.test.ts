import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLogs, jobs, leadLists, plans, reports, tenants, usageCounters } from '../db/schema/index.js';
import { insertList, joinAs } from '../leads/test-helpers.js';
import { currentPeriod } from '../plans/limits.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { unzip } from './read-zip.js';
import { checkedLead, readPdf, reportsUrl, waitForReport } from './test-helpers.js';

const t = await startTestApp();
const db = t.database.db;
const listUrl = (tenantId: string, listId: string, rest: string) => `/api/v1/tenants/${tenantId}/lists/${listId}${rest}`;

async function listOfLeads(owner: SignedUpUser, names: string[]) {
  const list = await insertList(t, owner.tenantId, 'Riyadh dentists');
  const leads = [];
  for (const [i, name] of names.entries())
    leads.push(await checkedLead(t, owner.tenantId, { name, score: 90 - i * 10 }, [{ kind: 'NO_HTTPS', weight: 15 }]));
  await db.insert(leadLists).values(leads.map((l) => ({ tenantId: owner.tenantId, listId: list.id, leadId: l.id })));
  return { list, leads };
}

async function reportOf(owner: SignedUpUser, leadId: string) {
  const res = await owner.client.get(reportsUrl(owner.tenantId, `?leadId=${leadId}`));
  return res.body.items[0] as { id: string; status: string; language: string };
}

describe('a report per lead of a list, bundled as a ZIP', () => {
  it('starts one report per lead, then streams their PDFs named per lead and lists what is missing and why', async () => {
    const owner = await signUp(t, { name: 'Bundle Owner' });
    const { list, leads } = await listOfLeads(owner, ['Smile Clinic', 'عيادة النخيل', 'Clinic ../../etc/passwd']);

    const started = await owner.client.post(listUrl(owner.tenantId, list.id, '/lead-reports'), { language: 'en' });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ started: 3 });
    for (const lead of leads)
      expect(await waitForReport(owner, (await reportOf(owner, lead.id)).id)).toMatchObject({ status: 'SUCCEEDED', language: 'en' });

    // Two more leads: one never reported on, one whose report was cancelled.
    const never = await checkedLead(t, owner.tenantId, { name: 'Never Reported', score: 5 }, []);
    const cancelled = await checkedLead(t, owner.tenantId, { name: 'Cancelled Bakery', score: 4 }, []);
    await db.insert(leadLists).values([never, cancelled].map((l) => ({ tenantId: owner.tenantId, listId: list.id, leadId: l.id })));
    const [job] = await db
      .insert(jobs)
      .values({ tenantId: owner.tenantId, type: 'GENERATE_REPORT', input: { leadId: cancelled.id, language: 'en' }, status: 'CANCELLED' })
      .returning();
    await db.insert(reports).values({ tenantId: owner.tenantId, leadId: cancelled.id, language: 'en', status: 'PENDING', jobId: job.id });

    const zip = await owner.client.request('GET', listUrl(owner.tenantId, list.id, '/lead-reports.zip?language=en'));
    expect(zip.status).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.headers['content-disposition']).toContain("filename*=UTF-8''Riyadh-dentists-lead-reports-en.zip");
    const entries = await unzip(zip.raw);
    expect(entries.map((e) => e.name)).toEqual([
      '1-Smile-Clinic-en.pdf',
      `2-${'عيادة-النخيل'}-en.pdf`,
      '3-Clinic-etc-passwd-en.pdf',
      'not-included.txt',
    ]);
    for (const [i, name] of ['Smile Clinic', 'عيادة النخيل', 'Clinic ../../etc/passwd'].entries()) {
      expect(entries[i].data.subarray(0, 5).toString()).toBe('%PDF-');
      expect(readPdf(entries[i].data).text.replace(/\s+/g, ' ')).toContain(name.split(' ')[0]);
    }
    expect(entries[3].data.toString('utf8')).toBe(
      'Leads of "Riyadh dentists" without a finished report in this file:\n- Never Reported — no report generated yet\n- Cancelled Bakery — cancelled\n',
    );
    const [audit] = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, 'report.bundle_downloaded')));
    expect(audit).toMatchObject({ targetId: list.id, metadata: { included: 3, missing: 2, language: 'en' } });

    // Asked for Arabic, none of the English reports is included: every lead is named instead.
    const arabic = await unzip((await owner.client.request('GET', listUrl(owner.tenantId, list.id, '/lead-reports.zip?language=ar'))).raw);
    expect(arabic.map((e) => e.name)).toEqual(['not-included.txt']);
    expect(arabic[0].data.toString('utf8').split('\n')).toHaveLength(7);
  });

  it('lets a viewer download but not start reports (403), hides another tenant’s list (404) and refuses bad input (400) and an empty list (409)', async () => {
    const owner = await signUp(t, { name: 'Bundle Rules' });
    const { list } = await listOfLeads(owner, ['Only Clinic']);
    const viewer = await joinAs(t, owner, 'VIEWER');
    expect((await viewer.client.post(listUrl(owner.tenantId, list.id, '/lead-reports'), {})).status).toBe(403);
    expect((await viewer.client.request('GET', listUrl(owner.tenantId, list.id, '/lead-reports.zip'))).status).toBe(200);

    const stranger = await signUp(t);
    expect((await stranger.client.post(listUrl(stranger.tenantId, list.id, '/lead-reports'), {})).status).toBe(404);
    expect((await stranger.client.request('GET', listUrl(stranger.tenantId, list.id, '/lead-reports.zip'))).status).toBe(404);
    expect((await stranger.client.request('GET', listUrl(owner.tenantId, list.id, '/lead-reports.zip'))).status).toBe(404);

    const bad = await owner.client.post(listUrl(owner.tenantId, list.id, '/lead-reports'), { language: 'fr' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].field).toContain('language');
    expect((await owner.client.request('GET', listUrl(owner.tenantId, list.id, '/lead-reports.zip?language=fr'))).status).toBe(400);

    const empty = await insertList(t, owner.tenantId, 'Empty');
    const refused = await owner.client.post(listUrl(owner.tenantId, empty.id, '/lead-reports'), {});
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe('This list has no leads to report on.');
    expect(refused.body.reason).toBe('listEmpty');
    expect((await owner.client.request('GET', listUrl(owner.tenantId, empty.id, '/lead-reports.zip'))).status).toBe(409);
    expect(await db.select().from(reports).where(eq(reports.tenantId, owner.tenantId))).toEqual([]);
  });

  it('starts none when the plan’s monthly reports run out part way (402)', async () => {
    const owner = await signUp(t, { name: 'Bundle Limit' });
    const { list } = await listOfLeads(owner, ['First Clinic', 'Second Clinic', 'Third Clinic']);
    const [{ limit }] = await db
      .select({ limit: plans.reportsPerMonth })
      .from(tenants)
      .innerJoin(plans, eq(plans.code, tenants.planCode))
      .where(eq(tenants.id, owner.tenantId));
    await db.insert(usageCounters).values({ tenantId: owner.tenantId, period: currentPeriod(), metric: 'reports', count: limit - 2 });
    const refused = await owner.client.post(listUrl(owner.tenantId, list.id, '/lead-reports'), {});
    expect(refused.status).toBe(402);
    expect(await db.select().from(reports).where(eq(reports.tenantId, owner.tenantId))).toEqual([]);
    expect(await db.select().from(jobs).where(eq(jobs.tenantId, owner.tenantId))).toEqual([]);
    const [usage] = await db.select({ count: usageCounters.count }).from(usageCounters).where(eq(usageCounters.tenantId, owner.tenantId));
    expect(usage.count).toBe(limit - 2);
  });
});
