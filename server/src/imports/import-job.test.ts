import { beforeAll, describe, expect, it } from 'vitest';
import { ImportLeadsInput } from '@optarget/shared';
import { and, eq } from 'drizzle-orm';
import { auditLogs, importRowErrors, jobLogs, jobs, leadLists, leads } from '../db/schema/index.js';
import { inTenantTransaction } from '../db/transactions.js';
import type { JobRun } from '../jobs/definitions.js';
import { batchRowsFor, importLeadsHandler } from './job.js';
import { signUp, startTestApp, type SignedUpUser, type TestApp } from '../test/harness.js';
import { addPerson } from '../team/test-users.js';
import { importResult, leadsOf, uploadCsv, waitForJob } from './test-helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});

const csv = (...lines: string[]) => lines.join('\r\n') + '\r\n';
const mapping = { '0': 'name', '1': 'phone', '2': 'website', '3': 'city' };

async function importFile(user: SignedUpUser, content: string | Buffer, body: Record<string, unknown> = { mapping }) {
  const up = await uploadCsv(t, user.client, user.tenantId, content);
  expect(up.status).toBe(201);
  const started = await user.client.post(`/api/v1/tenants/${user.tenantId}/imports/${up.body.id}/start`, body);
  expect(started.status).toBe(202);
  expect(started.body).toMatchObject({ type: 'IMPORT_LEADS', status: 'PENDING' });
  return { upload: up.body, job: await waitForJob(user.client, user.tenantId, started.body.id) };
}

describe('importing leads from an uploaded CSV', () => {
  it('creates leads with normalised phones and domains, and the result counts every row', async () => {
    const owner = await signUp(t, { name: 'Importer' });
    const { job } = await importFile(
      owner,
      csv(
        'Name,Phone,Website,City',
        'مطعم السلام,+966 50 123 4567,https://www.salam.sa/menu,الرياض',
        'Bakery One,+966 11 222 3344,bakery.sa,Jeddah',
        'Cafe Two,,,Dammam',
      ),
    );
    expect(job.status).toBe('SUCCEEDED');
    expect(job.result).toEqual(importResult({ rows: 3, created: 3 }));
    expect(job.progress).toMatchObject({ done: 3, total: 3 });
    const stored = await leadsOf(t, owner.tenantId);
    expect(stored).toHaveLength(3);
    const salam = stored.find((l) => l.name === 'مطعم السلام')!;
    expect(salam).toMatchObject({ phone: '+966501234567', domain: 'salam.sa', city: 'الرياض', source: 'csv' });

    const [audit] = await t.database.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, 'lead.imported')));
    expect(audit.metadata).toMatchObject({ created: 3, rows: 3, onMatch: 'skip' });
    expect(audit.actorUserId).toBe(owner.user.id);
  });

  it('dedupes by phone and domain: "skip" leaves existing leads alone, "update" fills only their empty fields', async () => {
    const owner = await signUp(t, { name: 'Deduper' });
    await importFile(owner, csv('Name,Phone,Website,City', 'Acme,+966 50 111 2222,,', 'Beta,,beta.sa,'));

    const again = csv(
      'Name,Phone,Website,City',
      'Acme Renamed,+966501112222,,Riyadh',
      'Beta Copy,,https://beta.sa,Jeddah',
      'Gamma,+966 50 999 8888,,Mecca',
    );
    const skip = await importFile(owner, again, { mapping, onMatch: 'skip' });
    expect(skip.job.result).toMatchObject({ rows: 3, created: 1, skipped: 2, updated: 0 });
    let stored = await leadsOf(t, owner.tenantId);
    expect(stored).toHaveLength(3);
    expect(stored.find((l) => l.phone === '+966501112222')).toMatchObject({ name: 'Acme', city: null });

    const update = await importFile(owner, again, { mapping, onMatch: 'update' });
    expect(update.job.result).toMatchObject({ rows: 3, created: 0, updated: 2, skipped: 1 });
    stored = await leadsOf(t, owner.tenantId);
    expect(stored).toHaveLength(3);
    // The name is not an empty field, so it stays; the empty city is filled.
    expect(stored.find((l) => l.phone === '+966501112222')).toMatchObject({ name: 'Acme', city: 'Riyadh' });
    expect(stored.find((l) => l.domain === 'beta.sa')).toMatchObject({ name: 'Beta', city: 'Jeddah' });
  });

  it('duplicates inside one file become one lead', async () => {
    const owner = await signUp(t, { name: 'Twice' });
    const { job } = await importFile(owner, csv('Name,Phone,Website,City', 'One,+966 50 555 0001,,', 'One again,+966505550001,,'));
    expect(job.result).toMatchObject({ created: 1, skipped: 1 });
    expect(await leadsOf(t, owner.tenantId)).toHaveLength(1);
  });

  it('adds created and matched leads to the target list', async () => {
    const owner = await signUp(t, { name: 'Lister' });
    await importFile(owner, csv('Name,Phone,Website,City', 'Existing,+966 50 777 0000,,'));
    const list = await owner.client.post(`/api/v1/tenants/${owner.tenantId}/lists`, { name: 'Riyadh cafes' });
    expect(list.status).toBe(201);
    const { job } = await importFile(owner, csv('Name,Phone,Website,City', 'Existing again,+966507770000,,', 'New,+966 50 777 0001,,'), {
      mapping,
      listId: list.body.id,
    });
    expect(job.result).toMatchObject({ created: 1, skipped: 1, addedToList: 2 });
    const members = await t.database.db.select().from(leadLists).where(eq(leadLists.listId, list.body.id));
    expect(members).toHaveLength(2);
  });

  it('reports ragged rows and rows without a name in a downloadable CSV with their original cells, and imports the rest', async () => {
    const owner = await signUp(t, { name: 'Ragged' });
    const { job } = await importFile(
      owner,
      csv(
        'Name,Phone,Website,City',
        'Good,+966 50 123 0000,,Riyadh',
        'Short,+966 50 123 0001',
        'Long,+966 50 123 0002,,Riyadh,extra',
        ',+966 50 123 0003,,NoName',
        '=HYPERLINK("x"),not a phone,,Riyadh',
      ),
    );
    expect(job.status).toBe('SUCCEEDED');
    // The row whose phone cannot be read is kept, flagged; see intake.test.ts.
    expect(job.result).toMatchObject({
      rows: 5,
      created: 2,
      invalid: 3,
      refusedReasons: { columns: 2, name: 1 },
      flagged: 1,
      flags: { phone: 1 },
    });
    expect(await leadsOf(t, owner.tenantId)).toHaveLength(2);

    const report = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/imports/jobs/${job.id}/errors.csv`);
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toContain('text/csv');
    expect(report.headers['content-disposition']).toContain('import-errors-leads.csv');
    expect(report.text.startsWith('\uFEFFRow,Code,Reason,Error,Name,Phone,Website,City\r\n')).toBe(true);
    const lines = report.text.slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(4);
    // Phone numbers are kept as they are: they have nothing a spreadsheet would run.
    expect(lines[1]).toBe(`3,columns,The row has the wrong number of columns,"expected 4 columns, found 2",Short,+966 50 123 0001`);
    expect(lines[2]).toBe(
      `4,columns,The row has the wrong number of columns,"expected 4 columns, found 5",Long,+966 50 123 0002,,Riyadh,extra`,
    );
    expect(lines[3]).toBe(`5,name,The row has no name,name: is required,,+966 50 123 0003,,NoName`);
    // In Arabic the reason is worded in Arabic; the code and the row's cells stay as they are.
    const arabic = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/imports/jobs/${job.id}/errors.csv?lang=ar`);
    const arabicLines = arabic.text.slice(1).trim().split('\r\n');
    expect(arabicLines[1]).toBe(`3,columns,عدد أعمدة الصف غير صحيح,عدد الأعمدة المتوقع 4، والموجود 2,Short,+966 50 123 0001`);
    expect(arabicLines[3]).toBe(`5,name,الصف بلا اسم,الاسم مطلوب,,+966 50 123 0003,,NoName`);
    expect((await owner.client.get(`/api/v1/tenants/${owner.tenantId}/imports/jobs/${job.id}/errors.csv?lang=de`)).status).toBe(400);
  });

  it('stops cleanly at the plan limit: 600 rows on the free plan (500 leads) import 500 and say so', async () => {
    const owner = await signUp(t, { name: 'Limited' });
    const rows = Array.from({ length: 600 }, (_, i) => `Shop ${i},+96650${String(1000000 + i)},,Riyadh`);
    const { job } = await importFile(owner, csv('Name,Phone,Website,City', ...rows));
    expect(job.status).toBe('SUCCEEDED');
    expect(job.result).toMatchObject({ rows: 500, created: 500, stoppedAtPlanLimit: true });
    expect(await leadsOf(t, owner.tenantId)).toHaveLength(500);
    const logs = await t.database.db.select().from(jobLogs).where(eq(jobLogs.jobId, job.id));
    expect(logs.map((l) => l.message).join('\n')).toMatch(/Stopped at the plan's limit of 500 leads: 500 rows imported/);
  });

  it('imports in batches with progress and a log line per 1,000 rows', async () => {
    const owner = await signUp(t, { name: 'Batches' });
    await t.database.db.execute(`update tenants set plan_code = 'pro' where id = '${owner.tenantId}'`);
    const rows = Array.from({ length: 2500 }, (_, i) => `Shop ${i},+96655${String(1000000 + i)},shop${i}.sa,Riyadh`);
    const { job } = await importFile(owner, csv('Name,Phone,Website,City', ...rows));
    expect(job.result).toMatchObject({ rows: 2500, created: 2500, stoppedAtPlanLimit: false });
    expect(job.progress).toMatchObject({ done: 2500, total: 2500 });
    const logs = await t.database.db.select().from(jobLogs).where(eq(jobLogs.jobId, job.id));
    expect(logs.filter((l) => /^Rows \d+–\d+:/.test(l.message))).toHaveLength(3);
    expect(await leadsOf(t, owner.tenantId)).toHaveLength(2500);
  }, 60_000);
});

describe('reading a large upload back', () => {
  it('imports a file of many stored chunks whole: Arabic text split between chunks comes back intact', async () => {
    const owner = await signUp(t, { name: 'Chunks' });
    await t.database.db.execute(`update tenants set plan_code = 'pro' where id = '${owner.tenantId}'`);
    // About 800 KB of two-byte characters: many chunk boundaries, most of them inside a character.
    const names = Array.from({ length: 2000 }, (_, i) => `مطعم ${'السلام '.repeat(30)}${i}`);
    const { upload, job } = await importFile(owner, csv('Name,Phone,Website,City', ...names.map((n) => `${n},,,الرياض`)));
    expect(upload.rowCount).toBe(2000);
    expect(job.result).toMatchObject({ rows: 2000, created: 2000, invalid: 0 });
    const stored = await leadsOf(t, owner.tenantId);
    expect(new Set(stored.map((l) => l.name))).toEqual(new Set(names.map((n) => n.trim())));
    expect(stored.every((l) => l.city === 'الرياض')).toBe(true);
  }, 60_000);
});

describe('retrying an import that failed half-way', () => {
  it('resumes after the last committed batch: no row is written twice and the counts cover the whole file', async () => {
    const owner = await signUp(t, { name: 'Retry' });
    await t.database.db.execute(`update tenants set plan_code = 'pro' where id = '${owner.tenantId}'`);
    const rows = Array.from({ length: 2500 }, (_, i) => `Shop ${i},+96656${String(1000000 + i)},,Riyadh`);
    const up = await uploadCsv(t, owner.client, owner.tenantId, csv('Name,Phone,Website,City', ...rows));
    const input = ImportLeadsInput.parse({ uploadId: up.body.id, mapping });
    const [job] = await t.database.db
      .insert(jobs)
      .values({ tenantId: owner.tenantId, type: 'IMPORT_LEADS', input, createdByUserId: owner.user.id })
      .returning();

    // The worker dies right after the first batch committed (here: its first progress report after a batch fails).
    let progressReports = 0;
    const run = (crash: boolean): JobRun => ({
      jobId: job.id,
      tenantId: owner.tenantId,
      createdByUserId: owner.user.id,
      attempt: crash ? 1 : 2,
      services: t.services,
      inTenant: (fn) => inTenantTransaction(t.database.db, owner.tenantId, fn),
      log: async () => {},
      isCancelled: async () => false,
      startFollowUp: () => Promise.reject(new Error('an import starts no other job')),
      progress: async () => {
        if (crash && ++progressReports === 2) throw new Error('worker lost');
      },
    });
    await expect(importLeadsHandler.run(run(true), input)).rejects.toThrow('worker lost');
    expect(await leadsOf(t, owner.tenantId)).toHaveLength(batchRowsFor(t.database.driver));

    const result = await importLeadsHandler.run(run(false), input);
    expect(result).toEqual(importResult({ rows: 2500, created: 2500 }));
    expect(await leadsOf(t, owner.tenantId)).toHaveLength(2500);
    // A third delivery of a finished import changes nothing.
    expect(await importLeadsHandler.run(run(false), input)).toEqual(result);
    expect(await leadsOf(t, owner.tenantId)).toHaveLength(2500);
  }, 60_000);
});

describe('starting an import: validation and access', () => {
  let owner: SignedUpUser;
  let uploadId: string;
  beforeAll(async () => {
    owner = await signUp(t, { name: 'Starter' });
    uploadId = (await uploadCsv(t, owner.client, owner.tenantId, csv('Name,Phone', 'A,1'))).body.id;
  });
  const start = (user: SignedUpUser, body: unknown, id = uploadId, tenantId = owner.tenantId) =>
    user.client.post(`/api/v1/tenants/${tenantId}/imports/${id}/start`, body);

  it('a mapping without a name column → 400 naming mapping, and no job starts', async () => {
    const res = await start(owner, { mapping: { '1': 'phone' } });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'mapping', message: expect.stringMatching(/name/), rule: 'mapName' }]);
    const jobs = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/jobs`);
    expect(jobs.body.items).toHaveLength(0);
  });

  it('a mapping to a column the file does not have → 400 naming mapping', async () => {
    const res = await start(owner, { mapping: { '0': 'name', '7': 'city' } });
    expect(res.status).toBe(400);
    expect(res.body.fields[0].field).toBe('mapping');
  });

  it('the generic jobs endpoint validates the input with the same schema', async () => {
    const bad = await owner.client.post(`/api/v1/tenants/${owner.tenantId}/jobs`, {
      type: 'IMPORT_LEADS',
      input: { uploadId, mapping: {} },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].field).toBe('input.mapping');
    const good = await owner.client.post(`/api/v1/tenants/${owner.tenantId}/jobs`, {
      type: 'IMPORT_LEADS',
      input: { uploadId, mapping: { '0': 'name' } },
    });
    expect(good.status).toBe(202);
    expect((await waitForJob(owner.client, owner.tenantId, good.body.id)).result).toMatchObject({ created: 1 });
  });

  it("another tenant's list or upload → 404; a VIEWER → 403; nothing starts", async () => {
    const stranger = await signUp(t, { name: 'Stranger' });
    const theirList = await stranger.client.post(`/api/v1/tenants/${stranger.tenantId}/lists`, { name: 'Theirs' });
    expect((await start(owner, { mapping: { '0': 'name' }, listId: theirList.body.id })).status).toBe(404);
    expect((await start(stranger, { mapping: { '0': 'name' } }, uploadId, stranger.tenantId)).status).toBe(404);
    expect((await start(stranger, { mapping: { '0': 'name' } })).status).toBe(404);
    const viewer = await addPerson(t, owner.tenantId, 'VIEWER');
    expect((await start(viewer, { mapping: { '0': 'name' } })).status).toBe(403);
    const strangerJobs = await stranger.client.get(`/api/v1/tenants/${stranger.tenantId}/jobs`);
    expect(strangerJobs.body.items).toHaveLength(0);
  });

  it("another tenant's error report → 404", async () => {
    const { job } = await importFile(owner, csv('Name,Phone', 'A,1', 'B'), { mapping: { '0': 'name' } });
    const stranger = await signUp(t, { name: 'Snoop' });
    expect((await stranger.client.get(`/api/v1/tenants/${owner.tenantId}/imports/jobs/${job.id}/errors.csv`)).status).toBe(404);
    expect((await stranger.client.get(`/api/v1/tenants/${stranger.tenantId}/imports/jobs/${job.id}/errors.csv`)).status).toBe(404);
    const errors = await t.database.db.select().from(importRowErrors).where(eq(importRowErrors.jobId, job.id));
    expect(errors).toHaveLength(1);
    const leadCount = await t.database.db.select().from(leads).where(eq(leads.tenantId, stranger.tenantId));
    expect(leadCount).toHaveLength(0);
  });
});
