import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { auditEntries, insertLeads, listsState, listsUrl, teammate } from './test-helpers.js';

const t = await startTestApp();

const createList = async (who: SignedUpUser, name: string, description?: string | null) => {
  const res = await who.client.post(listsUrl(who.tenantId), { name, description });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; name: string };
};
const fieldsOf = (body: { fields: { field: string }[] }) => body.fields.map((f) => f.field);

describe('creating a list', () => {
  it('answers 201 with the list, empty, created by the caller, and audits list.created', async () => {
    const owner = await signUp(t, { name: 'Nadia Karim' });
    const res = await owner.client.post(listsUrl(owner.tenantId), { name: '  Riyadh dentists ', description: 'Clinics to call in May' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Riyadh dentists',
      description: 'Clinics to call in May',
      leadCount: 0,
      createdBy: { id: owner.user.id, name: 'Nadia Karim' },
    });
    expect(Date.parse(res.body.createdAt)).not.toBeNaN();
    const [entry] = await auditEntries(t, owner.tenantId, 'list.created');
    expect(entry).toMatchObject({ actorUserId: owner.user.id, targetType: 'list', targetId: res.body.id });
    expect(entry.metadata).toEqual({ name: 'Riyadh dentists', description: 'Clinics to call in May' });
  });

  it('refuses a name already used in the tenant, in any letter case, with 409 naming the list', async () => {
    const owner = await signUp(t);
    const existing = await createList(owner, 'Hot Leads');
    const before = await listsState(t, owner.tenantId);
    const res = await owner.client.post(listsUrl(owner.tenantId), { name: 'hot leads' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('CONFLICT');
    expect(res.body.detail).toContain('"Hot Leads"');
    expect(res.body.existingListId).toBe(existing.id);
    // The case and the name, for the web to word in the user's language.
    expect(res.body).toMatchObject({ reason: 'listNameTaken', name: 'Hot Leads' });
    expect(await listsState(t, owner.tenantId)).toEqual(before);
    expect(await auditEntries(t, owner.tenantId, 'list.created')).toHaveLength(1);
  });

  it('lets two tenants use the same name', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    await createList(a, 'Cafés');
    await createList(b, 'Cafés');
  });

  it.each([
    ['an empty name', { name: '   ' }, 'name'],
    ['a missing name', { description: 'x' }, 'name'],
    ['a name over 120 characters', { name: 'n'.repeat(121) }, 'name'],
    ['a description over 2000 characters', { name: 'Fine', description: 'd'.repeat(2001) }, 'description'],
    ['a description of the wrong type', { name: 'Fine', description: 5 }, 'description'],
  ])('answers 400 naming the field for %s, and creates nothing', async (_, body, field) => {
    const owner = await signUp(t);
    const res = await owner.client.post(listsUrl(owner.tenantId), body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(res.body)).toContain(field);
    expect((await listsState(t, owner.tenantId)).lists).toEqual([]);
  });
});

describe('the lists page', () => {
  it('lists the tenant’s lists by name in any letter case, each with its lead count', async () => {
    const owner = await signUp(t);
    const gamma = await createList(owner, 'gamma');
    const alpha = await createList(owner, 'Alpha');
    await createList(owner, 'Beta');
    const leadIds = await insertLeads(t, owner.tenantId, ['One', 'Two', 'Three']);
    await owner.client.post(listsUrl(owner.tenantId, `/${alpha.id}/leads`), { leadIds });
    await owner.client.post(listsUrl(owner.tenantId, `/${gamma.id}/leads`), { leadIds: leadIds.slice(0, 1) });

    const res = await owner.client.get(listsUrl(owner.tenantId));
    expect(res.status).toBe(200);
    expect(res.body.items.map((l: { name: string; leadCount: number }) => [l.name, l.leadCount])).toEqual([
      ['Alpha', 3],
      ['Beta', 0],
      ['gamma', 1],
    ]);
    expect(res.body.nextCursor).toBeNull();
  });

  it('pages with a cursor, never repeating or skipping a list, even when lists are added between pages', async () => {
    const owner = await signUp(t);
    for (const name of ['b', 'd', 'f', 'h', 'j']) await createList(owner, name);
    const first = await owner.client.get(listsUrl(owner.tenantId, '?limit=2'));
    expect(first.body.items.map((l: { name: string }) => l.name)).toEqual(['b', 'd']);
    await createList(owner, 'a'); // before the cursor: not on later pages
    await createList(owner, 'e'); // after it: on the next page
    const second = await owner.client.get(listsUrl(owner.tenantId, `?limit=2&cursor=${first.body.nextCursor}`));
    expect(second.body.items.map((l: { name: string }) => l.name)).toEqual(['e', 'f']);
    const third = await owner.client.get(listsUrl(owner.tenantId, `?limit=2&cursor=${second.body.nextCursor}`));
    expect(third.body.items.map((l: { name: string }) => l.name)).toEqual(['h', 'j']);
    expect(third.body.nextCursor).toBeNull();
  });

  it('keeps only lists whose name contains q, in any letter case, taking % and _ literally', async () => {
    const owner = await signUp(t);
    for (const name of ['Jeddah Cafés', 'cafés riyadh', 'Gyms', '100% ready', 'to_do']) await createList(owner, name);
    const names = async (q: string) =>
      (await owner.client.get(listsUrl(owner.tenantId, `?q=${encodeURIComponent(q)}`))).body.items.map((l: { name: string }) => l.name);
    expect(await names('CAFÉS')).toEqual(['cafés riyadh', 'Jeddah Cafés']);
    expect(await names('%')).toEqual(['100% ready']);
    expect(await names('_')).toEqual(['to_do']);
    expect(await names('nothing like it')).toEqual([]);
  });

  it('names Arabic lists and finds them', async () => {
    const owner = await signUp(t);
    await createList(owner, 'مطاعم الرياض');
    const res = await owner.client.get(listsUrl(owner.tenantId, `?q=${encodeURIComponent('الرياض')}`));
    expect(res.body.items.map((l: { name: string }) => l.name)).toEqual(['مطاعم الرياض']);
  });

  it('never shows another tenant’s lists', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    await createList(a, 'Only in A');
    expect((await b.client.get(listsUrl(b.tenantId))).body).toMatchObject({ items: [], total: { count: 0, exact: true } });
  });

  it('counts the lists matching q with the first page, never another tenant’s', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    for (const name of ['Cafés north', 'cafés south', 'Cafés east', 'Gyms']) await createList(a, name);
    await createList(b, 'Cafés elsewhere');
    const list = (who: SignedUpUser, query: string) => who.client.get(listsUrl(who.tenantId, query));

    const first = await list(a, '?q=caf&limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.total).toEqual({ count: 3, exact: true });
    expect((await list(a, `?q=caf&limit=2&cursor=${first.body.nextCursor}`)).body).toMatchObject({ nextCursor: null, total: null });
    expect((await list(a, '')).body.total).toEqual({ count: 4, exact: true });
    expect((await list(b, '?q=caf')).body.total).toEqual({ count: 1, exact: true });
  });

  it.each([
    ['a damaged cursor', '?cursor=not-a-cursor', 'querystring.cursor'],
    ['a limit of 0', '?limit=0', 'querystring.limit'],
    ['a limit over 200', '?limit=201', 'querystring.limit'],
  ])('answers 400 naming the parameter for %s', async (_, query, field) => {
    const owner = await signUp(t);
    const res = await owner.client.get(listsUrl(owner.tenantId, query));
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toContain(field);
  });
});

describe('one list', () => {
  it('answers the list with its lead count', async () => {
    const owner = await signUp(t);
    const list = await createList(owner, 'Clinics', null);
    await owner.client.post(listsUrl(owner.tenantId, `/${list.id}/leads`), { leadIds: await insertLeads(t, owner.tenantId, ['A', 'B']) });
    const res = await owner.client.get(listsUrl(owner.tenantId, `/${list.id}`));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: list.id, name: 'Clinics', description: null, leadCount: 2 });
  });

  it('answers 404 for a list id that does not exist or is another tenant’s, and 400 for a malformed one', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const foreign = await createList(a, 'Private');
    expect((await b.client.get(listsUrl(b.tenantId, `/${foreign.id}`))).status).toBe(404);
    expect((await b.client.get(listsUrl(b.tenantId, `/${randomUUID()}`))).body.code).toBe('NOT_FOUND');
    const malformed = await b.client.get(listsUrl(b.tenantId, '/not-an-id'));
    expect(malformed.status).toBe(400);
    expect(fieldsOf(malformed.body)).toContain('params.listId');
  });
});

describe('renaming and describing a list', () => {
  it('changes the name and description and audits list.updated with before and after', async () => {
    const owner = await signUp(t);
    const list = await createList(owner, 'Old name', 'Old text');
    const res = await owner.client.patch(listsUrl(owner.tenantId, `/${list.id}`), { name: 'New name', description: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: list.id, name: 'New name', description: null });
    expect((await owner.client.get(listsUrl(owner.tenantId, `/${list.id}`))).body.name).toBe('New name');
    const [entry] = await auditEntries(t, owner.tenantId, 'list.updated');
    expect(entry.targetId).toBe(list.id);
    expect(entry.metadata).toEqual({
      before: { name: 'Old name', description: 'Old text' },
      after: { name: 'New name', description: null },
    });
  });

  it('changes only the fields sent', async () => {
    const owner = await signUp(t);
    const list = await createList(owner, 'Keep me', 'Before');
    const res = await owner.client.patch(listsUrl(owner.tenantId, `/${list.id}`), { description: 'After' });
    expect(res.body).toMatchObject({ name: 'Keep me', description: 'After' });
  });

  it('allows changing only the letter case of its own name', async () => {
    const owner = await signUp(t);
    const list = await createList(owner, 'cafes');
    const res = await owner.client.patch(listsUrl(owner.tenantId, `/${list.id}`), { name: 'Cafes' });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Cafes');
  });

  it('writes no audit entry when nothing changes', async () => {
    const owner = await signUp(t);
    const list = await createList(owner, 'Same', 'Same text');
    const res = await owner.client.patch(listsUrl(owner.tenantId, `/${list.id}`), { name: 'Same', description: 'Same text' });
    expect(res.status).toBe(200);
    expect(await auditEntries(t, owner.tenantId, 'list.updated')).toEqual([]);
  });

  it('refuses the name of another list in any letter case with 409, and changes nothing', async () => {
    const owner = await signUp(t);
    const taken = await createList(owner, 'Taken');
    const list = await createList(owner, 'Mine');
    const before = await listsState(t, owner.tenantId);
    const res = await owner.client.patch(listsUrl(owner.tenantId, `/${list.id}`), { name: 'TAKEN', description: 'changed' });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('"Taken"');
    expect(res.body.existingListId).toBe(taken.id);
    expect(await listsState(t, owner.tenantId)).toEqual(before);
    expect(await auditEntries(t, owner.tenantId, 'list.updated')).toEqual([]);
  });

  it('answers 400 naming the field for an empty name, and changes nothing', async () => {
    const owner = await signUp(t);
    const list = await createList(owner, 'Stays');
    const before = await listsState(t, owner.tenantId);
    const res = await owner.client.patch(listsUrl(owner.tenantId, `/${list.id}`), { name: '' });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['name']);
    expect(await listsState(t, owner.tenantId)).toEqual(before);
  });
});

describe('deleting a list', () => {
  it('answers 204, removes the list but keeps its leads, and audits the name and lead count', async () => {
    const owner = await signUp(t);
    const list = await createList(owner, 'Short-lived');
    const leadIds = await insertLeads(t, owner.tenantId, ['Kept 1', 'Kept 2']);
    await owner.client.post(listsUrl(owner.tenantId, `/${list.id}/leads`), { leadIds });

    const res = await owner.client.delete(listsUrl(owner.tenantId, `/${list.id}`));
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await owner.client.get(listsUrl(owner.tenantId, `/${list.id}`))).status).toBe(404);
    const state = await listsState(t, owner.tenantId);
    expect(state).toEqual({ lists: [], members: [], leads: 2 });
    const [entry] = await auditEntries(t, owner.tenantId, 'list.deleted');
    expect(entry).toMatchObject({ targetType: 'list', targetId: list.id, metadata: { name: 'Short-lived', leadCount: 2 } });
  });

  it('frees the name for a new list', async () => {
    const owner = await signUp(t);
    const list = await createList(owner, 'Reused');
    await owner.client.delete(listsUrl(owner.tenantId, `/${list.id}`));
    await createList(owner, 'reused');
  });
});

describe('roles', () => {
  it('lets a viewer read lists but answers 403 to every change, and nothing changes', async () => {
    const owner = await signUp(t);
    const viewer = await teammate(t, owner, 'VIEWER');
    const list = await createList(owner, 'Shared');
    const [leadId] = await insertLeads(t, owner.tenantId, ['Lead']);
    await owner.client.post(listsUrl(owner.tenantId, `/${list.id}/leads`), { leadIds: [leadId] });
    const asViewer = { ...viewer, tenantId: owner.tenantId };
    const before = await listsState(t, owner.tenantId);

    expect((await asViewer.client.get(listsUrl(owner.tenantId))).body.items).toHaveLength(1);
    expect((await asViewer.client.get(listsUrl(owner.tenantId, `/${list.id}`))).status).toBe(200);
    expect((await asViewer.client.get(`/api/v1/tenants/${owner.tenantId}/leads/${leadId}/lists`)).status).toBe(200);
    const writes = [
      () => asViewer.client.post(listsUrl(owner.tenantId), { name: 'Viewer list' }),
      () => asViewer.client.patch(listsUrl(owner.tenantId, `/${list.id}`), { name: 'Renamed by viewer' }),
      () => asViewer.client.delete(listsUrl(owner.tenantId, `/${list.id}`)),
      () => asViewer.client.post(listsUrl(owner.tenantId, `/${list.id}/leads`), { leadIds: [leadId] }),
      () => asViewer.client.post(listsUrl(owner.tenantId, `/${list.id}/leads/remove`), { leadIds: [leadId] }),
    ];
    for (const write of writes) {
      const res = await write();
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    expect(await listsState(t, owner.tenantId)).toEqual(before);
  });

  it('lets a member create, change and delete lists', async () => {
    const owner = await signUp(t);
    const member = await teammate(t, owner, 'MEMBER');
    const created = await member.client.post(listsUrl(owner.tenantId), { name: 'By a member' });
    expect(created.status).toBe(201);
    expect(created.body.createdBy.id).toBe(member.user.id);
    expect((await member.client.patch(listsUrl(owner.tenantId, `/${created.body.id}`), { name: 'Renamed' })).status).toBe(200);
    expect((await member.client.delete(listsUrl(owner.tenantId, `/${created.body.id}`))).status).toBe(204);
  });
});

describe("another tenant's list", () => {
  it('is not found by any list endpoint used inside your own tenant, and neither tenant changes', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const foreign = await createList(a, 'A’s list');
    const [aLead] = await insertLeads(t, a.tenantId, ['A lead']);
    const [bLead] = await insertLeads(t, b.tenantId, ['B lead']);
    await a.client.post(listsUrl(a.tenantId, `/${foreign.id}/leads`), { leadIds: [aLead] });
    const beforeA = await listsState(t, a.tenantId);
    const beforeB = await listsState(t, b.tenantId);

    const calls = [
      () => b.client.get(listsUrl(b.tenantId, `/${foreign.id}`)),
      () => b.client.patch(listsUrl(b.tenantId, `/${foreign.id}`), { name: 'Hijacked' }),
      () => b.client.delete(listsUrl(b.tenantId, `/${foreign.id}`)),
      () => b.client.post(listsUrl(b.tenantId, `/${foreign.id}/leads`), { leadIds: [bLead] }),
      () => b.client.post(listsUrl(b.tenantId, `/${foreign.id}/leads/remove`), { leadIds: [aLead] }),
      () => b.client.get(`/api/v1/tenants/${b.tenantId}/leads/${aLead}/lists`),
    ];
    for (const call of calls) {
      const res = await call();
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    expect(await listsState(t, a.tenantId)).toEqual(beforeA);
    expect(await listsState(t, b.tenantId)).toEqual(beforeB);
  });
});
