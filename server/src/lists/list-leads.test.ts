import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signUp, startTestApp, type SignedUpUser } from '../test/harness.js';
import { auditEntries, insertLeads, listsUrl, teammate } from './test-helpers.js';

const t = await startTestApp();

/** An owner with a list holding some of their leads, and one lead left off it. */
async function listWithLeads() {
  const owner = await signUp(t);
  const list = (await owner.client.post(listsUrl(owner.tenantId), { name: 'Jeddah Cafés' })).body as { id: string };
  const [onList1, onList2, onList3, offList] = await insertLeads(t, owner.tenantId, [
    'Café Noor',
    'مقهى الياسمين',
    '=HYPERLINK()',
    'Elsewhere',
  ]);
  await owner.client.post(listsUrl(owner.tenantId, `/${list.id}/leads`), { leadIds: [onList1, onList2, onList3] });
  return { owner, list, onList: [onList1, onList2, onList3], offList };
}
const namesOf = (body: { items: { name: string }[] }) => body.items.map((l) => l.name);

describe("a list's leads", () => {
  it('answers only the leads on the list, as lead table rows', async () => {
    const { owner, list } = await listWithLeads();
    const res = await owner.client.get(listsUrl(owner.tenantId, `/${list.id}/leads?sort=name`));
    expect(res.status).toBe(200);
    expect(namesOf(res.body).sort()).toEqual(['=HYPERLINK()', 'Café Noor', 'مقهى الياسمين'].sort());
    expect(res.body.items[0]).toHaveProperty('status', 'NEW');
    expect(res.body.nextCursor).toBeNull();
  });

  it('applies the lead table filters within the list and pages with a cursor', async () => {
    const { owner, list } = await listWithLeads();
    const searched = await owner.client.get(listsUrl(owner.tenantId, `/${list.id}/leads?q=${encodeURIComponent('الياسمين')}`));
    expect(namesOf(searched.body)).toEqual(['مقهى الياسمين']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { name: string }[]; nextCursor: string | null } } = await owner.client.get(
        listsUrl(owner.tenantId, `/${list.id}/leads?sort=name&limit=2${cursor ? `&cursor=${cursor}` : ''}`),
      );
      seen.push(...namesOf(page.body));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });

  it('follows removals: a lead taken off the list is no longer among its leads', async () => {
    const { owner, list, onList } = await listWithLeads();
    await owner.client.post(listsUrl(owner.tenantId, `/${list.id}/leads/remove`), { leadIds: [onList[0]] });
    const res = await owner.client.get(listsUrl(owner.tenantId, `/${list.id}/leads`));
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items.map((l: { id: string }) => l.id)).not.toContain(onList[0]);
  });

  it('answers 404 for a list that is not in the tenant, and 400 naming a bad filter', async () => {
    const { owner } = await listWithLeads();
    const other = await signUp(t);
    const foreign = (await other.client.post(listsUrl(other.tenantId), { name: 'Theirs' })).body as { id: string };
    expect((await owner.client.get(listsUrl(owner.tenantId, `/${foreign.id}/leads`))).status).toBe(404);
    expect((await owner.client.get(listsUrl(owner.tenantId, `/${randomUUID()}/leads`))).status).toBe(404);
    const bad = await owner.client.get(listsUrl(owner.tenantId, `/${randomUUID()}/leads?sort=sideways`));
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toContain('querystring.sort');
  });

  it('is readable by a viewer', async () => {
    const { owner, list } = await listWithLeads();
    const viewer = await teammate(t, owner, 'VIEWER');
    expect((await viewer.client.get(listsUrl(owner.tenantId, `/${list.id}/leads`))).body.items).toHaveLength(3);
  });
});

describe("exporting a list's leads", () => {
  const download = (who: SignedUpUser, tenantId: string, listId: string) => who.client.get(listsUrl(tenantId, `/${listId}/export.csv`));

  it('downloads the list’s leads as a UTF-8 CSV with BOM, formulas neutralised, and audits the export', async () => {
    const { owner, list } = await listWithLeads();
    const res = await download(owner, owner.tenantId, list.id);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="jeddah-cafes-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    const lines = res.text.slice(1).trim().split(/\r?\n/);
    expect(lines).toHaveLength(4);
    expect(res.text).toContain('Café Noor');
    expect(res.text).toContain('مقهى الياسمين');
    expect(res.text).not.toContain('Elsewhere');
    expect(res.text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const [entry] = await auditEntries(t, owner.tenantId, 'lead.exported');
    expect(entry.actorUserId).toBe(owner.user.id);
    expect(entry.metadata).toMatchObject({ filter: { listId: list.id }, rowCount: 3 });
  });

  it('answers 404 for a list that is not in the tenant, and writes no audit entry', async () => {
    const { owner } = await listWithLeads();
    const other = await signUp(t);
    const foreign = (await other.client.post(listsUrl(other.tenantId), { name: 'Theirs' })).body as { id: string };
    const res = await download(owner, owner.tenantId, foreign.id);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(await auditEntries(t, owner.tenantId, 'lead.exported')).toEqual([]);
  });

  it('names the file "list" when the name has no Latin letters or digits', async () => {
    const owner = await signUp(t);
    const list = (await owner.client.post(listsUrl(owner.tenantId), { name: 'مطاعم' })).body as { id: string };
    const res = await download(owner, owner.tenantId, list.id);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/filename="list-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(res.text.slice(1).trim().split(/\r?\n/)).toHaveLength(1);
  });
});
