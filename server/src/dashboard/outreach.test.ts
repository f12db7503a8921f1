import { describe, expect, it } from 'vitest';
import { reports, reportViews, whatsappConversations, whatsappMessages } from '../db/schema/index.js';
import { insertLeads } from '../leads/test-helpers.js';
import { addPerson } from '../team/test-users.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';

const t = await startTestApp();
const db = t.database.db;
const DAY = 86_400_000;
const ago = (days: number, minutes = 0) => new Date(Date.now() - days * DAY - minutes * 60_000);
const outreachUrl = (who: SignedUpUser, query = '') => `/api/v1/tenants/${who.tenantId}/dashboard/outreach${query}`;

type Seed = { status: 'QUEUED' | 'SENT' | 'DELIVERED' | 'READ' | 'FAILED'; at: Date };

/**
 * A tenant whose leads did one thing each: `read` was read and answered, `delivered` got it,
 * `failed` did not, `queued` waits, `old` was messaged 40 days ago, `optedOut` wrote, was
 * answered and opted out, `viewed` opened its report twice, `quiet` did nothing.
 */
async function seededTenant() {
  const owner = await signUp(t);
  const tenantId = owner.tenantId;
  const names = ['read', 'delivered', 'failed', 'queued', 'old', 'optedOut', 'viewed', 'quiet'] as const;
  const rows = await insertLeads(
    t,
    tenantId,
    names.map((name) => ({ name })),
  );
  const id = Object.fromEntries(names.map((n, i) => [n, rows[i].id])) as Record<(typeof names)[number], string>;
  const out = (leadId: string, s: Seed) =>
    db.insert(whatsappMessages).values({
      tenantId,
      leadId,
      direction: 'OUT',
      phone: '+966500000000',
      type: 'text',
      text: 'Hello',
      status: s.status,
      idempotencyKey: crypto.randomUUID(),
      createdAt: s.at,
    });
  const inbound = (leadId: string, at: Date) =>
    db.insert(whatsappMessages).values({
      tenantId,
      leadId,
      direction: 'IN',
      phone: '+966500000000',
      type: 'text',
      text: 'Tell me more',
      status: 'RECEIVED',
      waMessageId: `wamid.${crypto.randomUUID()}`,
      receivedAt: at,
      createdAt: at,
    });
  await out(id.read, { status: 'READ', at: ago(1) });
  await inbound(id.read, ago(1, -30));
  await out(id.delivered, { status: 'DELIVERED', at: ago(0, 5) });
  await out(id.failed, { status: 'FAILED', at: ago(2) });
  await out(id.queued, { status: 'QUEUED', at: ago(0, 1) });
  await out(id.old, { status: 'SENT', at: ago(40) });
  await inbound(id.optedOut, ago(3));
  await out(id.optedOut, { status: 'DELIVERED', at: ago(3, -10) });
  await db.insert(whatsappConversations).values([
    { tenantId, leadId: id.read, lastInboundAt: ago(1, -30), consent: 'OPTED_IN' },
    { tenantId, leadId: id.optedOut, lastInboundAt: ago(3), consent: 'OPTED_OUT', consentAt: ago(2) },
  ]);
  const [report] = await db.insert(reports).values({ tenantId, leadId: id.viewed, status: 'SUCCEEDED' }).returning();
  await db.insert(reportViews).values([
    { tenantId, reportId: report.id, device: 'mobile', viewedAt: ago(1) },
    { tenantId, reportId: report.id, device: 'desktop', viewedAt: ago(0) },
    { tenantId, reportId: report.id, device: 'desktop', viewedAt: ago(50) },
  ]);
  return { owner, id };
}

/** The names of the leads the lead table shows for an outreach filter, as the dashboard's link opens it. */
async function leadsBehind(who: SignedUpUser, outreach: string, from: string) {
  const res = await who.client.get(`/api/v1/tenants/${who.tenantId}/leads?outreach=${outreach}&outreachFrom=${encodeURIComponent(from)}`);
  expect(res.status).toBe(200);
  return (res.body.items as { name: string }[]).map((l) => l.name).sort();
}

describe('the outreach dashboard', () => {
  it('counts leads per outcome over the period, each number matching exactly the leads its filter opens', async () => {
    const { owner } = await seededTenant();
    // Another tenant's identical activity must change nothing here.
    await seededTenant();
    const res = await owner.client.get(outreachUrl(owner));
    expect(res.status).toBe(200);
    const stats = res.body;
    expect(stats.days).toBe(30);
    expect(stats.leads).toEqual({
      messaged: 4,
      delivered: 3,
      replied: 1,
      failed: 1,
      optedOut: 1,
      awaitingReply: 1,
      reportViewed: 1,
    });
    expect(stats.deliveryRate).toBeCloseTo(3 / 4);
    expect(stats.replyRate).toBeCloseTo(1 / 4);
    expect(stats.reportViews).toBe(2);

    const expected: Record<string, string[]> = {
      messaged: ['delivered', 'failed', 'optedOut', 'read'],
      delivered: ['delivered', 'optedOut', 'read'],
      replied: ['read'],
      failed: ['failed'],
      optedOut: ['optedOut'],
      awaitingReply: ['read'],
      reportViewed: ['viewed'],
    };
    for (const [kind, names] of Object.entries(expected)) {
      expect(await leadsBehind(owner, kind, stats.from), kind).toEqual(names);
      expect(stats.leads[kind], kind).toBe(names.length);
    }
  });

  it('widens with the period, and gives every day of it with what became of its messages', async () => {
    const { owner } = await seededTenant();
    const week = (await owner.client.get(outreachUrl(owner, '?days=7'))).body;
    const quarter = (await owner.client.get(outreachUrl(owner, '?days=90'))).body;
    expect(week.leads.messaged).toBe(4);
    expect(quarter.leads.messaged).toBe(5);
    expect(await leadsBehind(owner, 'messaged', quarter.from)).toEqual(['delivered', 'failed', 'old', 'optedOut', 'read']);
    expect(quarter.reportViews).toBe(3);

    expect(week.series).toHaveLength(7);
    expect(week.series.at(-1).day).toBe(new Date().toISOString().slice(0, 10));
    const day = (d: Date) => week.series.find((s: { day: string }) => s.day === d.toISOString().slice(0, 10));
    const total = week.series.reduce(
      (sum: Record<string, number>, s: Record<string, number>) => ({
        sent: sum.sent + s.sent,
        delivered: sum.delivered + s.delivered,
        read: sum.read + s.read,
        failed: sum.failed + s.failed,
        replied: sum.replied + s.replied,
      }),
      { sent: 0, delivered: 0, read: 0, failed: 0, replied: 0 },
    );
    expect(total).toEqual({ sent: 4, delivered: 3, read: 1, failed: 1, replied: 1 });
    expect(day(ago(2))).toMatchObject({ failed: 1 });
  });

  it('is empty for a tenant without outreach, readable by a viewer, 404 to another tenant and 400 for another period', async () => {
    const owner = await signUp(t);
    const empty = (await owner.client.get(outreachUrl(owner))).body;
    expect(empty.leads.messaged).toBe(0);
    expect(empty.deliveryRate).toBeNull();
    expect(empty.series).toHaveLength(30);
    const viewer = await addPerson(t, owner.tenantId, 'VIEWER');
    expect((await viewer.client.get(outreachUrl(owner))).status).toBe(200);
    const stranger = await signUp(t);
    expect((await stranger.client.get(outreachUrl(owner))).status).toBe(404);
    const bad = await owner.client.get(outreachUrl(owner, '?days=5'));
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([
      { field: 'querystring.days', message: 'must be 7, 30 or 90', rule: 'oneOf', params: { values: '7, 30, 90' } },
    ]);
    const badFilter = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/leads?outreach=bogus`);
    expect(badFilter.status).toBe(400);
  });
});
