import { describe, expect, it } from 'vitest';
import { whatsappMessages } from '../db/schema/index.js';
import { insertLeads, joinAs } from '../leads/test-helpers.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { leadUrl } from './test-helpers.js';

const t = await startTestApp();
const db = t.database.db;
const TOTAL = 250;

/**
 * `TOTAL` messages of one lead, alternating in and out, one second apart; pairs of inbound ones
 * share Meta's second, so the order also rests on when each was written.
 */
async function leadWithLongThread(owner: SignedUpUser) {
  const [lead] = await insertLeads(t, owner.tenantId, [{ name: 'Chatty Bakery', phone: '+966500000099' }]);
  const start = Date.UTC(2026, 0, 1);
  await db.insert(whatsappMessages).values(
    Array.from({ length: TOTAL }, (_, i) => {
      const inbound = i % 2 === 0;
      return {
        tenantId: owner.tenantId,
        leadId: lead.id,
        direction: inbound ? ('IN' as const) : ('OUT' as const),
        phone: '966500000099',
        type: 'text',
        text: `Message ${i}`,
        status: inbound ? ('RECEIVED' as const) : ('SENT' as const),
        receivedAt: inbound ? new Date(start + Math.floor(i / 4) * 4000) : null,
        createdAt: new Date(start + i * 1000),
      };
    }),
  );
  return lead.id;
}

const texts = (items: { text: string }[]) => items.map((m) => m.text);

describe("a thread's older messages", () => {
  it('shows the latest 200 with a cursor, and pages back through every older message once, in order', async () => {
    const owner = await signUp(t);
    const leadId = await leadWithLongThread(owner);
    const thread = (await owner.client.get(leadUrl(owner, leadId))).body;
    expect(thread.messages).toHaveLength(200);
    expect(thread.olderCursor).toEqual(expect.any(String));
    const order = (await owner.client.get(leadUrl(owner, leadId, `/messages?limit=200`))).body;
    // Without a cursor the page is the newest messages, newest first: the thread reversed.
    expect(texts(order.items)).toEqual(texts(thread.messages).reverse());

    const older: string[] = [];
    let cursor: string | null = thread.olderCursor;
    for (let pages = 0; cursor && pages < 10; pages++) {
      const res = await owner.client.get(leadUrl(owner, leadId, `/messages?limit=15&cursor=${encodeURIComponent(cursor)}`));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(15);
      older.push(...texts(res.body.items));
      cursor = res.body.nextCursor;
    }
    expect(cursor).toBeNull();
    const all = [...older.reverse(), ...texts(thread.messages)];
    expect(all).toHaveLength(TOTAL);
    expect(new Set(all).size).toBe(TOTAL);
    // The thread's order: when each happened (Meta's second for inbound), then when it was written.
    const happened = (i: number) => (i % 2 === 0 ? Math.floor(i / 4) * 4000 : i * 1000);
    const expected = Array.from({ length: TOTAL }, (_, i) => i).sort((a, b) => happened(a) - happened(b) || a - b);
    expect(all).toEqual(expected.map((i) => `Message ${i}`));
  });

  it('lets a viewer read, refuses a damaged cursor (400), and hides another tenant’s lead (404)', async () => {
    const owner = await signUp(t);
    const leadId = await leadWithLongThread(owner);
    const viewer = await joinAs(t, owner, 'VIEWER');
    expect((await viewer.client.get(leadUrl(owner, leadId, '/messages'))).status).toBe(200);

    const bad = await owner.client.get(leadUrl(owner, leadId, '/messages?cursor=not-a-cursor'));
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].field).toBe('querystring.cursor');
    expect((await owner.client.get(leadUrl(owner, leadId, '/messages?limit=500'))).status).toBe(400);

    const stranger = await signUp(t);
    expect((await stranger.client.get(leadUrl(stranger, leadId, '/messages'))).status).toBe(404);
    expect((await stranger.client.get(leadUrl(owner, leadId, '/messages'))).status).toBe(404);
  });

  it('has no cursor when the whole thread fits', async () => {
    const owner = await signUp(t);
    const [lead] = await insertLeads(t, owner.tenantId, [{ name: 'Quiet Bakery', phone: '+966500000098' }]);
    const thread = (await owner.client.get(leadUrl(owner, lead.id))).body;
    expect(thread).toMatchObject({ messages: [], olderCursor: null });
  });
});
