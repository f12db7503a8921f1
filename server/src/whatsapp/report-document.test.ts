import { afterAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLogs, reports, reportShares, whatsappMedia, whatsappMessages } from '../db/schema/index.js';
import { addPerson } from '../team/test-users.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { FakeGraph, fixture, graphError } from './fake-graph.js';
import { connect, deliver, leadUrl, payload, PHONE_NUMBER_ID, settle } from './test-helpers.js';

const graph = await FakeGraph.start();
afterAll(() => graph.close());
const t = await startTestApp(graph.env);
const db = t.database.db;
const api = (who: SignedUpUser, rest: string) => `/api/v1/tenants/${who.tenantId}/${rest}`;
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
let phones = 0;

/** A connected tenant with a lead that has a finished report; `write` opens the lead's 24-hour window. */
async function setup({ write = true } = {}) {
  const owner = await signUp(t);
  await connect(owner);
  const phone = `+9665${String(10_000_000 + ++phones).padStart(8, '0')}`;
  const res = await owner.client.post(api(owner, 'leads'), { name: 'Nelson Bakery', phone });
  const leadId = res.body.id as string;
  const [report] = await db
    .insert(reports)
    .values({
      tenantId: owner.tenantId,
      leadId,
      status: 'SUCCEEDED',
      subjectName: 'Nelson Bakery',
      fileName: 'Nelson-Bakery-en.pdf',
      contentType: 'application/pdf',
      file: PDF,
      sizeBytes: PDF.length,
      generatedAt: new Date(),
    })
    .returning();
  if (write) await leadWrites(owner, phone);
  return { owner, leadId, phone, reportId: report.id };
}

async function leadWrites(who: SignedUpUser, phone: string) {
  const body = payload('webhook-inbound-text.json', (b) =>
    Object.assign(b.entry[0].changes[0].value.messages[0], {
      from: phone.slice(1),
      id: `wamid.IN${crypto.randomUUID()}`,
      timestamp: String(Math.floor(Date.now() / 1000)),
    }),
  );
  expect((await deliver(t, who.tenantId, body)).statusCode).toBe(200);
  await settle(t, who.tenantId);
}

const sendReport = (who: SignedUpUser, leadId: string, reportId: string, extra: Record<string, unknown> = {}) =>
  who.client.post(leadUrl(who, leadId, '/messages'), { kind: 'document', reportId, ...extra });

/** Waits until the message has left QUEUED (the send job ran). */
async function sentRow(id: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db.select().from(whatsappMessages).where(eq(whatsappMessages.id, id));
    if (row.status !== 'QUEUED') return row;
    if (Date.now() > deadline) throw new Error('the message stayed queued');
    await new Promise((r) => setTimeout(r, 50));
  }
}
const uploadsOf = (tenantUploads: number) => graph.uploads.slice(tenantUploads);
const sendsTo = (phone: string) => graph.sent.filter((r) => r.body.to === phone);
const mediaRows = (reportId: string) => db.select().from(whatsappMedia).where(eq(whatsappMedia.reportId, reportId));

describe('the report as a WhatsApp document', () => {
  it('uploads the PDF to the media endpoint as multipart, sends it by media id, keeps the id with its expiry and audits the send', async () => {
    const { owner, leadId, phone, reportId } = await setup();
    const before = graph.uploads.length;
    const res = await sendReport(owner, leadId, reportId, { caption: 'Your opportunity report' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ type: 'document', status: 'QUEUED', reportId, text: 'Your opportunity report' });
    const row = await sentRow(res.body.id);
    expect(row.status).toBe('SENT');

    const [upload] = uploadsOf(before);
    expect(upload.path).toBe(`/v23.0/${PHONE_NUMBER_ID}/media`);
    expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload.body.messaging_product).toBe('whatsapp');
    expect(upload.body.type).toBe('application/pdf');
    const file = upload.body.file as File;
    expect(file.name).toBe('Nelson-Bakery-en.pdf');
    expect(file.type).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(PDF);

    const [media] = await mediaRows(reportId);
    const [sent] = sendsTo(phone);
    const expected = fixture('send-document-request.json');
    expect(sent.body).toEqual({ ...expected, to: phone, document: { ...expected.document, id: media.mediaId } });
    expect(media.expiresAt.getTime() - media.uploadedAt.getTime()).toBe(30 * 24 * 60 * 60 * 1000);
    expect(media.phoneNumberId).toBe(PHONE_NUMBER_ID);

    const audit = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, 'whatsapp.message_sent')));
    expect(audit.map((a) => a.metadata)).toEqual([{ messageId: res.body.id, kind: 'document', reportId }]);
  });

  it('reuses the media id while it lives and uploads again once it has expired', async () => {
    const { owner, leadId, phone, reportId } = await setup();
    const before = graph.uploads.length;
    await sentRow((await sendReport(owner, leadId, reportId)).body.id);
    await sentRow((await sendReport(owner, leadId, reportId)).body.id);
    expect(uploadsOf(before)).toHaveLength(1);
    const [first] = await mediaRows(reportId);
    expect(sendsTo(phone).map((r) => r.body.document.id)).toEqual([first.mediaId, first.mediaId]);

    await db
      .update(whatsappMedia)
      .set({ uploadedAt: new Date(Date.now() - 31 * 86_400_000), expiresAt: new Date(Date.now() - 86_400_000) })
      .where(eq(whatsappMedia.id, first.id));
    await sentRow((await sendReport(owner, leadId, reportId)).body.id);
    expect(uploadsOf(before)).toHaveLength(2);
    const [renewed] = await mediaRows(reportId);
    expect(renewed.mediaId).not.toBe(first.mediaId);
    expect(renewed.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(sendsTo(phone).at(-1)!.body.document.id).toBe(renewed.mediaId);
  });

  it('uploads again and retries when Meta can no longer use the kept media id (131053)', async () => {
    const { owner, leadId, phone, reportId } = await setup();
    const before = graph.uploads.length;
    await sentRow((await sendReport(owner, leadId, reportId)).body.id);
    const [first] = await mediaRows(reportId);
    graph.sends.push(graphError(131053, 'Media upload error'));
    const row = await sentRow((await sendReport(owner, leadId, reportId)).body.id);
    expect(row.status).toBe('SENT');
    expect(uploadsOf(before)).toHaveLength(2);
    const [renewed] = await mediaRows(reportId);
    expect(renewed.mediaId).not.toBe(first.mediaId);
    expect(sendsTo(phone).map((r) => r.body.document.id)).toEqual([first.mediaId, first.mediaId, renewed.mediaId]);
  });

  it('uploads a regenerated report again rather than sending the old file', async () => {
    const { owner, leadId, phone, reportId } = await setup();
    const before = graph.uploads.length;
    await sentRow((await sendReport(owner, leadId, reportId)).body.id);
    await db
      .update(reports)
      .set({ generatedAt: new Date(Date.now() + 1000) })
      .where(eq(reports.id, reportId));
    await sentRow((await sendReport(owner, leadId, reportId)).body.id);
    expect(uploadsOf(before)).toHaveLength(2);
    const ids = sendsTo(phone).map((r) => r.body.document.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('is refused outside the 24-hour window and to an opted-out lead, with nothing queued or uploaded', async () => {
    const closed = await setup({ write: false });
    const before = graph.uploads.length;
    const outside = await sendReport(closed.owner, closed.leadId, closed.reportId);
    expect(outside.status).toBe(409);
    expect(outside.body.code).toBe('WHATSAPP_WINDOW_CLOSED');
    expect(outside.body.detail).toMatch(/template/);

    const open = await setup();
    const optOut = await open.owner.client.post(leadUrl(open.owner, open.leadId, '/consent'), {
      state: 'OPTED_OUT',
      reason: 'Asked on the phone',
    });
    expect(optOut.status).toBe(200);
    const refused = await sendReport(open.owner, open.leadId, open.reportId);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('WHATSAPP_OPTED_OUT');

    for (const s of [closed, open]) {
      const rows = await db
        .select()
        .from(whatsappMessages)
        .where(and(eq(whatsappMessages.leadId, s.leadId), eq(whatsappMessages.direction, 'OUT')));
      expect(rows).toEqual([]);
    }
    expect(uploadsOf(before)).toEqual([]);
  });

  it('refuses a report of another lead or tenant (404), an unfinished one (409), a viewer (403), and bad input (400)', async () => {
    const { owner, leadId, reportId } = await setup();
    const other = await setup();
    expect((await sendReport(owner, leadId, other.reportId)).status).toBe(404);
    expect((await sendReport(other.owner, leadId, reportId)).status).toBe(404);
    const [sibling] = await db
      .insert(reports)
      .values({ tenantId: owner.tenantId, leadId, status: 'RUNNING', subjectName: 'Nelson Bakery' })
      .returning();
    const unfinished = await sendReport(owner, leadId, sibling.id);
    expect(unfinished.status).toBe(409);
    expect(unfinished.body.detail).toMatch(/finished report/);
    expect(unfinished.body.reason).toBe('reportNotReadyToSend');
    const viewer = await addPerson(t, owner.tenantId, 'VIEWER');
    expect((await viewer.client.post(leadUrl(owner, leadId, '/messages'), { kind: 'document', reportId })).status).toBe(403);
    const bad = await sendReport(owner, leadId, 'not-a-uuid', { caption: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['caption', 'reportId']);
    const rows = await db
      .select()
      .from(whatsappMessages)
      .where(and(eq(whatsappMessages.leadId, leadId), eq(whatsappMessages.direction, 'OUT')));
    expect(rows).toEqual([]);
  });
});

describe('the report link as a template variable', () => {
  it('fills the variable with a share link that opens the report, reused for the next send, and audited once', async () => {
    const { owner, leadId, phone, reportId } = await setup();
    expect((await owner.client.post(api(owner, 'whatsapp/templates/sync'))).status).toBe(200);
    const templates = (await owner.client.get(api(owner, 'whatsapp/templates'))).body.items as { id: string; name: string }[];
    const templateId = templates.find((x) => x.name === 'order_confirmation')!.id;
    const send = () =>
      owner.client.post(leadUrl(owner, leadId, '/messages'), {
        kind: 'template',
        templateId,
        parameters: [{ source: 'field', field: 'name' }, { source: 'reportLink' }],
      });
    const first = await send();
    expect(first.status).toBe(202);
    const link = first.body.parameters[1] as string;
    expect(link).toMatch(/^http:\/\/localhost:3000\/r\/[A-Za-z0-9_-]{43}$/);
    const opened = await t.app.inject({ method: 'GET', url: `${new URL(link).pathname}/pdf` });
    expect(opened.statusCode).toBe(200);
    expect(opened.rawPayload).toEqual(PDF);

    const second = await send();
    expect(second.body.parameters[1]).toBe(link);
    await sentRow(second.body.id);
    expect(sendsTo(phone).at(-1)!.body.template.components[0].parameters[1].text).toBe(link);
    const shares = await db.select().from(reportShares).where(eq(reportShares.reportId, reportId));
    expect(shares.map((s) => s.channel)).toEqual(['whatsapp']);
    expect(JSON.stringify(shares)).not.toContain(new URL(link).pathname.slice(3));
    const shared = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, 'report.shared')));
    expect(shared).toHaveLength(1);

    // A revoked link is never sent again: the next send makes a new one.
    await db.update(reportShares).set({ revokedAt: new Date() }).where(eq(reportShares.id, shares[0].id));
    const third = await send();
    expect(third.body.parameters[1]).not.toBe(link);
  });

  it('is a 400 naming the variable when the lead has no finished report', async () => {
    const { owner, leadId } = await setup();
    await db.delete(reports).where(eq(reports.leadId, leadId));
    expect((await owner.client.post(api(owner, 'whatsapp/templates/sync'))).status).toBe(200);
    const templates = (await owner.client.get(api(owner, 'whatsapp/templates'))).body.items as { id: string; name: string }[];
    const res = await owner.client.post(leadUrl(owner, leadId, '/messages'), {
      kind: 'template',
      templateId: templates.find((x) => x.name === 'order_confirmation')!.id,
      parameters: [{ source: 'field', field: 'name' }, { source: 'reportLink' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([
      {
        field: 'body.parameters.1',
        message: 'the lead has no finished report for {{2}}',
        rule: 'templateValue',
        params: { variable: '{{2}}' },
      },
    ]);
  });
});
