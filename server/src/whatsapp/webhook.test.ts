import { afterAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { auditLogs, leads, whatsappConversations, whatsappMessages, whatsappTemplates, whatsappWebhookEvents } from '../db/schema/index.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { FakeGraph, fixture } from './fake-graph.js';
import { connect, deliver, leadUrl, payload, settle, WABA_ID } from './test-helpers.js';

const graph = await FakeGraph.start();
afterAll(() => graph.close());
const t = await startTestApp(graph.env);
const db = t.database.db;

const CUSTOMER = '16505551234';
const inboundText = (id: string, text: string, from = CUSTOMER, timestamp = '1749416383') =>
  payload('webhook-inbound-text.json', (b) => {
    const m = b.entry[0].changes[0].value.messages[0];
    Object.assign(m, { id, from, timestamp, text: { body: text } });
    b.entry[0].changes[0].value.contacts[0].wa_id = from;
  });

async function connectedOwner() {
  const owner = await signUp(t);
  await connect(owner);
  return owner;
}
const leadsOf = (tenantId: string) => db.select().from(leads).where(eq(leads.tenantId, tenantId));
const messagesOf = (tenantId: string) =>
  db.select().from(whatsappMessages).where(eq(whatsappMessages.tenantId, tenantId)).orderBy(asc(whatsappMessages.createdAt));
const thread = async (who: SignedUpUser, leadId: string) => (await who.client.get(leadUrl(who, leadId))).body;
/** An outbound message Meta accepted under `waMessageId` (set-up written directly; sending has its own tests). */
async function sentMessage(who: SignedUpUser, waMessageId: string, phone = `+${CUSTOMER}`) {
  const [lead] = await db.insert(leads).values({ tenantId: who.tenantId, name: 'Sheena Nelson', phone }).returning();
  await db
    .insert(whatsappConversations)
    .values({ tenantId: who.tenantId, leadId: lead.id, consent: 'OPTED_IN', consentSource: 'RECORDED_BY_MEMBER' });
  const [message] = await db
    .insert(whatsappMessages)
    .values({
      tenantId: who.tenantId,
      leadId: lead.id,
      direction: 'OUT',
      waMessageId,
      phone,
      type: 'template',
      templateName: 'order_confirmation',
      status: 'SENT',
      sentAt: new Date(),
    })
    .returning();
  return { lead, message };
}
const statusBody = (id: string, status: string, timestamp: string, extra: Record<string, unknown> = {}) =>
  payload('webhook-status-sent.json', (b) => Object.assign(b.entry[0].changes[0].value.statuses[0], { id, status, timestamp, ...extra }));
const messageRow = async (id: string) => (await db.select().from(whatsappMessages).where(eq(whatsappMessages.id, id)))[0];

describe('inbound messages', () => {
  it('stores a first message once on a new lead from WhatsApp, opens the window and counts as the lead starting the chat', async () => {
    const owner = await connectedOwner();
    const body = inboundText('wamid.IN1', 'Does it come in another color?', CUSTOMER, String(Math.floor(Date.now() / 1000)));
    const ack = await deliver(t, owner.tenantId, body);
    expect(ack.statusCode).toBe(200);
    expect((await deliver(t, owner.tenantId, body)).statusCode).toBe(200); // Meta's redelivery
    await settle(t, owner.tenantId);
    const [lead] = await leadsOf(owner.tenantId);
    expect(lead).toMatchObject({ name: 'Sheena Nelson', phone: '+16505551234', source: 'whatsapp' });
    const messages = await messagesOf(owner.tenantId);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ direction: 'IN', status: 'RECEIVED', text: 'Does it come in another color?', leadId: lead.id });
    const { conversation } = await thread(owner, lead.id);
    expect(conversation).toMatchObject({ profileName: 'Sheena Nelson', unreadCount: 1, textBlockedBy: null, templateBlockedBy: null });
    expect(conversation.consent).toMatchObject({ state: 'OPTED_IN', source: 'LEAD_STARTED_CHAT' });
    expect(new Date(conversation.windowClosesAt).getTime()).toBeGreaterThan(Date.now() + 23 * 3600 * 1000);
  });

  it('links a message to the existing lead whose phone has the same digits, and an old message leaves the window closed', async () => {
    const owner = await connectedOwner();
    const created = await owner.client.post(`/api/v1/tenants/${owner.tenantId}/leads`, { name: 'Nelson Bakery', phone: '+1 650-555-1234' });
    expect(created.status).toBe(201);
    await deliver(t, owner.tenantId, inboundText('wamid.OLD1', 'Hello from last year'));
    await settle(t, owner.tenantId);
    const all = await leadsOf(owner.tenantId);
    expect(all).toHaveLength(1);
    const { conversation, messages } = await thread(owner, created.body.id);
    expect(messages.map((m: { text: string }) => m.text)).toEqual(['Hello from last year']);
    expect(conversation.textBlockedBy).toBe('WINDOW_CLOSED');
  });

  it('applies every entry and change of one POST, button and interactive replies included', async () => {
    const owner = await connectedOwner();
    const button = fixture('webhook-inbound-button-unsubscribe.json');
    button.entry[0].changes[0].value.messages[0].button = { payload: 'Yes please', text: 'Yes please' };
    const interactive = fixture('webhook-inbound-interactive.json');
    const text = JSON.parse(inboundText('wamid.MULTI3', 'Third', '966501234567'));
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [button.entry[0], { id: WABA_ID, changes: [interactive.entry[0].changes[0], text.entry[0].changes[0]] }],
    });
    expect((await deliver(t, owner.tenantId, body)).statusCode).toBe(200);
    await settle(t, owner.tenantId);
    const texts = (await messagesOf(owner.tenantId)).map((m) => [m.type, m.text, m.phone]);
    expect(texts.sort()).toEqual(
      [
        ['button', 'Yes please', '+16505551234'],
        ['interactive', 'Cancel', '+16505551234'],
        ['text', 'Third', '+966501234567'],
      ].sort(),
    );
    expect(await leadsOf(owner.tenantId)).toHaveLength(2);
  });

  it('acknowledges malformed bodies and unknown phone number ids, notes why, and changes nothing', async () => {
    const owner = await connectedOwner();
    const unknownNumber = payload(
      'webhook-inbound-text.json',
      (b) => (b.entry[0].changes[0].value.metadata.phone_number_id = '999999999999'),
    );
    for (const body of ['not json at all', '{"entry":"nope"}', unknownNumber])
      expect((await deliver(t, owner.tenantId, body)).statusCode).toBe(200);
    await settle(t, owner.tenantId);
    const notes = (await db.select().from(whatsappWebhookEvents).where(eq(whatsappWebhookEvents.tenantId, owner.tenantId))).map(
      (e) => e.note,
    );
    expect(notes.sort()).toEqual(
      ['body is not JSON', 'body is not a WhatsApp Business Account delivery', 'unknown phone number id 999999999999'].sort(),
    );
    expect(await leadsOf(owner.tenantId)).toEqual([]);
  });
});

describe('statuses', () => {
  it('apply monotonically: a late delivered never downgrades read, replays change nothing', async () => {
    const owner = await connectedOwner();
    const { message } = await sentMessage(owner, 'wamid.ST1');
    await deliver(t, owner.tenantId, statusBody('wamid.ST1', 'read', '1750030100'));
    await settle(t, owner.tenantId);
    await deliver(t, owner.tenantId, statusBody('wamid.ST1', 'delivered', '1750030090'));
    await deliver(t, owner.tenantId, statusBody('wamid.ST1', 'read', '1750030100'));
    await settle(t, owner.tenantId);
    const row = await messageRow(message.id);
    expect(row).toMatchObject({ status: 'READ' });
    // The skipped delivered is implied by read.
    expect(row.deliveredAt?.toISOString()).toBe(new Date(1750030100 * 1000).toISOString());
    expect(row.readAt?.toISOString()).toBe(new Date(1750030100 * 1000).toISOString());
  });

  it('a failed status keeps Meta code, title and details; 131050 opts the lead out', async () => {
    const owner = await connectedOwner();
    const { message } = await sentMessage(owner, 'wamid.F1');
    const failed = payload('webhook-status-failed.json', (b) => (b.entry[0].changes[0].value.statuses[0].id = 'wamid.F1'));
    await deliver(t, owner.tenantId, failed);
    await settle(t, owner.tenantId);
    expect(await messageRow(message.id)).toMatchObject({
      status: 'FAILED',
      errorCode: 131049,
      errorTitle: 'This message was not delivered to maintain healthy ecosystem engagement.',
      errorDetails: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
    });

    const other = await sentMessage(owner, 'wamid.F2', '+966501112222');
    const stopped = payload('webhook-status-failed.json', (b) =>
      Object.assign(b.entry[0].changes[0].value.statuses[0], {
        id: 'wamid.F2',
        recipient_id: '966501112222',
        errors: [{ code: 131050, title: 'User stopped marketing messages' }],
      }),
    );
    await deliver(t, owner.tenantId, stopped);
    await settle(t, owner.tenantId);
    const { conversation } = await thread(owner, other.lead.id);
    expect(conversation.consent).toMatchObject({ state: 'OPTED_OUT', source: 'META_ERROR_131050' });
    expect(conversation.templateBlockedBy).toBe('OPTED_OUT');
  });

  it('a status whose contact has no profile applies; one for an unknown message is noted and dropped', async () => {
    const owner = await connectedOwner();
    const { message } = await sentMessage(owner, 'wamid.NP1');
    const noProfile = payload('webhook-status-sent.json', (b) => {
      const value = b.entry[0].changes[0].value;
      Object.assign(value.statuses[0], { id: 'wamid.NP1', status: 'delivered' });
      value.contacts = [{ wa_id: CUSTOMER }];
    });
    await deliver(t, owner.tenantId, noProfile);
    await deliver(t, owner.tenantId, statusBody('wamid.UNKNOWN', 'delivered', '1750030073'));
    await settle(t, owner.tenantId);
    expect((await messageRow(message.id)).status).toBe('DELIVERED');
    const notes = (await db.select().from(whatsappWebhookEvents).where(eq(whatsappWebhookEvents.tenantId, owner.tenantId))).map(
      (e) => e.note,
    );
    expect(notes).toContain('status "delivered" for unknown message wamid.UNKNOWN');
  });
});

describe('consent from WhatsApp', () => {
  const stopCases = [
    ['STOP', 'KEYWORD'],
    ['unsubscribe', 'KEYWORD'],
    ['إلغاء', 'KEYWORD'],
    ['توقف', 'KEYWORD'],
    ['إيقاف', 'KEYWORD'],
    ['الغاء الاشتراك', 'KEYWORD'],
  ] as const;
  it.each(stopCases)('"%s" opts the lead out and stops every send path', async (word, source) => {
    const owner = await connectedOwner();
    const { lead } = await sentMessage(owner, `wamid.S-${word}`);
    await deliver(t, owner.tenantId, inboundText(`wamid.STOP-${word}`, ` ${word}! `, CUSTOMER, String(Math.floor(Date.now() / 1000))));
    await settle(t, owner.tenantId);
    const { conversation } = await thread(owner, lead.id);
    expect(conversation.consent).toMatchObject({ state: 'OPTED_OUT', source });
    expect(conversation.textBlockedBy).toBe('OPTED_OUT');
    expect(conversation.templateBlockedBy).toBe('OPTED_OUT');
    const [entry] = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, 'whatsapp.consent_changed')));
    expect(entry).toMatchObject({
      targetId: lead.id,
      actorUserId: null,
      metadata: { before: { state: 'OPTED_IN' }, after: { state: 'OPTED_OUT' } },
    });
  });

  it("the template's unsubscribe button opts out; START opts back in; user_preferences stop opts out", async () => {
    const owner = await connectedOwner();
    const { lead } = await sentMessage(owner, 'wamid.BTN');
    await deliver(t, owner.tenantId, payload('webhook-inbound-button-unsubscribe.json'));
    await settle(t, owner.tenantId);
    expect((await thread(owner, lead.id)).conversation.consent).toMatchObject({ state: 'OPTED_OUT', source: 'UNSUBSCRIBE_BUTTON' });
    await deliver(t, owner.tenantId, inboundText('wamid.START', 'Start'));
    await settle(t, owner.tenantId);
    expect((await thread(owner, lead.id)).conversation.consent).toMatchObject({ state: 'OPTED_IN', source: 'KEYWORD' });
    const preferences = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: WABA_ID,
          changes: [
            {
              field: 'user_preferences',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
                contacts: [{ wa_id: CUSTOMER, profile: { name: 'Sheena Nelson' } }],
                user_preferences: [
                  {
                    wa_id: CUSTOMER,
                    detail: 'User requested to stop marketing messages',
                    category: 'marketing_messages',
                    value: 'stop',
                    timestamp: 1731705721,
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    await deliver(t, owner.tenantId, preferences);
    await settle(t, owner.tenantId);
    expect((await thread(owner, lead.id)).conversation.consent).toMatchObject({ state: 'OPTED_OUT', source: 'USER_PREFERENCES' });
  });
});

describe('template status updates', () => {
  it("are routed by the business account and record Meta's status, reason and category", async () => {
    const owner = await connectedOwner();
    const [template] = await db
      .insert(whatsappTemplates)
      .values({ tenantId: owner.tenantId, name: 'abandoned_cart', language: 'en', category: 'UTILITY', metaTemplateId: '1689556908129835' })
      .returning();
    const otherAccount = payload('webhook-template-rejected.json', (b) => (b.entry[0].id = '555555555555'));
    await deliver(t, owner.tenantId, otherAccount);
    await settle(t, owner.tenantId);
    expect((await db.select().from(whatsappTemplates).where(eq(whatsappTemplates.id, template.id)))[0].status).toBe('PENDING');
    await deliver(t, owner.tenantId, payload('webhook-template-rejected.json'));
    await settle(t, owner.tenantId);
    expect((await db.select().from(whatsappTemplates).where(eq(whatsappTemplates.id, template.id)))[0]).toMatchObject({
      status: 'REJECTED',
      rejectedReason: 'INVALID_FORMAT',
      category: 'MARKETING',
    });
  });
});
