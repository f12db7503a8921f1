import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { auditEntries, insertLeads, listsState, listsUrl } from './test-helpers.js';

const t = await startTestApp();

/** An owner with one list and some leads of their own. */
async function ownerWithList(leadNames = ['Alpha Dental', 'Beta Gym', 'Gamma Cafe']) {
  const owner = await signUp(t);
  const list = (await owner.client.post(listsUrl(owner.tenantId), { name: 'Prospects' })).body as { id: string; name: string };
  const leadIds = await insertLeads(t, owner.tenantId, leadNames);
  return { owner, list, leadIds };
}
const add = (who: SignedUpUser, listId: string, leadIds: string[]) =>
  who.client.post(listsUrl(who.tenantId, `/${listId}/leads`), { leadIds });
const remove = (who: SignedUpUser, listId: string, leadIds: string[]) =>
  who.client.post(listsUrl(who.tenantId, `/${listId}/leads/remove`), { leadIds });
const leadCount = async (who: SignedUpUser, listId: string) => (await who.client.get(listsUrl(who.tenantId, `/${listId}`))).body.leadCount;

describe('adding leads to a list', () => {
  it('adds them, answers how many were added, and the count follows', async () => {
    const { owner, list, leadIds } = await ownerWithList();
    const res = await add(owner, list.id, leadIds.slice(0, 2));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ changed: 2 });
    expect(await leadCount(owner, list.id)).toBe(2);
  });

  it('is idempotent: leads already on the list, or repeated in the request, are counted once', async () => {
    const { owner, list, leadIds } = await ownerWithList();
    await add(owner, list.id, [leadIds[0]]);
    const res = await add(owner, list.id, [leadIds[0], leadIds[1], leadIds[1]]);
    expect(res.body).toEqual({ changed: 1 });
    expect((await add(owner, list.id, leadIds.slice(0, 2))).body).toEqual({ changed: 0 });
    expect(await leadCount(owner, list.id)).toBe(2);
  });

  it("ignores ids that are not this tenant's leads: another tenant's leads and ids that exist nowhere are never added", async () => {
    const { owner, list, leadIds } = await ownerWithList();
    const other = await signUp(t);
    const [foreignLead] = await insertLeads(t, other.tenantId, ['Not yours']);
    const res = await add(owner, list.id, [foreignLead, randomUUID(), leadIds[0]]);
    expect(res.body).toEqual({ changed: 1 });
    expect((await listsState(t, owner.tenantId)).members).toEqual([{ listId: list.id, leadId: leadIds[0] }]);
    expect((await listsState(t, other.tenantId)).members).toEqual([]);
  });

  it('audits list.leads_added with the number added, and nothing when nothing was added', async () => {
    const { owner, list, leadIds } = await ownerWithList();
    await add(owner, list.id, leadIds);
    await add(owner, list.id, leadIds);
    const entries = await auditEntries(t, owner.tenantId, 'list.leads_added');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorUserId: owner.user.id, targetType: 'list', targetId: list.id });
    expect(entries[0].metadata).toMatchObject({ count: 3 });
  });

  it('answers 404 for a list that does not exist, adding nothing', async () => {
    const { owner, leadIds } = await ownerWithList();
    const res = await add(owner, randomUUID(), leadIds);
    expect(res.status).toBe(404);
    expect((await listsState(t, owner.tenantId)).members).toEqual([]);
  });

  it.each([
    ['no leads', [], 'leadIds'],
    ['a malformed id', ['not-an-id'], 'leadIds.0'],
  ])('answers 400 naming the field for %s, adding nothing', async (_, ids, field) => {
    const { owner, list } = await ownerWithList();
    const res = await add(owner, list.id, ids);
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect((await listsState(t, owner.tenantId)).members).toEqual([]);
  });

  it('takes up to 10,000 leads in one request, and refuses more', async () => {
    const { owner, list } = await ownerWithList([]);
    const leadIds = await insertLeads(
      t,
      owner.tenantId,
      Array.from({ length: 2500 }, (_, i) => `Lead ${i}`),
    );
    const padded = [...leadIds, ...Array.from({ length: 7500 }, () => randomUUID())];
    expect((await add(owner, list.id, padded)).body).toEqual({ changed: 2500 });
    expect(await leadCount(owner, list.id)).toBe(2500);
    const tooMany = await add(owner, list.id, [...padded, randomUUID()]);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.fields.map((f: { field: string }) => f.field)).toContain('leadIds');
  });
});

describe('removing leads from a list', () => {
  it('takes them off, answers how many were removed, keeps the leads, and audits list.leads_removed', async () => {
    const { owner, list, leadIds } = await ownerWithList();
    await add(owner, list.id, leadIds);
    const res = await remove(owner, list.id, [leadIds[0], leadIds[1], randomUUID()]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ changed: 2 });
    expect(await leadCount(owner, list.id)).toBe(1);
    expect((await listsState(t, owner.tenantId)).leads).toBe(3);
    const [entry] = await auditEntries(t, owner.tenantId, 'list.leads_removed');
    expect(entry).toMatchObject({ targetId: list.id, metadata: { count: 2 } });
  });

  it("shows on each moved lead's timeline with the list's name, and on no other lead's", async () => {
    const { owner, list, leadIds } = await ownerWithList();
    await add(owner, list.id, leadIds.slice(0, 2));
    await remove(owner, list.id, [leadIds[0]]);
    const timeline = async (leadId: string) =>
      (await owner.client.get(`/api/v1/tenants/${owner.tenantId}/leads/${leadId}/activity`)).body.items.map(
        (e: { action: string; metadata: { listName?: string } }) => [e.action, e.metadata.listName ?? null],
      );
    expect(await timeline(leadIds[0])).toEqual([
      ['list.leads_removed', list.name],
      ['list.leads_added', list.name],
    ]);
    expect(await timeline(leadIds[1])).toEqual([['list.leads_added', list.name]]);
    expect(await timeline(leadIds[2])).toEqual([]);
  });

  it('answers changed 0 for leads not on the list, and writes no audit entry', async () => {
    const { owner, list, leadIds } = await ownerWithList();
    expect((await remove(owner, list.id, leadIds)).body).toEqual({ changed: 0 });
    expect(await auditEntries(t, owner.tenantId, 'list.leads_removed')).toEqual([]);
  });

  it('leaves other lists holding the same leads untouched', async () => {
    const { owner, list, leadIds } = await ownerWithList();
    const other = (await owner.client.post(listsUrl(owner.tenantId), { name: 'Other' })).body as { id: string };
    await add(owner, list.id, leadIds);
    await add(owner, other.id, leadIds);
    await remove(owner, list.id, leadIds);
    expect(await leadCount(owner, list.id)).toBe(0);
    expect(await leadCount(owner, other.id)).toBe(3);
  });

  it('answers 400 naming the field for an empty selection', async () => {
    const { owner, list } = await ownerWithList();
    const res = await remove(owner, list.id, []);
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toContain('leadIds');
  });
});

describe('the lists a lead is on', () => {
  it('names them by name, and is empty for a lead on no list', async () => {
    const { owner, list, leadIds } = await ownerWithList();
    const second = (await owner.client.post(listsUrl(owner.tenantId), { name: 'A first list' })).body as { id: string };
    await add(owner, list.id, [leadIds[0]]);
    await add(owner, second.id, [leadIds[0]]);
    const res = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/leads/${leadIds[0]}/lists`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        { id: second.id, name: 'A first list' },
        { id: list.id, name: 'Prospects' },
      ],
    });
    expect((await owner.client.get(`/api/v1/tenants/${owner.tenantId}/leads/${leadIds[1]}/lists`)).body).toEqual({ items: [] });
  });

  it('answers 404 for a lead that does not exist and 400 for a malformed id', async () => {
    const { owner } = await ownerWithList();
    expect((await owner.client.get(`/api/v1/tenants/${owner.tenantId}/leads/${randomUUID()}/lists`)).status).toBe(404);
    const malformed = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/leads/nope/lists`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields.map((f: { field: string }) => f.field)).toContain('params.leadId');
  });

  it('drops a deleted list', async () => {
    const { owner, list, leadIds } = await ownerWithList();
    await add(owner, list.id, leadIds);
    await owner.client.delete(listsUrl(owner.tenantId, `/${list.id}`));
    expect((await owner.client.get(`/api/v1/tenants/${owner.tenantId}/leads/${leadIds[0]}/lists`)).body).toEqual({ items: [] });
  });
});
