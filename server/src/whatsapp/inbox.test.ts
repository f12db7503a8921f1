import { afterAll, describe, expect, it } from 'vitest';
import { addPerson } from '../team/test-users.js';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { FakeGraph } from './fake-graph.js';
import { connect, deliver, leadUrl, payload, settle } from './test-helpers.js';

const graph = await FakeGraph.start();
afterAll(() => graph.close());
const t = await startTestApp(graph.env);

const inbox = (who: SignedUpUser, query = '') => who.client.get(`/api/v1/tenants/${who.tenantId}/whatsapp/conversations${query}`);
const message = (from: string, id: string, text: string, seconds: number) =>
  payload('webhook-inbound-text.json', (b) => {
    const value = b.entry[0].changes[0].value;
    Object.assign(value.messages[0], { from, id, timestamp: String(seconds), text: { body: text } });
    value.contacts[0] = { wa_id: from, profile: { name: `Contact ${from.slice(-2)}` } };
  });

describe('the inbox', () => {
  it('lists conversations by latest activity with unread counts, counts and pages them, and reading clears the count', async () => {
    const owner = await signUp(t);
    await connect(owner);
    const now = Math.floor(Date.now() / 1000);
    await deliver(t, owner.tenantId, message('966500000011', 'wamid.A1', 'First', now - 300));
    await deliver(t, owner.tenantId, message('966500000012', 'wamid.B1', 'Second', now - 200));
    await deliver(t, owner.tenantId, message('966500000011', 'wamid.A2', 'Third', now - 100));
    await settle(t, owner.tenantId);
    const all = (await inbox(owner)).body;
    expect(
      all.items.map((c: { leadName: string; unreadCount: number; lastMessagePreview: string }) => [
        c.leadName,
        c.unreadCount,
        c.lastMessagePreview,
      ]),
    ).toEqual([
      ['Contact 11', 2, 'Third'],
      ['Contact 12', 1, 'Second'],
    ]);
    const first = (await inbox(owner, '?limit=1')).body;
    expect(first.items).toHaveLength(1);
    expect(first.total).toEqual({ count: 2, exact: true });
    const second = (await inbox(owner, `?limit=1&cursor=${first.nextCursor}`)).body;
    expect(second.items.map((c: { leadName: string }) => c.leadName)).toEqual(['Contact 12']);
    expect(second).toMatchObject({ nextCursor: null, total: null });
    expect((await inbox(await signUp(t))).body).toMatchObject({ items: [], total: { count: 0, exact: true } });
    expect((await inbox(owner, '?cursor=garbage')).status).toBe(400);

    const leadId = all.items[0].leadId;
    const read = await owner.client.post(leadUrl(owner, leadId, '/read'));
    expect(read.body.conversation.unreadCount).toBe(0);
    const unread = (await inbox(owner, '?unread=true')).body;
    expect(unread.items.map((c: { leadName: string }) => c.leadName)).toEqual(['Contact 12']);
    expect(unread.total).toEqual({ count: 1, exact: true });
  });

  it('assigns a conversation to a member of the tenant only, and filters by assignee', async () => {
    const owner = await signUp(t);
    await connect(owner);
    const member = await addPerson(t, owner.tenantId, 'MEMBER');
    const viewer = await addPerson(t, owner.tenantId, 'VIEWER');
    const stranger = await signUp(t);
    await deliver(t, owner.tenantId, message('966500000013', 'wamid.C1', 'Hello', Math.floor(Date.now() / 1000)));
    await settle(t, owner.tenantId);
    const [conversation] = (await inbox(owner)).body.items;
    const assign = (who: SignedUpUser, assignedUserId: string | null) =>
      who.client.put(leadUrl(owner, conversation.leadId, '/assignee'), { assignedUserId });
    expect((await assign(viewer, member.user.id)).status).toBe(403);
    expect((await assign(owner, stranger.user.id)).status).toBe(404);
    const res = await assign(owner, member.user.id);
    expect(res.body.conversation.assignedUserId).toBe(member.user.id);
    expect((await inbox(owner, `?assigned=${member.user.id}`)).body).toMatchObject({ items: [{}], total: { count: 1, exact: true } });
    expect((await inbox(owner, '?assigned=none')).body).toMatchObject({ items: [], total: { count: 0, exact: true } });
  });

  it('streams a change event when a message arrives', async () => {
    const owner = await signUp(t);
    await connect(owner);
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const res = await fetch(`${address}/api/v1/tenants/${owner.tenantId}/whatsapp/events`, {
      headers: { cookie: owner.client.cookieHeader, 'x-forwarded-for': owner.client.ip },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    let seen = '';
    const changed = (async () => {
      while (!seen.includes('event: changed')) seen += new TextDecoder().decode((await reader.read()).value);
    })();
    await deliver(t, owner.tenantId, message('966500000014', 'wamid.D1', 'Live', Math.floor(Date.now() / 1000)));
    await changed;
    controller.abort();
    expect(seen).toContain('event: changed');
  });
});
