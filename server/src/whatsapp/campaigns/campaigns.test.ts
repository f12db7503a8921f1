import { afterAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLogs, usageCounters, whatsappCampaignRecipients, whatsappMessages, whatsappTemplates } from '../../db/schema/index.js';
import { currentPeriod } from '../../plans/limits.js';
import { addPerson } from '../../team/test-users.js';
import { parseCsv, signUp, startTestApp, type SignedUpUser } from '../../test/harness.js';
import { FakeGraph, fixture, graphError } from '../fake-graph.js';
import { connect, deliver, payload, settle } from '../test-helpers.js';
import { campaignsUrl, optedInLeads, seedList, upgrade, type SeedLead } from './test-helpers.js';

const graph = await FakeGraph.start();
afterAll(() => graph.close());
const t = await startTestApp(graph.env);
const db = t.database.db;

async function readyOwner(plan: 'free' | 'business' = 'business') {
  const owner = await signUp(t);
  await connect(owner);
  if (plan === 'business') await upgrade(db, owner.tenantId);
  expect((await owner.client.post(`/api/v1/tenants/${owner.tenantId}/whatsapp/templates/sync`)).status).toBe(200);
  const templates = (await owner.client.get(`/api/v1/tenants/${owner.tenantId}/whatsapp/templates`)).body.items as {
    id: string;
    name: string;
  }[];
  const templateId = (name: string) => templates.find((x) => x.name === name)!.id;
  return { owner, templateId };
}

/** order_confirmation's two variables: the lead's name and city. */
const mapping = [
  { source: 'field', field: 'name' },
  { source: 'field', field: 'city' },
];

async function draft(owner: SignedUpUser, templateId: string, listId: string, extra: Record<string, unknown> = {}) {
  const res = await owner.client.post(campaignsUrl(owner), {
    name: 'Spring offer',
    listId,
    templateId,
    parameters: mapping,
    ratePerSecond: 80,
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function finished(owner: SignedUpUser, id: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = (await owner.client.get(campaignsUrl(owner, `/${id}`))).body;
    if (['COMPLETED', 'STOPPED', 'CANCELLED', 'PAUSED'].includes(c.status) && c.stats.pending === 0) return c;
    if (['STOPPED', 'PAUSED'].includes(c.status)) return c;
    if (Date.now() > deadline) throw new Error(`campaign still ${c.status}: ${JSON.stringify(c.stats)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sendsTo = (phones: Set<string>) => graph.sent.filter((r) => phones.has(r.body.to));
const recipients = (campaignId: string) =>
  db.select().from(whatsappCampaignRecipients).where(eq(whatsappCampaignRecipients.campaignId, campaignId));

describe('preview', () => {
  it('counts who will receive it and each reason to skip, and prices it from the tenant’s rate table', async () => {
    const { owner, templateId } = await readyOwner('free');
    // The free plan allows 100 messages a month; 98 are used, so only two more may go.
    await db.insert(usageCounters).values({ tenantId: owner.tenantId, period: currentPeriod(), metric: 'whatsappMessages', count: 98 });
    const people: SeedLead[] = [
      { name: 'Riyadh Dental', phone: '+966501111111', city: 'Riyadh', consent: 'OPTED_IN' },
      { name: 'Dubai Dental', phone: '+971501234567', city: 'Dubai', consent: 'OPTED_IN' },
      { name: 'Jeddah Dental', phone: '+966502222222', city: 'Jeddah', consent: 'OPTED_IN' },
      { name: 'Never asked', phone: '+966503333333', city: 'Riyadh' },
      { name: 'Said stop', phone: '+966504444444', city: 'Riyadh', consent: 'OPTED_OUT' },
      { name: 'No phone', phone: null, city: 'Riyadh', consent: 'OPTED_IN' },
      { name: 'Broken phone', phone: '+9661', city: 'Riyadh', consent: 'OPTED_IN' },
      { name: 'Riyadh Dental branch', phone: '+966501111111', city: 'Riyadh', consent: 'OPTED_IN' },
      { name: 'No city', phone: '+966505555555', city: null, consent: 'OPTED_IN' },
    ];
    const { listId } = await seedList(db, owner.tenantId, people);
    const rates = { currency: 'USD', rates: [{ country: 'SA', category: 'UTILITY', rate: 0.0107 }] };
    expect((await owner.client.put(`/api/v1/tenants/${owner.tenantId}/settings/whatsapp-rates`, rates)).status).toBe(200);
    const id = await draft(owner, templateId('order_confirmation'), listId);

    const preview = await owner.client.get(campaignsUrl(owner, `/${id}/preview`));
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      listSize: 9,
      willReceive: 2,
      skipped: { NO_CONSENT: 1, OPTED_OUT: 1, NO_PHONE: 2, DUPLICATE_PHONE: 1, MISSING_VALUE: 1, PLAN_LIMIT: 1, CANCELLED: 0 },
      planRemaining: 2,
      cost: {
        currency: 'USD',
        total: 0.0107,
        lines: [
          { country: 'AE', category: 'UTILITY', recipients: 1, rate: null, cost: null },
          { country: 'SA', category: 'UTILITY', recipients: 1, rate: 0.0107, cost: 0.0107 },
        ],
        unpriced: 1,
      },
      durationSeconds: 1,
    });
    expect(graph.sent.filter((r) => r.body.to === '+966501111111')).toEqual([]);

    const started = await owner.client.post(campaignsUrl(owner, `/${id}/start`));
    expect(started.status).toBe(200);
    const done = await finished(owner, id);
    expect(done).toMatchObject({ status: 'COMPLETED', estimatedCost: 0.0107, currency: 'USD' });
    expect(done.stats).toMatchObject({ recipients: 2, sent: 2, failed: 0, skipped: preview.body.skipped });
    // Sends overlap at the campaign's rate, so their order on the wire is not the list's.
    const values = sendsTo(new Set(['+966501111111', '+971501234567'])).map((r) =>
      r.body.template.components[0].parameters.map((p: any) => p.text),
    );
    expect(values.sort()).toEqual([
      ['Dubai Dental', 'Dubai'],
      ['Riyadh Dental', 'Riyadh'],
    ]);
    const skipped = await owner.client.get(campaignsUrl(owner, `/${id}/recipients?status=SKIPPED`));
    expect(skipped.body.items.map((r: any) => [r.leadName, r.skipReason])).toEqual([
      ['Jeddah Dental', 'PLAN_LIMIT'],
      ['Never asked', 'NO_CONSENT'],
      ['Said stop', 'OPTED_OUT'],
      ['No phone', 'NO_PHONE'],
      ['Broken phone', 'NO_PHONE'],
      ['Riyadh Dental branch', 'DUPLICATE_PHONE'],
      ['No city', 'MISSING_VALUE'],
    ]);
    expect(skipped.body.total).toEqual({ count: 7, exact: true });
    const firstTwo = await owner.client.get(campaignsUrl(owner, `/${id}/recipients?limit=2`));
    expect(firstTwo.body.total).toEqual({ count: 9, exact: true });
    const later = await owner.client.get(campaignsUrl(owner, `/${id}/recipients?limit=2&cursor=${firstTwo.body.nextCursor}`));
    expect(later.body.total).toBeNull();
    // The campaign list counts the tenant's own campaigns only.
    expect((await owner.client.get(campaignsUrl(owner))).body.total).toEqual({ count: 1, exact: true });
    const stranger = await signUp(t);
    expect((await stranger.client.get(campaignsUrl(stranger))).body).toMatchObject({ items: [], total: { count: 0, exact: true } });
  });
});

describe('sending', () => {
  it('sends each of 500 consenting leads exactly once although Meta answers 130429 midway, waiting before going on', async () => {
    const { owner, templateId } = await readyOwner();
    const people = [...optedInLeads(500), { name: 'Not opted in', phone: '+966599999999', city: 'Riyadh' }];
    const { listId } = await seedList(db, owner.tenantId, people);
    const phones = new Set(people.slice(0, 500).map((p) => p.phone!));
    const id = await draft(owner, templateId('order_confirmation'), listId);
    expect((await owner.client.post(campaignsUrl(owner, `/${id}/start`))).status).toBe(200);

    const deadline = Date.now() + 30_000;
    while (sendsTo(phones).length < 250 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    graph.sends.push(graphError(130429, 'Rate limit hit'), graphError(130429, 'Rate limit hit'), graphError(130429, 'Rate limit hit'));
    const done = await finished(owner, id);

    expect(done.status).toBe('COMPLETED');
    expect(done.stats).toMatchObject({ recipients: 500, sent: 500, failed: 0, unconfirmed: 0, pending: 0 });
    expect(done.stats.skipped.NO_CONSENT).toBe(1);
    const requests = sendsTo(phones);
    const perPhone = new Map<string, number>();
    for (const r of requests) perPhone.set(r.body.to, (perPhone.get(r.body.to) ?? 0) + 1);
    // Refused requests (130429) are sent again; everything else exactly once.
    const refused = requests.length - 500;
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(3);
    expect(perPhone.size).toBe(500);
    // Only refused requests repeat (one recipient may meet all three), so each phone had one accepted send.
    expect([...perPhone.values()].reduce((repeats, n) => repeats + n - 1, 0)).toBe(refused);
    // Each accepted send is one SENT message with its own WhatsApp id.
    const messages = await db
      .select()
      .from(whatsappMessages)
      .where(and(eq(whatsappMessages.tenantId, owner.tenantId), eq(whatsappMessages.direction, 'OUT')));
    expect(messages.filter((m) => m.status === 'SENT')).toHaveLength(500);
    expect(new Set(messages.map((m) => m.waMessageId)).size).toBe(500);
    expect(graph.sent.some((r) => r.body.to === '+966599999999')).toBe(false);
    const logs = (await owner.client.get(`/api/v1/tenants/${owner.tenantId}/jobs/${done.jobId}/logs?limit=100`)).body.items.map(
      (l: any) => l.message,
    );
    expect(logs.some((m: string) => m.includes('130429'))).toBe(true);
  }, 90_000);

  it('stops with Meta’s reason on 135000, sends nothing more, and goes on where it stopped when resumed', async () => {
    const { owner, templateId } = await readyOwner();
    const people = optedInLeads(40, 1000);
    const { listId } = await seedList(db, owner.tenantId, people);
    const phones = new Set(people.map((p) => p.phone!));
    const id = await draft(owner, templateId('order_confirmation'), listId, { ratePerSecond: 20 });
    expect((await owner.client.post(campaignsUrl(owner, `/${id}/start`))).status).toBe(200);
    while (sendsTo(phones).length < 10) await new Promise((r) => setTimeout(r, 5));
    graph.sends.push(graphError(135000, 'Generic user error'));
    const stopped = await finished(owner, id);
    expect(stopped.status).toBe('STOPPED');
    expect(stopped.stopCode).toBe(135000);
    expect(stopped.stopReason).toMatch(/Meta paused messaging for the business portfolio \(error 135000\)/);
    const sentBefore = stopped.stats.sent;
    expect(sentBefore).toBeGreaterThanOrEqual(10);
    expect(sentBefore).toBeLessThan(40);
    const requestsAtStop = sendsTo(phones).length;
    await new Promise((r) => setTimeout(r, 500));
    expect(sendsTo(phones).length).toBe(requestsAtStop);

    // Resumed once the portfolio is back: the rest go out, nobody twice.
    await settle(t, owner.tenantId);
    expect((await owner.client.post(campaignsUrl(owner, `/${id}/resume`))).status).toBe(200);
    const done = await finished(owner, id);
    expect(done).toMatchObject({ status: 'COMPLETED', stopReason: null });
    expect(done.stats.sent).toBe(40);
    const accepted = (await recipients(id)).filter((r) => r.status === 'SENT');
    expect(accepted).toHaveLength(40);
    expect(sendsTo(phones)).toHaveLength(41);
  });

  it('stops when Meta has paused the template (132015) and marks the template paused', async () => {
    const { owner, templateId } = await readyOwner();
    const { listId } = await seedList(db, owner.tenantId, optedInLeads(5, 2000));
    const id = await draft(owner, templateId('order_confirmation'), listId);
    graph.sends.push(graphError(132015, 'Template is paused'));
    expect((await owner.client.post(campaignsUrl(owner, `/${id}/start`))).status).toBe(200);
    const stopped = await finished(owner, id);
    expect(stopped).toMatchObject({ status: 'STOPPED', stopCode: 132015 });
    expect(stopped.stopReason).toMatch(/paused the template/);
    // The job's log names the case for the web to word, with Meta's own title kept as it came.
    const logs = (await owner.client.get(`/api/v1/tenants/${owner.tenantId}/jobs/${stopped.jobId}/logs?limit=100`)).body.items;
    const stopLine = logs.find((l: any) => l.data?.text?.code === 'log.campaignStoppedByMeta');
    expect(stopLine).toMatchObject({
      level: 'error',
      message: `The campaign stopped: ${stopped.stopReason}`,
      data: { text: { params: { stop: 'templatePaused', metaCode: 132015, title: expect.stringContaining('Template is paused') } } },
    });
    const [template] = await db
      .select()
      .from(whatsappTemplates)
      .where(eq(whatsappTemplates.id, templateId('order_confirmation')));
    expect(template.status).toBe('PAUSED');
  });

  it('records messages Meta holds for quality assessment, and fails a recipient Meta refuses without stopping the rest', async () => {
    const { owner, templateId } = await readyOwner();
    const people = optedInLeads(3, 3000);
    const { listId } = await seedList(db, owner.tenantId, people);
    const held = fixture('send-response-ok.json');
    held.messages[0] = { id: 'wamid.HELD1', message_status: 'held_for_quality_assessment' };
    graph.sends.push({ status: 200, body: held }, graphError(131026, 'Message undeliverable'));
    const id = await draft(owner, templateId('order_confirmation'), listId, { ratePerSecond: 1 });
    expect((await owner.client.post(campaignsUrl(owner, `/${id}/start`))).status).toBe(200);
    const done = await finished(owner, id);
    expect(done.status).toBe('COMPLETED');
    expect(done.stats).toMatchObject({ sent: 2, held: 1, failed: 1 });
    const failed = (await owner.client.get(campaignsUrl(owner, `/${id}/recipients?status=FAILED`))).body.items;
    expect(failed).toMatchObject([{ leadName: people[1].name, errorCode: 131026, errorTitle: '(#131026) Message undeliverable' }]);
  });
});

describe('stats after the job', () => {
  it('follow deliveries, reads, replies and opt-outs that arrive from webhooks after the campaign completed', async () => {
    const { owner, templateId } = await readyOwner();
    const people = optedInLeads(3, 4000);
    const { listId } = await seedList(db, owner.tenantId, people);
    const id = await draft(owner, templateId('order_confirmation'), listId);
    await owner.client.post(campaignsUrl(owner, `/${id}/start`));
    const done = await finished(owner, id);
    expect(done.stats).toMatchObject({ sent: 3, delivered: 0, read: 0, replied: 0, optedOut: 0 });
    const rows = await recipients(id);
    const wamid = async (phone: string) => {
      const r = rows.find((x) => x.phone === phone)!;
      return (await db.select().from(whatsappMessages).where(eq(whatsappMessages.id, r.messageId!)))[0].waMessageId!;
    };
    const inbound = (phone: string, text: string, n: number) =>
      deliver(
        t,
        owner.tenantId,
        payload('webhook-inbound-text.json', (b) => {
          const v = b.entry[0].changes[0].value;
          v.contacts[0].wa_id = phone.slice(1);
          Object.assign(v.messages[0], {
            from: phone.slice(1),
            id: `wamid.REPLY${n}${id}`,
            timestamp: String(Math.floor(Date.now() / 1000)),
            text: { body: text },
          });
        }),
      );
    const [a, b, c] = people.map((p) => p.phone!);
    const statuses = [
      [a, 'delivered'],
      [b, 'read'],
      [c, 'delivered'],
    ] as const;
    for (const [phone, s] of statuses) {
      const body = payload('webhook-status-sent.json', (x) =>
        Object.assign(x.entry[0].changes[0].value.statuses[0], { status: s, recipient_id: phone.slice(1) }),
      );
      const parsed = JSON.parse(body);
      parsed.entry[0].changes[0].value.statuses[0].id = await wamid(phone);
      expect((await deliver(t, owner.tenantId, JSON.stringify(parsed))).statusCode).toBe(200);
    }
    expect((await inbound(b, 'Interested, call me', 1)).statusCode).toBe(200);
    expect((await inbound(c, 'STOP', 2)).statusCode).toBe(200);
    await settle(t, owner.tenantId);
    const after = (await owner.client.get(campaignsUrl(owner, `/${id}`))).body;
    expect(after.stats).toMatchObject({ sent: 3, delivered: 3, read: 1, replied: 2, optedOut: 1 });
    const list = (await owner.client.get(campaignsUrl(owner))).body.items;
    expect(list[0]).toMatchObject({ id, stats: { delivered: 3, replied: 2, optedOut: 1 } });
    const replied = (await owner.client.get(campaignsUrl(owner, `/${id}/recipients`))).body.items.filter((r: any) => r.repliedAt);
    expect(replied.map((r: any) => r.phone).sort()).toEqual([b, c].sort());
  });
});

describe('control and rules', () => {
  it('pauses, resumes and cancels with an audit entry each, and schedules a start time', async () => {
    const { owner, templateId } = await readyOwner();
    const people = optedInLeads(30, 5000);
    const { listId } = await seedList(db, owner.tenantId, people);
    const phones = new Set(people.map((p) => p.phone!));
    const id = await draft(owner, templateId('order_confirmation'), listId, { ratePerSecond: 10 });
    expect((await owner.client.post(campaignsUrl(owner, `/${id}/start`))).status).toBe(200);
    while (sendsTo(phones).length < 5) await new Promise((r) => setTimeout(r, 5));
    const paused = await owner.client.post(campaignsUrl(owner, `/${id}/pause`));
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('PAUSED');
    await settle(t, owner.tenantId);
    const atPause = sendsTo(phones).length;
    await new Promise((r) => setTimeout(r, 400));
    expect(sendsTo(phones).length).toBe(atPause);
    const pausedTwice = await owner.client.post(campaignsUrl(owner, `/${id}/pause`));
    expect(pausedTwice.status).toBe(409);
    // The case, the state and the action, for the web to word in the user's language.
    expect(pausedTwice.body).toMatchObject({ code: 'CONFLICT', reason: 'campaignState', campaignStatus: 'PAUSED', action: 'paused' });
    expect((await owner.client.post(campaignsUrl(owner, `/${id}/resume`))).body.status).toBe('RUNNING');
    while (sendsTo(phones).length < atPause + 3) await new Promise((r) => setTimeout(r, 5));
    const cancelled = await owner.client.post(campaignsUrl(owner, `/${id}/cancel`));
    expect(cancelled.body.status).toBe('CANCELLED');
    await settle(t, owner.tenantId);
    const end = (await owner.client.get(campaignsUrl(owner, `/${id}`))).body;
    expect(end.stats.sent + end.stats.skipped.CANCELLED).toBe(30);
    expect(end.stats.sent).toBe(sendsTo(phones).length);
    expect(end.stats.pending).toBe(0);
    const actions = (
      await db
        .select()
        .from(auditLogs)
        .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.targetId, id)))
    ).map((a) => a.action);
    expect(actions.sort()).toEqual(
      [
        'whatsapp.campaign_created',
        'whatsapp.campaign_started',
        'whatsapp.campaign_paused',
        'whatsapp.campaign_resumed',
        'whatsapp.campaign_cancelled',
      ].sort(),
    );

    // A start time holds the job until then.
    const later = await draft(owner, templateId('order_confirmation'), listId, {
      startAt: new Date(Date.now() + 60 * 60_000).toISOString(),
    });
    const scheduled = await owner.client.post(campaignsUrl(owner, `/${later}/start`));
    expect(scheduled.body.status).toBe('SCHEDULED');
    await new Promise((r) => setTimeout(r, 300));
    expect((await owner.client.get(campaignsUrl(owner, `/${later}`))).body).toMatchObject({
      status: 'SCHEDULED',
      stats: { sent: 0, pending: 30 },
    });
    expect((await owner.client.post(campaignsUrl(owner, `/${later}/cancel`))).body.status).toBe('CANCELLED');
  });

  it('refuses bad input with 400 naming the fields, a template not approved with 409, and changes nothing', async () => {
    const { owner, templateId } = await readyOwner();
    const { listId } = await seedList(db, owner.tenantId, optedInLeads(2, 6000));
    const bad = await owner.client.post(campaignsUrl(owner), {
      name: '',
      listId: 'nope',
      templateId: templateId('order_confirmation'),
      parameters: mapping,
      ratePerSecond: 500,
      startAt: 'tomorrow',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: any) => f.field).sort()).toEqual(['listId', 'name', 'ratePerSecond', 'startAt']);
    const wrongCount = await owner.client.post(campaignsUrl(owner), {
      name: 'x',
      listId,
      templateId: templateId('order_confirmation'),
      parameters: [],
    });
    expect(wrongCount.status).toBe(400);
    expect(wrongCount.body.fields).toEqual([
      {
        field: 'parameters',
        message: 'the template order_confirmation has 2 variable(s); 0 given',
        rule: 'templateVariables',
        params: { name: 'order_confirmation', variables: 2, given: 0 },
      },
    ]);
    const withLink = await owner.client.post(campaignsUrl(owner), {
      name: 'x',
      listId,
      templateId: templateId('order_confirmation'),
      parameters: [mapping[0], { source: 'reportLink' }],
    });
    expect(withLink.status).toBe(400);
    expect(withLink.body.fields).toEqual([{ field: 'parameters.1', message: expect.any(String), rule: 'campaignReportLink' }]);
    const tooLate = await owner.client.post(campaignsUrl(owner), {
      name: 'x',
      listId,
      templateId: templateId('order_confirmation'),
      parameters: mapping,
      startAt: new Date(Date.now() + 40 * 86_400_000).toISOString(),
    });
    expect(tooLate.body.fields).toEqual([
      { field: 'startAt', message: 'must be within 30 days', rule: 'withinDays', params: { days: 30 } },
    ]);
    const pending = await owner.client.post(campaignsUrl(owner), {
      name: 'x',
      listId,
      templateId: templateId('abandoned_cart'),
      parameters: [],
    });
    expect(pending.status).toBe(409);
    expect(pending.body.code).toBe('WHATSAPP_TEMPLATE_NOT_APPROVED');
    expect(pending.body).toMatchObject({ template: 'abandoned_cart', templateStatus: 'PENDING' });
    const rates = await owner.client.put(`/api/v1/tenants/${owner.tenantId}/settings/whatsapp-rates`, {
      currency: 'dollars',
      rates: [
        { country: 'SA', category: 'MARKETING', rate: -1 },
        { country: 'SA', category: 'MARKETING', rate: 1 },
      ],
    });
    expect(rates.status).toBe(400);
    expect(rates.body.fields.map((f: any) => f.field).sort()).toEqual(['currency', 'rates', 'rates.0.rate']);
    expect((await owner.client.get(campaignsUrl(owner))).body.items).toEqual([]);
    expect((await owner.client.get(`/api/v1/tenants/${owner.tenantId}/settings/whatsapp-rates`)).body).toEqual({
      currency: 'USD',
      rates: [],
    });
  });

  it('lets a viewer read campaigns but not create, start or stop them (403), and hides them from other tenants (404)', async () => {
    const { owner, templateId } = await readyOwner();
    const { listId } = await seedList(db, owner.tenantId, optedInLeads(2, 7000));
    const id = await draft(owner, templateId('order_confirmation'), listId);
    const viewer = await addPerson(t, owner.tenantId, 'VIEWER');
    const asViewer = (path: string) => `/api/v1/tenants/${owner.tenantId}/whatsapp/campaigns${path}`;
    expect((await viewer.client.get(asViewer(''))).status).toBe(200);
    expect((await viewer.client.get(asViewer(`/${id}/preview`))).status).toBe(200);
    expect(
      (await viewer.client.post(asViewer(''), { name: 'x', listId, templateId: templateId('order_confirmation'), parameters: mapping }))
        .status,
    ).toBe(403);
    for (const action of ['start', 'pause', 'resume', 'cancel'])
      expect((await viewer.client.post(asViewer(`/${id}/${action}`))).status).toBe(403);
    expect(
      (await viewer.client.put(`/api/v1/tenants/${owner.tenantId}/settings/whatsapp-rates`, { currency: 'USD', rates: [] })).status,
    ).toBe(403);

    const stranger = await readyOwner();
    const theirs = (path: string) => `/api/v1/tenants/${stranger.owner.tenantId}/whatsapp/campaigns${path}`;
    for (const path of [`/${id}`, `/${id}/preview`, `/${id}/recipients`])
      expect((await stranger.owner.client.get(theirs(path))).status).toBe(404);
    for (const action of ['start', 'pause', 'resume', 'cancel'])
      expect((await stranger.owner.client.post(theirs(`/${id}/${action}`))).status).toBe(404);
    const withTheirList = await stranger.owner.client.post(theirs(''), {
      name: 'x',
      listId,
      templateId: stranger.templateId('order_confirmation'),
      parameters: mapping,
    });
    expect(withTheirList.status).toBe(404);
    expect((await owner.client.get(campaignsUrl(owner, `/${id}`))).body.status).toBe('DRAFT');
    expect(graph.sent.filter((r) => r.body.to === optedInLeads(1, 7000)[0].phone)).toEqual([]);
  });
});

describe('fixed text for a variable', () => {
  it('stores fixed text with the campaign and sends it to every recipient; refuses text Meta would refuse, creating nothing', async () => {
    const { owner, templateId } = await readyOwner();
    const people = optedInLeads(2, 8000);
    const { listId } = await seedList(db, owner.tenantId, people);
    const withText = [
      { source: 'field', field: 'name' },
      { source: 'text', text: '  the Riyadh office  ' },
    ];
    const meta = 'must not contain line breaks, tabs or four spaces in a row (WhatsApp refuses them)';
    const refused = [
      ['a\nb', { message: meta, rule: 'templateText' }],
      ['a\tb', { message: meta, rule: 'templateText' }],
      ['a    b', { message: meta, rule: 'templateText' }],
      ['   ', { message: 'must not be empty', rule: 'required' }],
      ['x'.repeat(1025), { message: 'must be at most 1024 characters', rule: 'tooLong', params: { max: 1024 } }],
    ] as const;
    for (const [text, reason] of refused) {
      const bad = await owner.client.post(campaignsUrl(owner), {
        name: 'Fixed',
        listId,
        templateId: templateId('order_confirmation'),
        parameters: [withText[0], { source: 'text', text }],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.fields).toEqual([{ field: 'parameters.1.text', ...reason }]);
    }
    expect((await owner.client.get(campaignsUrl(owner))).body.items).toEqual([]);
    // Three spaces in a row and the longest text Meta takes are accepted.
    const longest = await owner.client.post(campaignsUrl(owner), {
      name: 'Longest',
      listId,
      templateId: templateId('order_confirmation'),
      parameters: [withText[0], { source: 'text', text: `a   b${'x'.repeat(1019)}` }],
    });
    expect(longest.status).toBe(201);

    const id = await draft(owner, templateId('order_confirmation'), listId, { parameters: withText });
    const stored = (await owner.client.get(campaignsUrl(owner, `/${id}`))).body;
    expect(stored.parameters).toEqual([
      { source: 'field', field: 'name' },
      { source: 'text', text: 'the Riyadh office' },
    ]);
    expect((await owner.client.get(campaignsUrl(owner, `/${id}/preview`))).body.willReceive).toBe(2);
    expect((await owner.client.post(campaignsUrl(owner, `/${id}/start`))).status).toBe(200);
    expect((await finished(owner, id)).stats).toMatchObject({ sent: 2, failed: 0 });
    const values = sendsTo(new Set(people.map((p) => p.phone!))).map((r) =>
      r.body.template.components[0].parameters.map((p: any) => p.text),
    );
    expect(values.sort()).toEqual([
      [people[0].name, 'the Riyadh office'],
      [people[1].name, 'the Riyadh office'],
    ]);
  });
});

describe('recipients CSV', () => {
  it('lists each recipient with its outcome, the reason in words and the times, audited; 404 for another tenant', async () => {
    const { owner, templateId } = await readyOwner();
    const [delivered, refused, reader, stopper] = optedInLeads(4, 9000);
    const people: SeedLead[] = [delivered, refused, reader, stopper, { name: 'Never asked', phone: '+966509999999', city: 'Riyadh' }];
    const { listId } = await seedList(db, owner.tenantId, people);
    const ok = fixture('send-response-ok.json');
    ok.messages[0] = { id: `wamid.CSV1${listId}` };
    graph.sends.push({ status: 200, body: ok }, graphError(131026, 'Message undeliverable'));
    const id = await draft(owner, templateId('order_confirmation'), listId, { ratePerSecond: 1, name: 'Spring, "best" offer' });
    expect((await owner.client.post(campaignsUrl(owner, `/${id}/start`))).status).toBe(200);
    expect((await finished(owner, id)).stats).toMatchObject({ sent: 3, failed: 1 });
    const rows = await recipients(id);
    const wamid = async (phone: string) => {
      const r = rows.find((x) => x.phone === phone)!;
      return (await db.select().from(whatsappMessages).where(eq(whatsappMessages.id, r.messageId!)))[0].waMessageId!;
    };
    for (const [phone, s] of [
      [delivered.phone!, 'delivered'],
      [reader.phone!, 'read'],
    ] as const) {
      const parsed = JSON.parse(
        payload('webhook-status-sent.json', (x) =>
          Object.assign(x.entry[0].changes[0].value.statuses[0], { status: s, recipient_id: phone.slice(1) }),
        ),
      );
      parsed.entry[0].changes[0].value.statuses[0].id = await wamid(phone);
      expect((await deliver(t, owner.tenantId, JSON.stringify(parsed))).statusCode).toBe(200);
    }
    for (const [phone, text, n] of [
      [reader.phone!, 'Interested, call me', 1],
      [stopper.phone!, 'STOP', 2],
    ] as const) {
      const body = payload('webhook-inbound-text.json', (b) => {
        const v = b.entry[0].changes[0].value;
        v.contacts[0].wa_id = phone.slice(1);
        Object.assign(v.messages[0], {
          from: phone.slice(1),
          id: `wamid.CSVREPLY${n}${id}`,
          timestamp: String(Math.floor(Date.now() / 1000)),
          text: { body: text },
        });
      });
      expect((await deliver(t, owner.tenantId, body)).statusCode).toBe(200);
    }
    await settle(t, owner.tenantId);

    const res = await owner.client.get(campaignsUrl(owner, `/${id}/recipients.csv`));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="campaign-recipients-Spring_best_offer.csv"');
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    const [header, ...lines] = parseCsv(res.text.slice(1));
    expect(header).toEqual([
      'lead_name',
      'phone',
      'status',
      'reason',
      'sent_at',
      'delivered_at',
      'read_at',
      'failed_at',
      'replied_at',
      'opted_out_at',
    ]);
    const byName = new Map(lines.map((l) => [l[0], Object.fromEntries(header.map((h, i) => [h, l[i]]))]));
    expect([...byName.keys()]).toEqual(people.map((p) => p.name));
    expect(byName.get(delivered.name)).toMatchObject({ phone: delivered.phone, status: 'delivered', reason: '', read_at: '' });
    expect(byName.get(delivered.name)!.sent_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(byName.get(delivered.name)!.delivered_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(byName.get(refused.name)).toMatchObject({ status: 'failed', reason: '131026 (#131026) Message undeliverable', sent_at: '' });
    expect(byName.get(reader.name)).toMatchObject({ status: 'replied', opted_out_at: '' });
    expect(byName.get(reader.name)!.read_at).toMatch(/^\d{4}-/);
    expect(byName.get(reader.name)!.replied_at).toMatch(/^\d{4}-/);
    expect(byName.get(stopper.name)).toMatchObject({ status: 'opted out' });
    expect(byName.get(stopper.name)!.opted_out_at).toMatch(/^\d{4}-/);
    expect(byName.get('Never asked')).toMatchObject({ status: 'skipped', reason: 'No recorded WhatsApp consent', sent_at: '' });

    const arabic = parseCsv((await owner.client.get(campaignsUrl(owner, `/${id}/recipients.csv?lang=ar`))).text.slice(1));
    expect(arabic.at(-1)!.slice(2, 4)).toEqual(['تُخطّي', 'لا توجد موافقة مسجلة على واتساب']);
    // Meta's refusal is worded in Arabic, with Meta's own title after it as it came.
    expect(arabic.find((l) => l[0] === refused.name)!.slice(2, 4)).toEqual([
      'فشلت',
      'رفض واتساب الرسالة (الخطأ 131026): (#131026) Message undeliverable',
    ]);
    expect((await owner.client.get(campaignsUrl(owner, `/${id}/recipients.csv?lang=fr`))).status).toBe(400);

    const audited = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, 'whatsapp.campaign_recipients_exported')));
    expect(audited.map((a) => [a.targetId, a.metadata])).toEqual([
      [id, { name: 'Spring, "best" offer', rowCount: 5 }],
      [id, { name: 'Spring, "best" offer', rowCount: 5 }],
    ]);

    // Phones leave the product only through members' exports; another tenant gets the 404 of a missing campaign.
    const viewer = await addPerson(t, owner.tenantId, 'VIEWER');
    expect((await viewer.client.get(campaignsUrl(owner, `/${id}/recipients.csv`))).status).toBe(403);
    const stranger = await signUp(t);
    expect((await stranger.client.get(campaignsUrl(stranger, `/${id}/recipients.csv`))).status).toBe(404);
    expect((await stranger.client.get(campaignsUrl(owner, `/${id}/recipients.csv`))).status).toBe(404);
  });
});
