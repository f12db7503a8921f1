import { afterAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLogs, whatsappTemplates } from '../db/schema/index.js';
import { joinAs } from '../leads/test-helpers.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { fixture, FakeGraph, graphError } from './fake-graph.js';
import { connect, deliver, payload, settle, WABA_ID } from './test-helpers.js';

const graph = await FakeGraph.start();
afterAll(() => graph.close());
const t = await startTestApp(graph.env);
const db = t.database.db;
const templatesUrl = (who: SignedUpUser, rest = '') => `/api/v1/tenants/${who.tenantId}/whatsapp/templates${rest}`;
const templateRows = (tenantId: string) => db.select().from(whatsappTemplates).where(eq(whatsappTemplates.tenantId, tenantId));
const templateCalls = () => graph.requests.filter((r) => r.path.endsWith('/message_templates') && r.method !== 'GET');

async function connectedOwner() {
  const owner = await signUp(t);
  await connect(owner);
  return owner;
}

const fixtureTemplate = {
  name: 'order_confirmation_two',
  language: 'en_US',
  category: 'UTILITY',
  body: 'Hi {{1}}! Your order number is {{2}}. Thank you.',
  examples: { '1': 'Pablo', '2': '860198-230332' },
};

describe('creating a template', () => {
  it("submits it to Meta in Meta's format and stores it PENDING until the status webhook brings the decision", async () => {
    const owner = await connectedOwner();
    const res = await owner.client.post(templatesUrl(owner), fixtureTemplate);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'order_confirmation_two',
      language: 'en_US',
      category: 'UTILITY',
      status: 'PENDING',
      body: fixtureTemplate.body,
      variables: ['1', '2'],
    });
    const call = templateCalls().at(-1)!;
    expect(call.method).toBe('POST');
    expect(call.path).toBe(`/v23.0/${WABA_ID}/message_templates`);
    expect(call.headers.authorization).toMatch(/^Bearer /);
    // The request is the fixture's, but for the name.
    expect(call.body).toEqual({ ...fixture('template-create-request.json'), name: 'order_confirmation_two' });

    const [row] = await templateRows(owner.tenantId);
    const approved = payload('webhook-template-rejected.json', (b) => {
      Object.assign(b.entry[0].changes[0].value, { event: 'APPROVED', reason: 'NONE', message_template_id: Number(row.metaTemplateId) });
    });
    expect((await deliver(t, owner.tenantId, approved)).statusCode).toBe(200);
    await settle(t, owner.tenantId);
    const listed = (await owner.client.get(templatesUrl(owner))).body.items;
    expect(listed).toMatchObject([{ name: 'order_confirmation_two', status: 'APPROVED', rejectedReason: null, category: 'MARKETING' }]);

    const [audit] = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, 'whatsapp.template_created')));
    expect(audit).toMatchObject({ targetId: row.id, metadata: { name: 'order_confirmation_two', metaTemplateId: row.metaTemplateId } });
  });

  it('sends named variables, a header, footer and buttons as Meta expects them', async () => {
    const owner = await connectedOwner();
    const res = await owner.client.post(templatesUrl(owner), {
      name: 'welcome_offer',
      language: 'ar',
      category: 'MARKETING',
      parameterFormat: 'NAMED',
      header: 'عرض خاص',
      body: 'أهلاً {{first_name}}، عرضنا لك: {{offer}}',
      footer: 'أرسل STOP لإيقاف الرسائل',
      buttons: [
        { type: 'QUICK_REPLY', text: 'إيقاف' },
        { type: 'URL', text: 'التفاصيل', url: 'https://agency.example/offer' },
        { type: 'PHONE_NUMBER', text: 'اتصل بنا', phoneNumber: '+966114567890' },
      ],
      examples: { first_name: 'سارة', offer: 'خصم ٢٠٪' },
    });
    expect(res.status).toBe(201);
    expect(res.body.variables).toEqual(['first_name', 'offer']);
    expect(templateCalls().at(-1)!.body).toEqual({
      name: 'welcome_offer',
      language: 'ar',
      category: 'marketing',
      parameter_format: 'named',
      components: [
        { type: 'header', format: 'text', text: 'عرض خاص' },
        {
          type: 'body',
          text: 'أهلاً {{first_name}}، عرضنا لك: {{offer}}',
          example: {
            body_text_named_params: [
              { param_name: 'first_name', example: 'سارة' },
              { param_name: 'offer', example: 'خصم ٢٠٪' },
            ],
          },
        },
        { type: 'footer', text: 'أرسل STOP لإيقاف الرسائل' },
        {
          type: 'buttons',
          buttons: [
            { type: 'quick_reply', text: 'إيقاف' },
            { type: 'url', text: 'التفاصيل', url: 'https://agency.example/offer' },
            { type: 'phone_number', text: 'اتصل بنا', phone_number: '+966114567890' },
          ],
        },
      ],
    });
  });

  it('refuses bad input (400) and a taken name (409) before calling Meta, and stores nothing when Meta refuses (502)', async () => {
    const owner = await connectedOwner();
    const calls = templateCalls().length;
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...fixtureTemplate, name: 'Order Confirmation' }, 'name', 'may contain only lowercase letters, digits and _'],
      [{ ...fixtureTemplate, examples: { '1': 'Pablo' } }, 'examples.2', 'needs an example value for {{2}}'],
      [{ ...fixtureTemplate, body: 'Hi {{2}}', examples: { '2': 'x' } }, 'body', 'positional variables must be {{1}}, {{2}}… in order'],
      [{ ...fixtureTemplate, language: 'english' }, 'language', 'must be a language code such as en_US or ar'],
      [{ ...fixtureTemplate, category: 'SPAM' }, 'category', ''],
      [{ ...fixtureTemplate, footer: 'Reply {{1}}' }, 'footer', 'may not contain variables'],
      [
        { ...fixtureTemplate, buttons: [{ type: 'URL', text: 'Go', url: 'javascript:alert(1)' }] },
        'buttons.0.url',
        'must be an https:// address',
      ],
      [{ ...fixtureTemplate, body: 'Hi\u0000' }, 'body', 'must not contain the NUL character'],
    ];
    for (const [body, field, message] of cases) {
      const res = await owner.client.post(templatesUrl(owner), body);
      expect(res.status, field).toBe(400);
      const error = res.body.fields.find((f: { field: string }) => f.field === field);
      expect(error, JSON.stringify(res.body.fields)).toBeDefined();
      if (message) expect(error.message).toBe(message);
    }
    expect(templateCalls().length).toBe(calls);

    const third = { ...fixtureTemplate, name: 'order_confirmation_three' };
    expect((await owner.client.post(templatesUrl(owner), third)).status).toBe(201);
    const taken = await owner.client.post(templatesUrl(owner), third);
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ reason: 'templateNameTaken', name: third.name, language: third.language });
    expect(templateCalls().length).toBe(calls + 1);

    graph.next.push(graphError(100, 'Invalid parameter'));
    const refused = await owner.client.post(templatesUrl(owner), { ...fixtureTemplate, name: 'refused_one' });
    expect(refused.status).toBe(502);
    expect(refused.body.detail).toContain('Invalid parameter');
    expect((await templateRows(owner.tenantId)).map((r) => r.name)).toEqual(['order_confirmation_three']);
  });

  it('is for owners and admins only (403), needs a connection (409) and cannot reach another tenant (404)', async () => {
    const owner = await connectedOwner();
    for (const role of ['MEMBER', 'VIEWER'] as const) {
      const person = await joinAs(t, owner, role);
      expect((await person.client.post(templatesUrl(owner), fixtureTemplate)).status).toBe(403);
    }
    const unconnected = await signUp(t);
    const res = await unconnected.client.post(templatesUrl(unconnected), fixtureTemplate);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('WHATSAPP_NOT_CONNECTED');
    const stranger = await signUp(t);
    expect((await stranger.client.post(templatesUrl(owner), fixtureTemplate)).status).toBe(404);
    expect(await templateRows(owner.tenantId)).toEqual([]);
  });
});

describe('deleting a template', () => {
  it('deletes exactly that template at Meta and here; keeps it when Meta refuses; 404 and 403 for others', async () => {
    const owner = await connectedOwner();
    const created = (await owner.client.post(templatesUrl(owner), { ...fixtureTemplate, name: 'to_delete' })).body;
    const [row] = await templateRows(owner.tenantId);

    const admin = await joinAs(t, owner, 'ADMIN');
    const member = await joinAs(t, owner, 'MEMBER');
    expect((await member.client.request('DELETE', templatesUrl(owner, `/${created.id}`))).status).toBe(403);
    const stranger = await connectedOwner();
    expect((await stranger.client.request('DELETE', templatesUrl(stranger, `/${created.id}`))).status).toBe(404);
    expect((await owner.client.request('DELETE', templatesUrl(owner, '/not-an-id'))).status).toBe(400);

    graph.next.push(graphError(100, 'Message template not found'));
    const refused = await owner.client.request('DELETE', templatesUrl(owner, `/${created.id}`));
    expect(refused.status).toBe(502);
    expect(await templateRows(owner.tenantId)).toHaveLength(1);

    expect((await admin.client.request('DELETE', templatesUrl(owner, `/${created.id}`))).status).toBe(204);
    const call = templateCalls().at(-1)!;
    expect(call.method).toBe('DELETE');
    expect(Object.fromEntries(call.query)).toEqual({ hsm_id: row.metaTemplateId, name: 'to_delete' });
    expect(await templateRows(owner.tenantId)).toEqual([]);
    expect((await owner.client.request('DELETE', templatesUrl(owner, `/${created.id}`))).status).toBe(404);
    const actions = await db
      .select({ action: auditLogs.action })
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.targetId, created.id)));
    expect(actions.map((a) => a.action).sort()).toEqual(['whatsapp.template_created', 'whatsapp.template_deleted']);
  });
});
