import { describe, expect, it } from 'vitest';
import { and, count, eq, sql } from 'drizzle-orm';
import { auditCatalogue, isAuditAction, type Role } from '@optarget/shared';
import { auditLogs, memberships } from '../db/schema/index.js';
import { inTenantTransaction } from '../db/transactions.js';
import { parseCsv, signUp, startTestApp, type SignedUpUser } from '../test/harness.js';

const t = await startTestApp();
const db = t.database.db;

async function joinAs(owner: SignedUpUser, role: Role, name = `${role} person`) {
  const person = await signUp(t, { name });
  await db.insert(memberships).values({ tenantId: owner.tenantId, userId: person.user.id, role });
  return person;
}

/** Entries written straight into the table, for filters and paging that need controlled times. */
async function insertEntries(tenantId: string, entries: Partial<typeof auditLogs.$inferInsert>[]) {
  return db
    .insert(auditLogs)
    .values(entries.map((e) => ({ tenantId, action: 'test.event', ...e })))
    .returning();
}

const auditUrl = (tenantId: string, query: Record<string, string | number> = {}) =>
  `/api/v1/tenants/${tenantId}/audit-logs?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`;
const exportUrl = (tenantId: string, query: Record<string, string> = {}) =>
  `/api/v1/tenants/${tenantId}/audit-logs/export.csv?${new URLSearchParams(query)}`;
const actionsOf = (body: { items: { action: string }[] }) => body.items.map((e) => e.action);
const entryCount = async (tenantId: string) =>
  (await db.select({ n: count() }).from(auditLogs).where(eq(auditLogs.tenantId, tenantId)))[0].n;

describe('the audit log viewer', () => {
  it('shows sign-up and a rename, newest first, with the actor and before/after', async () => {
    const owner = await signUp(t, { name: 'Huda Saleh' });
    const rename = await owner.client.patch(`/api/v1/tenants/${owner.tenantId}`, { name: 'Saleh Dental Group' });
    expect(rename.status).toBe(200);

    const res = await owner.client.get(auditUrl(owner.tenantId));
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    const actions = actionsOf(res.body);
    expect(actions[0]).toBe('tenant.renamed');
    expect(actions).toEqual(expect.arrayContaining(['tenant.created', 'user.signed_up']));
    expect(res.body.items[0]).toMatchObject({
      actor: { id: owner.user.id, email: owner.email, name: 'Huda Saleh' },
      targetType: 'tenant',
      targetId: owner.tenantId,
      metadata: { before: { name: "Huda Saleh's Organization" }, after: { name: 'Saleh Dental Group' } },
      userAgent: 'optarget-tests',
    });
    expect(res.body.items[0].ipAddress).toBeTruthy();
    const times = res.body.items.map((e: { createdAt: string }) => e.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it("never shows another tenant's entries", async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    await a.client.patch(`/api/v1/tenants/${a.tenantId}`, { name: 'Only in A' });
    const res = await b.client.get(auditUrl(b.tenantId, { limit: 200 }));
    expect(res.body.items.every((e: { actor: { id: string } }) => e.actor.id === b.user.id)).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain('Only in A');
  });

  it('filters by actor email (any case, any part) or exact user id', async () => {
    const owner = await signUp(t, { name: 'Owner' });
    const admin = await joinAs(owner, 'ADMIN');
    await admin.client.patch(`/api/v1/tenants/${owner.tenantId}`, { name: 'Renamed by admin' });

    const byEmailPart = await owner.client.get(auditUrl(owner.tenantId, { actor: admin.email.split('@')[0].toUpperCase() }));
    expect(actionsOf(byEmailPart.body)).toEqual(['tenant.renamed']);
    const byId = await owner.client.get(auditUrl(owner.tenantId, { actor: owner.user.id }));
    expect(actionsOf(byId.body).sort()).toEqual(['auth.email_verified', 'tenant.created', 'user.signed_up']);
    // LIKE wildcards are matched literally.
    const wildcard = await owner.client.get(auditUrl(owner.tenantId, { actor: '%' }));
    expect(wildcard.body.items).toEqual([]);
  });

  it('filters by exact action, action prefix, target type and target id', async () => {
    const owner = await signUp(t);
    await insertEntries(owner.tenantId, [
      { action: 'invite.sent', targetType: 'invite', targetId: 'inv-1' },
      { action: 'invite.revoked', targetType: 'invite', targetId: 'inv-1' },
      { action: 'invites.cleanup', targetType: 'invite', targetId: 'inv-2' },
      { action: 'member.removed', targetType: 'membership', targetId: 'm-1' },
    ]);
    const get = async (q: Record<string, string>) => actionsOf((await owner.client.get(auditUrl(owner.tenantId, q))).body).sort();

    expect(await get({ action: 'invite.sent' })).toEqual(['invite.sent']);
    expect(await get({ action: 'invite.*' })).toEqual(['invite.revoked', 'invite.sent']);
    expect(await get({ action: 'invite' })).toEqual([]);
    expect(await get({ targetType: 'invite' })).toEqual(['invite.revoked', 'invite.sent', 'invites.cleanup']);
    expect(await get({ targetType: 'invite', targetId: 'inv-1' })).toEqual(['invite.revoked', 'invite.sent']);
    expect(await get({ action: 'member.*', targetType: 'invite' })).toEqual([]);
  });

  it("counts the entries matching the filter with the first page, never another tenant's", async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const invites = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ action: 'invite.sent', targetType: 'invite', targetId: `inv-${i}` }));
    await insertEntries(a.tenantId, invites(3));
    await insertEntries(b.tenantId, invites(5));
    const list = (who: SignedUpUser, q: Record<string, string | number>) => who.client.get(auditUrl(who.tenantId, q));

    const first = await list(a, { targetType: 'invite', limit: 2 });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.total).toEqual({ count: 3, exact: true });
    expect((await list(a, { targetType: 'invite', limit: 2, cursor: first.body.nextCursor })).body.total).toBeNull();
    expect((await list(a, { targetType: 'invite', targetId: 'inv-1' })).body.total).toEqual({ count: 1, exact: true });
    expect((await list(a, { action: 'member.*' })).body.total).toEqual({ count: 0, exact: true });
    expect((await list(b, { targetType: 'invite' })).body.total).toEqual({ count: 5, exact: true });
  });

  it('filters by time: from is inclusive, to is exclusive', async () => {
    const owner = await signUp(t);
    await insertEntries(owner.tenantId, [
      { action: 'jan', createdAt: new Date('2024-01-15T10:00:00Z') },
      { action: 'feb', createdAt: new Date('2024-02-01T00:00:00Z') },
      { action: 'mar', createdAt: new Date('2024-03-01T00:00:00Z') },
    ]);
    const get = async (q: Record<string, string>) => actionsOf((await owner.client.get(auditUrl(owner.tenantId, q))).body);

    expect(await get({ from: '2024-02-01T00:00:00Z', to: '2024-03-01T00:00:00Z' })).toEqual(['feb']);
    expect(await get({ to: '2024-02-01T00:00:00Z' })).toEqual(['jan']);
    expect(await get({ from: '2024-01-15T12:00:00+02:00', to: '2024-12-31T00:00:00Z' })).toEqual(['mar', 'feb', 'jan']);
  });

  it('pages through every entry exactly once, even with equal times and new entries arriving between pages', async () => {
    const owner = await signUp(t);
    const sameInstant = new Date('2024-05-05T05:05:05.123Z');
    await insertEntries(owner.tenantId, [
      ...Array.from({ length: 12 }, (_, i) => ({ action: `tied.${i}`, createdAt: sameInstant })),
      ...Array.from({ length: 10 }, (_, i) => ({ action: `spread.${i}`, createdAt: new Date(Date.UTC(2024, 4, 1 + i)) })),
    ]);
    const existing = (await db.select({ id: auditLogs.id }).from(auditLogs).where(eq(auditLogs.tenantId, owner.tenantId))).map((r) => r.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await owner.client.get(
        auditUrl(owner.tenantId, cursor ? { limit: 5, cursor } : { limit: 5 }),
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((e) => e.id));
      cursor = res.body.nextCursor;
      pages++;
      await owner.client.patch(`/api/v1/tenants/${owner.tenantId}`, { name: `Renamed during paging ${pages}` });
    } while (cursor);

    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...existing].sort());
    expect(pages).toBe(Math.ceil(existing.length / 5));
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['valid base64 of the wrong shape', Buffer.from(JSON.stringify({ t: 'yesterday', id: 'x' })).toString('base64url')],
  ])('refuses a bad cursor (%s) with 400 naming cursor', async (_label, cursor) => {
    const owner = await signUp(t);
    const res = await owner.client.get(auditUrl(owner.tenantId, { cursor }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(['querystring.cursor']);
  });

  it('refuses a malformed date or limit with 400 naming the field', async () => {
    const owner = await signUp(t);
    const badFrom = await owner.client.get(auditUrl(owner.tenantId, { from: 'last tuesday' }));
    expect(badFrom.status).toBe(400);
    expect(badFrom.body.fields.map((f: { field: string }) => f.field)).toEqual(['querystring.from']);
    const badLimit = await owner.client.get(auditUrl(owner.tenantId, { limit: 0 }));
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.fields.map((f: { field: string }) => f.field)).toEqual(['querystring.limit']);
  });

  it('is for owners and admins: members and viewers get 403 on the list and the export', async () => {
    const owner = await signUp(t);
    const admin = await joinAs(owner, 'ADMIN');
    expect((await admin.client.get(auditUrl(owner.tenantId))).status).toBe(200);
    for (const role of ['MEMBER', 'VIEWER'] as const) {
      const person = await joinAs(owner, role);
      const before = await entryCount(owner.tenantId);
      const list = await person.client.get(auditUrl(owner.tenantId));
      expect(list.status, role).toBe(403);
      expect(list.body.code).toBe('FORBIDDEN');
      expect((await person.client.get(exportUrl(owner.tenantId))).status, role).toBe(403);
      expect(await entryCount(owner.tenantId)).toBe(before);
    }
  });
});

describe('the CSV export', () => {
  it('downloads every matching entry as UTF-8 CSV with a BOM, a header row and safe cells', async () => {
    const owner = await signUp(t, { name: '=cmd|calc' });
    await owner.client.request(
      'PATCH',
      `/api/v1/tenants/${owner.tenantId}`,
      { name: '=HYPERLINK("x")' },
      { 'user-agent': '@evil, "quoted"' },
    );
    await insertEntries(owner.tenantId, [
      { action: 'test.multiline', targetType: '+1', targetId: '-2\nline two', metadata: { note: 'عربي' } },
    ]);

    const res = await owner.client.get(exportUrl(owner.tenantId));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const slug = (await owner.client.get('/api/v1/me')).body.memberships[0].slug;
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="audit-log-${slug}-${new Date().toISOString().slice(0, 10)}.csv"`,
    );
    expect(res.text.startsWith('\uFEFF')).toBe(true);

    expect(res.text).toContain('metadata_json\r\n'); // lines end with CRLF, as spreadsheet programs expect
    expect(res.text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(res.text.slice(1));
    expect(header).toEqual([
      'time',
      'actor_email',
      'actor_name',
      'action',
      'target_type',
      'target_id',
      'ip',
      'user_agent',
      'metadata_json',
    ]);
    expect(rows.map((r) => r[3])).toEqual(['test.multiline', 'tenant.renamed', expect.any(String), expect.any(String), expect.any(String)]);
    expect(rows.map((r) => r[3]).sort()).toEqual([
      'auth.email_verified',
      'tenant.created',
      'tenant.renamed',
      'test.multiline',
      'user.signed_up',
    ]);

    const multiline = rows[0];
    // A plain number has nothing to run and is kept; text after a leading minus is guarded.
    expect(multiline[4]).toBe('+1');
    expect(multiline[5]).toBe("'-2\nline two");
    expect(JSON.parse(multiline[8])).toEqual({ note: 'عربي' });

    const renamed = rows[1];
    expect(renamed[1]).toBe(owner.email);
    expect(renamed[2]).toBe("'=cmd|calc");
    expect(renamed[7]).toBe('\'@evil, "quoted"');
    expect(JSON.parse(renamed[8])).toEqual({ before: { name: "=cmd|calc's Organization" }, after: { name: '=HYPERLINK("x")' } });
    expect(new Date(renamed[0]).toISOString()).toBe(renamed[0]);
    // No cell a spreadsheet would evaluate: only plain numbers may start with a sign.
    for (const cell of rows.flat()) if (cell !== '+1') expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('applies the same filters as the viewer', async () => {
    const owner = await signUp(t);
    await owner.client.patch(`/api/v1/tenants/${owner.tenantId}`, { name: 'Filtered' });
    const res = await owner.client.get(exportUrl(owner.tenantId, { action: 'tenant.*' }));
    const rows = parseCsv(res.text.slice(1)).slice(1);
    expect(rows.map((r) => r[3]).sort()).toEqual(['tenant.created', 'tenant.renamed']);

    const none = await owner.client.get(exportUrl(owner.tenantId, { action: 'nothing.*' }));
    expect(none.status).toBe(200);
    expect(parseCsv(none.text.slice(1))).toEqual([
      ['time', 'actor_email', 'actor_name', 'action', 'target_type', 'target_id', 'ip', 'user_agent', 'metadata_json'],
    ]);
  });

  it('includes every row of a large log, read in batches', async () => {
    const owner = await signUp(t);
    const base = Date.UTC(2023, 0, 1);
    await insertEntries(
      owner.tenantId,
      Array.from({ length: 2100 }, (_, i) => ({
        action: 'bulk.event',
        targetId: String(i),
        createdAt: new Date(base + Math.floor(i / 3) * 1000),
      })),
    );
    const res = await owner.client.get(exportUrl(owner.tenantId, { action: 'bulk.event' }));
    const rows = parseCsv(res.text.slice(1)).slice(1);
    expect(rows).toHaveLength(2100);
    expect(new Set(rows.map((r) => r[5])).size).toBe(2100);
  });

  it('is itself audited with the filter and the row count, in the export tenant', async () => {
    const owner = await signUp(t);
    const res = await owner.client.get(exportUrl(owner.tenantId, { action: 'tenant.*', targetType: 'tenant' }));
    expect(res.status).toBe(200);
    const [entry] = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, 'audit.exported')));
    expect(entry).toMatchObject({
      actorUserId: owner.user.id,
      metadata: { filter: { action: 'tenant.*', targetType: 'tenant' }, rowCount: 1 },
    });
    // The export's own entry is not part of the file it describes.
    expect(
      parseCsv(res.text.slice(1))
        .slice(1)
        .map((r) => r[3]),
    ).toEqual(['tenant.created']);
  });

  it('refuses a malformed filter with 400 and writes no audit entry', async () => {
    const owner = await signUp(t);
    const before = await entryCount(owner.tenantId);
    const res = await owner.client.get(exportUrl(owner.tenantId, { to: 'soon' }));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(['querystring.to']);
    expect(await entryCount(owner.tenantId)).toBe(before);
  });
});

/** The database's own error message behind a failed query (Drizzle wraps it as the cause). */
async function failureOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return String((error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message);
  }
  return 'no error';
}

describe('append-only', () => {
  it('the API offers no way to change or delete entries', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const auditPaths = Object.entries(doc.paths).filter(([path]) => path.includes('/audit-logs'));
    expect(auditPaths.length).toBeGreaterThan(0);
    for (const [path, methods] of auditPaths) expect(Object.keys(methods), path).toEqual(['get']);
  });

  it('the application role cannot UPDATE or DELETE audit entries, even its own tenant’s', async () => {
    const owner = await signUp(t);
    const before = await entryCount(owner.tenantId);
    expect(
      await failureOf(
        inTenantTransaction(db, owner.tenantId, (tx) =>
          tx.update(auditLogs).set({ action: 'forged' }).where(eq(auditLogs.tenantId, owner.tenantId)),
        ),
      ),
    ).toMatch(/permission denied for table audit_logs/);
    expect(
      await failureOf(inTenantTransaction(db, owner.tenantId, (tx) => tx.delete(auditLogs).where(eq(auditLogs.tenantId, owner.tenantId)))),
    ).toMatch(/permission denied for table audit_logs/);
    expect(await failureOf(inTenantTransaction(db, owner.tenantId, (tx) => tx.execute(sql`truncate audit_logs`)))).toMatch(
      /permission denied for table audit_logs/,
    );
    expect(await entryCount(owner.tenantId)).toBe(before);
    const forged = await db
      .select({ n: count() })
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, 'forged')));
    expect(forged[0].n).toBe(0);
  });
});

describe('the action catalogue', () => {
  it('holds every action the app records, each with the metadata shape it declares', async () => {
    const owner = await signUp(t);
    const base = `/api/v1/tenants/${owner.tenantId}`;
    expect((await owner.client.patch(base, { name: 'Catalogue Clinic' })).status).toBe(200);
    const lead = await owner.client.post(`${base}/leads`, { name: 'Cedar Dental' });
    expect(lead.status).toBe(201);
    expect((await owner.client.patch(`${base}/leads/${lead.body.id}`, { status: 'CONTACTED' })).status).toBe(200);
    const list = await owner.client.post(`${base}/lists`, { name: 'Riyadh clinics' });
    expect(list.status).toBe(201);
    const bulk = { selection: { ids: [lead.body.id] }, action: { type: 'addToList', listId: list.body.id } };
    expect((await owner.client.post(`${base}/leads/bulk`, bulk)).status).toBe(200);
    expect((await owner.client.post(`${base}/invites`, { email: 'new.colleague@example.com', role: 'MEMBER' })).status).toBe(201);
    expect((await owner.client.delete(`${base}/leads/${lead.body.id}`)).status).toBe(204);

    const entries = await db.select().from(auditLogs).where(eq(auditLogs.tenantId, owner.tenantId));
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'tenant.created',
        'tenant.renamed',
        'lead.created',
        'lead.updated',
        'list.created',
        'lead.bulk_addToList',
        'invite.sent',
        'lead.deleted',
      ]),
    );
    for (const entry of entries) {
      expect(isAuditAction(entry.action), entry.action).toBe(true);
      const shape = auditCatalogue[entry.action as keyof typeof auditCatalogue];
      expect(shape.safeParse(entry.metadata).error, entry.action).toBeUndefined();
    }
  });
});
