import { afterAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLogs, plans, tenants, tenantSettings, usageCounters, whatsappMessages } from '../db/schema/index.js';
import { currentPeriod } from '../plans/limits.js';
import { addPerson } from '../team/test-users.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { FakeGraph, fixture, graphError } from './fake-graph.js';
import { ACCESS_TOKEN, APP_SECRET, connect, deliver, leadUrl, payload, settle, settingsUrl } from './test-helpers.js';

const graph = await FakeGraph.start();
afterAll(() => graph.close());
const t = await startTestApp(graph.env);
const db = t.database.db;
const api = (who: SignedUpUser, rest: string) => `/api/v1/tenants/${who.tenantId}/${rest}`;

async function connectedOwner() {
  const owner = await signUp(t);
  await connect(owner);
  return owner;
}
async function newLead(who: SignedUpUser, fields: Record<string, unknown> = {}) {
  const res = await who.client.post(api(who, 'leads'), { name: 'Nelson Bakery', phone: '+16505551234', city: 'Riyadh', ...fields });
  expect(res.status).toBe(201);
  return res.body.id as string;
}
const sendsTo = (phone: string) => graph.sent.filter((r) => r.body.to === phone);
const messageRow = async (id: string) => (await db.select().from(whatsappMessages).where(eq(whatsappMessages.id, id)))[0];
async function syncedTemplate(who: SignedUpUser, name: string) {
  expect((await who.client.post(api(who, 'whatsapp/templates/sync'))).status).toBe(200);
  const templates = (await who.client.get(api(who, 'whatsapp/templates'))).body.items as { id: string; name: string }[];
  return templates.find((x) => x.name === name)!.id;
}
/** Waits until the message has left QUEUED (the send job ran). */
async function sentRow(id: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await messageRow(id);
    if (row.status !== 'QUEUED') return row;
    if (Date.now() > deadline) throw new Error('the message stayed queued');
    await new Promise((r) => setTimeout(r, 50));
  }
}
/** `as` records an opt-in for a lead of `who`'s tenant. */
const optIn = (who: SignedUpUser, leadId: string, as = who) =>
  as.client.post(leadUrl(who, leadId, '/consent'), { state: 'OPTED_IN', proof: 'Signed the opt-in form at the Riyadh expo, 2 May' });

describe('the connection', () => {
  it('stores the token and app secret sealed, answers and audits them masked, and shows the verify token to admins only', async () => {
    const owner = await signUp(t);
    const viewer = await addPerson(t, owner.tenantId, 'VIEWER');
    const member = await addPerson(t, owner.tenantId, 'MEMBER');
    expect((await member.client.patch(settingsUrl(owner), { accessToken: ACCESS_TOKEN })).status).toBe(403);
    const saved = await connect(owner);
    expect(saved).toMatchObject({
      phoneNumberId: '106540352242922',
      businessAccountId: '102290129340398',
      accessToken: { configured: true, last4: ACCESS_TOKEN.slice(-4) },
      // Too short for its last four characters to be shown.
      appSecret: { configured: true, last4: null },
      graphVersion: 'v23.0',
      webhookUrl: `http://localhost:3000/api/v1/webhooks/whatsapp/${owner.tenantId}`,
      connected: true,
    });
    const text = JSON.stringify(saved);
    expect(text).not.toContain(ACCESS_TOKEN);
    expect(text).not.toContain(APP_SECRET);
    const [row] = await db.select().from(tenantSettings).where(eq(tenantSettings.tenantId, owner.tenantId));
    expect(row.whatsappAccessTokenEnc).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(ACCESS_TOKEN);
    const audit = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, 'settings.whatsapp_changed')));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0].metadata)).not.toContain(ACCESS_TOKEN);
    expect(JSON.stringify(audit[0].metadata)).not.toContain(saved.verifyToken);
    const asViewer = (await viewer.client.get(settingsUrl(owner))).body;
    expect(asViewer.verifyToken).toBeNull();
    expect(asViewer.accessToken).toEqual({ configured: true, last4: ACCESS_TOKEN.slice(-4) });
  });

  it('refuses bad ids and versions with 400 naming each field, and saves nothing', async () => {
    const owner = await signUp(t);
    const res = await owner.client.patch(settingsUrl(owner), { phoneNumberId: '+1 555', graphVersion: 'latest', accessToken: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['accessToken', 'graphVersion', 'phoneNumberId']);
    expect((await owner.client.get(settingsUrl(owner))).body.connected).toBe(false);
  });

  it('tests the connection against Meta with the saved token, and says so when Meta refuses it', async () => {
    const owner = await connectedOwner();
    const ok = await owner.client.post(api(owner, 'whatsapp/connection-check'));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      displayPhoneNumber: '+1 555-078-3881',
      verifiedName: 'Riyadh Growth Agency',
      qualityRating: 'GREEN',
      messagingLimit: 'TIER_1K',
    });
    const call = graph.requests.at(-1)!;
    expect(call.path).toBe('/v23.0/106540352242922');
    expect(call.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    graph.next.push(graphError(190, 'Error validating access token', 401));
    const refused = await owner.client.post(api(owner, 'whatsapp/connection-check'));
    expect(refused.status).toBe(502);
    expect(refused.body.code).toBe('WHATSAPP_UPSTREAM');
    const unconnected = await signUp(t);
    expect((await unconnected.client.post(api(unconnected, 'whatsapp/connection-check'))).body.code).toBe('WHATSAPP_NOT_CONNECTED');
  });
});

describe('templates', () => {
  it("sync follows Meta's pages and stores status, category and variables", async () => {
    const owner = await connectedOwner();
    const before = graph.requests.length;
    const res = await owner.client.post(api(owner, 'whatsapp/templates/sync'));
    expect(res.body).toEqual({ fetched: 3, created: 3, updated: 0 });
    expect(graph.requests.slice(before).map((r) => r.path)).toEqual([
      '/v23.0/102290129340398/message_templates',
      '/v23.0/102290129340398/message_templates',
    ]);
    const list = (await owner.client.get(api(owner, 'whatsapp/templates'))).body.items;
    expect(list.map((x: { name: string; status: string; variables: string[] }) => [x.name, x.status, x.variables])).toEqual([
      ['abandoned_cart', 'PENDING', []],
      ['order_confirmation', 'APPROVED', ['1', '2']],
      ['welcome_named', 'APPROVED', ['first_name']],
    ]);
    expect((await owner.client.post(api(owner, 'whatsapp/templates/sync'))).body).toEqual({ fetched: 3, created: 0, updated: 3 });
  });
});

describe('sending a template', () => {
  it('is refused without a recorded opt-in, with a stable code and no call to Meta', async () => {
    const owner = await connectedOwner();
    const templateId = await syncedTemplate(owner, 'order_confirmation');
    const leadId = await newLead(owner, { phone: '+966500000001' });
    const res = await owner.client.post(leadUrl(owner, leadId, '/messages'), {
      kind: 'template',
      templateId,
      parameters: [
        { source: 'field', field: 'name' },
        { source: 'text', text: 'SKBUP2-4CPIG9' },
      ],
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'WHATSAPP_NO_CONSENT', blocker: 'NO_CONSENT' });
    expect(res.body.detail).toMatch(/Record the opt-in/);
    expect(sendsTo('+966500000001')).toEqual([]);
    expect(await db.select().from(whatsappMessages).where(eq(whatsappMessages.tenantId, owner.tenantId))).toEqual([]);
  });

  it('after an opt-in with proof, goes to Meta in the fixture format, becomes SENT, then DELIVERED from the webhook', async () => {
    const owner = await connectedOwner();
    const member = await addPerson(t, owner.tenantId, 'MEMBER');
    const templateId = await syncedTemplate(owner, 'order_confirmation');
    const leadId = await newLead(owner, { name: 'Jessica', phone: '+966500000002' });
    const consent = await optIn(owner, leadId, member);
    expect(consent.status).toBe(200);
    expect(consent.body).toMatchObject({
      state: 'OPTED_IN',
      source: 'RECORDED_BY_MEMBER',
      byUserId: member.user.id,
      proof: 'Signed the opt-in form at the Riyadh expo, 2 May',
    });
    const res = await member.client.post(leadUrl(owner, leadId, '/messages'), {
      kind: 'template',
      templateId,
      parameters: [
        { source: 'field', field: 'name' },
        { source: 'text', text: 'SKBUP2-4CPIG9' },
      ],
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'QUEUED', templateName: 'order_confirmation', parameters: ['Jessica', 'SKBUP2-4CPIG9'] });
    const row = await sentRow(res.body.id);
    expect(row.status).toBe('SENT');
    const [request] = sendsTo('+966500000002');
    const expected = fixture('send-template-request.json');
    expected.to = '+966500000002';
    expect(request.body).toEqual(expected);
    expect(request.path).toBe('/v23.0/106540352242922/messages');
    expect(request.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);

    await deliver(
      t,
      owner.tenantId,
      payload('webhook-status-sent.json', (b) =>
        Object.assign(b.entry[0].changes[0].value.statuses[0], { id: row.waMessageId, status: 'delivered', recipient_id: '966500000002' }),
      ),
    );
    await settle(t, owner.tenantId);
    const thread = (await owner.client.get(leadUrl(owner, leadId))).body;
    expect(thread.messages.map((m: { status: string }) => m.status)).toEqual(['DELIVERED']);
    const actions = (
      await db
        .select()
        .from(auditLogs)
        .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.targetId, leadId)))
    ).map((e) => e.action);
    expect(actions.sort()).toEqual(['lead.created', 'whatsapp.consent_changed', 'whatsapp.message_sent'].sort());
  });

  it('checks variables before calling Meta: their count and values the lead lacks; only approved templates go', async () => {
    const owner = await connectedOwner();
    await syncedTemplate(owner, 'order_confirmation');
    const templates = (await owner.client.get(api(owner, 'whatsapp/templates'))).body.items as { id: string; name: string }[];
    const byName = (name: string) => templates.find((x) => x.name === name)!.id;
    const leadId = await newLead(owner, { phone: '+966500000003' });
    await optIn(owner, leadId);
    const send = (templateId: string, parameters: unknown[]) =>
      owner.client.post(leadUrl(owner, leadId, '/messages'), { kind: 'template', templateId, parameters });
    const tooFew = await send(byName('order_confirmation'), [{ source: 'text', text: 'x' }]);
    expect(tooFew.status).toBe(400);
    expect(tooFew.body.fields).toEqual([
      {
        field: 'body.parameters',
        message: 'the template order_confirmation has 2 variable(s); 1 given',
        rule: 'templateVariables',
        params: { name: 'order_confirmation', variables: 2, given: 1 },
      },
    ]);
    const missing = await send(byName('welcome_named'), [{ source: 'field', field: 'website' }]);
    expect(missing.status).toBe(400);
    expect(missing.body.fields[0]).toMatchObject({
      message: 'the lead has no website for {{first_name}}',
      rule: 'templateValue',
      params: { variable: '{{first_name}}' },
    });
    const pending = await send(byName('abandoned_cart'), []);
    expect(pending.status).toBe(409);
    expect(pending.body.code).toBe('WHATSAPP_TEMPLATE_NOT_APPROVED');
    expect(pending.body).toMatchObject({ template: 'abandoned_cart', templateStatus: 'PENDING' });
    expect(sendsTo('+966500000003')).toEqual([]);

    const named = await send(byName('welcome_named'), [{ source: 'field', field: 'name' }]);
    expect(named.status).toBe(202);
    await sentRow(named.body.id);
    expect(sendsTo('+966500000003')[0].body.template.components).toEqual([
      { type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Nelson Bakery' }] },
    ]);
  });
});

describe('free text', () => {
  it('is refused outside the 24-hour window with a 409 that suggests a template, and goes once the lead writes', async () => {
    const owner = await connectedOwner();
    const leadId = await newLead(owner, { phone: '+966500000004' });
    const closed = await owner.client.post(leadUrl(owner, leadId, '/messages'), { kind: 'text', text: 'Hello!' });
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('WHATSAPP_WINDOW_CLOSED');
    expect(closed.body.detail).toMatch(/template/);
    const now = String(Math.floor(Date.now() / 1000));
    await deliver(
      t,
      owner.tenantId,
      payload('webhook-inbound-text.json', (b) =>
        Object.assign(b.entry[0].changes[0].value.messages[0], { from: '966500000004', id: 'wamid.W1', timestamp: now }),
      ),
    );
    await settle(t, owner.tenantId);
    const key = crypto.randomUUID();
    const open = await owner.client.post(leadUrl(owner, leadId, '/messages'), {
      kind: 'text',
      text: 'Yes, in blue too.',
      idempotencyKey: key,
    });
    expect(open.status).toBe(202);
    const again = await owner.client.post(leadUrl(owner, leadId, '/messages'), {
      kind: 'text',
      text: 'Yes, in blue too.',
      idempotencyKey: key,
    });
    expect(again.body.id).toBe(open.body.id);
    await sentRow(open.body.id);
    expect(sendsTo('+966500000004').map((r) => r.body.text)).toEqual([{ preview_url: true, body: 'Yes, in blue too.' }]);
    // Starting its send job again through the generic endpoint cannot send it twice.
    const rerun = await owner.client.post(api(owner, 'jobs'), { type: 'WHATSAPP_SEND', input: { messageId: open.body.id } });
    expect(rerun.status).toBe(404);
    expect(sendsTo('+966500000004')).toHaveLength(1);
  });
});

describe('refusals and failures', () => {
  it("counts against the plan's monthly messages and refuses with 402 once they are used up", async () => {
    const owner = await connectedOwner();
    const leadId = await newLead(owner, { phone: '+966500000009' });
    const now = String(Math.floor(Date.now() / 1000));
    await deliver(
      t,
      owner.tenantId,
      payload('webhook-inbound-text.json', (b) =>
        Object.assign(b.entry[0].changes[0].value.messages[0], { from: '966500000009', id: 'wamid.PLAN1', timestamp: now }),
      ),
    );
    await settle(t, owner.tenantId);
    const first = await owner.client.post(leadUrl(owner, leadId, '/messages'), { kind: 'text', text: 'One' });
    expect(first.status).toBe(202);
    const [counter] = await db
      .select()
      .from(usageCounters)
      .where(and(eq(usageCounters.tenantId, owner.tenantId), eq(usageCounters.metric, 'whatsappMessages')));
    expect(counter).toMatchObject({ period: currentPeriod(), count: 1 });
    const [{ limit }] = await db
      .select({ limit: plans.whatsappMessagesPerMonth })
      .from(plans)
      .innerJoin(tenants, eq(tenants.planCode, plans.code))
      .where(eq(tenants.id, owner.tenantId));
    await db
      .update(usageCounters)
      .set({ count: limit })
      .where(and(eq(usageCounters.tenantId, owner.tenantId), eq(usageCounters.metric, 'whatsappMessages')));
    const refused = await owner.client.post(leadUrl(owner, leadId, '/messages'), { kind: 'text', text: 'Two' });
    expect(refused.status).toBe(402);
    expect(refused.body.code).toBe('PLAN_LIMIT_EXCEEDED');
    expect((await owner.client.get(leadUrl(owner, leadId))).body.messages.map((m: { text: string }) => m.text)).toEqual([
      expect.any(String),
      'One',
    ]);
  });

  it('no phone and opted out are refused with stable codes; only an admin re-opts-in an opted-out lead', async () => {
    const owner = await connectedOwner();
    const member = await addPerson(t, owner.tenantId, 'MEMBER');
    const noPhone = await newLead(owner, { phone: null });
    expect((await owner.client.post(leadUrl(owner, noPhone, '/messages'), { kind: 'text', text: 'Hi' })).body.code).toBe(
      'WHATSAPP_NO_PHONE',
    );
    const leadId = await newLead(owner, { phone: '+966500000005' });
    await optIn(owner, leadId, member);
    const out = await member.client.post(leadUrl(owner, leadId, '/consent'), { state: 'OPTED_OUT', reason: 'Asked us by phone to stop' });
    expect(out.body).toMatchObject({ state: 'OPTED_OUT', optOutReason: 'Asked us by phone to stop' });
    const templateId = await syncedTemplate(owner, 'welcome_named');
    const refused = await owner.client.post(leadUrl(owner, leadId, '/messages'), {
      kind: 'template',
      templateId,
      parameters: [{ source: 'field', field: 'name' }],
    });
    expect(refused.body.code).toBe('WHATSAPP_OPTED_OUT');
    expect((await optIn(owner, leadId, member)).status).toBe(403);
    expect((await optIn(owner, leadId)).body.state).toBe('OPTED_IN');
    const short = await owner.client.post(leadUrl(owner, leadId, '/consent'), { state: 'OPTED_IN', proof: '' });
    expect(short.status).toBe(400);
  });

  it("retries a throughput error, then sends; a permanent error fails at once with Meta's code and title", async () => {
    const owner = await connectedOwner();
    const templateId = await syncedTemplate(owner, 'welcome_named');
    const first = await newLead(owner, { phone: '+966500000006' });
    await optIn(owner, first);
    graph.sends.push({ status: 400, body: fixture('send-response-rate-limited.json') });
    const retried = await owner.client.post(leadUrl(owner, first, '/messages'), {
      kind: 'template',
      templateId,
      parameters: [{ source: 'field', field: 'name' }],
    });
    expect((await sentRow(retried.body.id, 30_000)).status).toBe('SENT');
    expect(sendsTo('+966500000006')).toHaveLength(2);

    const second = await newLead(owner, { phone: '+966500000007' });
    await optIn(owner, second);
    graph.sends.push(graphError(131026, 'Message undeliverable'));
    const failed = await owner.client.post(leadUrl(owner, second, '/messages'), {
      kind: 'template',
      templateId,
      parameters: [{ source: 'field', field: 'name' }],
    });
    expect(await sentRow(failed.body.id)).toMatchObject({
      status: 'FAILED',
      errorCode: 131026,
      errorTitle: '(#131026) Message undeliverable',
    });
    expect(sendsTo('+966500000007')).toHaveLength(1);
  });

  it('error 131050 on sending opts the lead out; a held answer is shown as held', async () => {
    const owner = await connectedOwner();
    const templateId = await syncedTemplate(owner, 'welcome_named');
    const leadId = await newLead(owner, { phone: '+966500000008' });
    await optIn(owner, leadId);
    graph.sends.push({
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: '+966500000008', wa_id: '966500000008' }],
        messages: [{ id: 'wamid.HELD1', message_status: 'held_for_quality_assessment' }],
      },
    });
    const held = await owner.client.post(leadUrl(owner, leadId, '/messages'), {
      kind: 'template',
      templateId,
      parameters: [{ source: 'field', field: 'name' }],
    });
    expect(await sentRow(held.body.id)).toMatchObject({ status: 'SENT', held: true, waMessageId: 'wamid.HELD1' });
    graph.sends.push(graphError(131050, 'User stopped marketing messages'));
    const stopped = await owner.client.post(leadUrl(owner, leadId, '/messages'), {
      kind: 'template',
      templateId,
      parameters: [{ source: 'field', field: 'name' }],
    });
    expect((await sentRow(stopped.body.id)).errorCode).toBe(131050);
    expect((await owner.client.get(leadUrl(owner, leadId))).body.conversation.consent).toMatchObject({
      state: 'OPTED_OUT',
      source: 'META_ERROR_131050',
    });
  });
});
