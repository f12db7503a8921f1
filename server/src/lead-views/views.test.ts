import { describe, expect, it } from 'vitest';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { auditEntries, teammate } from '../lists/test-helpers.js';

const t = await startTestApp();

const viewsUrl = (tenantId: string, rest = '') => `/api/v1/tenants/${tenantId}/lead-views${rest}`;
const layout = {
  filter: { status: 'NEW,CONTACTED', city: 'Riyadh' },
  sort: '-createdAt',
  columns: ['name', 'phone', 'score'],
  widths: { name: 320 },
  density: 'compact',
};
const save = async (who: SignedUpUser, body: object) => {
  const res = await who.client.post(viewsUrl(who.tenantId), body);
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; name: string };
};
const names = async (who: SignedUpUser, tenantId = who.tenantId) => {
  const res = await who.client.get(viewsUrl(tenantId));
  expect(res.status).toBe(200);
  return (res.body.items as { name: string }[]).map((v) => v.name);
};

describe('saving a lead view', () => {
  it('keeps the filter, sort, columns, widths and density, and lists it for its author, audited', async () => {
    const owner = await signUp(t, { name: 'Nadia Karim' });
    const view = await save(owner, { name: '  Riyadh new ', layout });
    const res = await owner.client.get(viewsUrl(owner.tenantId));
    expect(res.body.items).toEqual([
      { id: view.id, name: 'Riyadh new', shared: false, mine: true, author: 'Nadia Karim', layout, updatedAt: expect.any(String) },
    ]);
    const [entry] = await auditEntries(t, owner.tenantId, 'lead_view.saved');
    expect(entry).toMatchObject({ actorUserId: owner.user.id, targetType: 'lead_view', targetId: view.id });
  });

  it('replaces the view when its author saves again under the same name in any letter case', async () => {
    const owner = await signUp(t);
    const first = await save(owner, { name: 'Hot', layout });
    const again = await save(owner, { name: 'hot', layout: { ...layout, columns: ['name'] } });
    expect(again.id).toBe(first.id);
    const res = await owner.client.get(viewsUrl(owner.tenantId));
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ name: 'hot', layout: { columns: ['name'] } });
  });

  it('shows a private view to no teammate and a shared one to all, which only its author may delete', async () => {
    const owner = await signUp(t);
    const member = await teammate(t, owner, 'MEMBER');
    await save(owner, { name: 'Mine only', layout });
    const shared = await save(owner, { name: 'For the team', shared: true, layout });
    expect(await names(member, owner.tenantId)).toEqual(['For the team']);
    const [seen] = (await member.client.get(viewsUrl(owner.tenantId))).body.items;
    expect(seen.mine).toBe(false);
    const refused = await member.client.delete(viewsUrl(owner.tenantId, `/${shared.id}`));
    expect(refused.status).toBe(403);
    expect(await names(owner)).toEqual(['For the team', 'Mine only']);
  });

  it('lets a viewer save a view for themselves but answers 403 to sharing it, saving nothing', async () => {
    const owner = await signUp(t);
    const viewer = await teammate(t, owner, 'VIEWER');
    const res = await viewer.client.post(viewsUrl(owner.tenantId), { name: 'Shared by a viewer', shared: true, layout });
    expect(res.status).toBe(403);
    expect(await names(viewer, owner.tenantId)).toEqual([]);
    const own = await viewer.client.post(viewsUrl(owner.tenantId), { name: 'My reading list', layout });
    expect(own.status).toBe(201);
  });

  it.each([
    ['an empty name', { name: '  ', layout }, 'name'],
    ['no columns', { name: 'V', layout: { ...layout, columns: [] } }, 'layout.columns'],
    ['an unknown column', { name: 'V', layout: { ...layout, columns: ['name', 'salary'] } }, 'layout.columns.1'],
    ['a column twice', { name: 'V', layout: { ...layout, columns: ['name', 'name'] } }, 'layout.columns'],
    ['an unknown sort', { name: 'V', layout: { ...layout, sort: 'phone' } }, 'layout.sort'],
    ['a filter the lead table refuses', { name: 'V', layout: { ...layout, filter: { scoreMin: '900' } } }, 'layout.filter'],
    ['a width out of range', { name: 'V', layout: { ...layout, widths: { name: 5000 } } }, 'layout.widths.name'],
  ])('answers 400 naming the field for %s, and saves nothing', async (_, body, field) => {
    const owner = await signUp(t);
    const res = await owner.client.post(viewsUrl(owner.tenantId), body);
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await names(owner)).toEqual([]);
  });
});

describe('deleting a lead view', () => {
  it('removes it for good and audits lead_view.deleted', async () => {
    const owner = await signUp(t);
    const view = await save(owner, { name: 'Gone soon', layout });
    const res = await owner.client.delete(viewsUrl(owner.tenantId, `/${view.id}`));
    expect(res.status).toBe(204);
    expect(await names(owner)).toEqual([]);
    expect(await auditEntries(t, owner.tenantId, 'lead_view.deleted')).toHaveLength(1);
  });

  it("answers 404 for a teammate's private view and leaves it", async () => {
    const owner = await signUp(t);
    const member = await teammate(t, owner, 'MEMBER');
    const view = await save(owner, { name: 'Private', layout });
    const res = await member.client.delete(viewsUrl(owner.tenantId, `/${view.id}`));
    expect(res.status).toBe(404);
    expect(await names(owner)).toEqual(['Private']);
  });
});
