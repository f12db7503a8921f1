import { finished } from 'node:stream/promises';
import { parse, type Options } from 'csv-parse';
import { and, asc, between, eq } from 'drizzle-orm';
import { ImportLeadsInput, type ImportLeadsResult } from '@optarget/shared';
import { importCheckpoints, importRowErrors, importUploadChunks, leadLists, lists, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { recordAudit } from '../audit/record.js';
import { countUsage, limitOf, lockTenantPlan } from '../plans/limits.js';
import { PermanentJobError, type JobHandler, type JobRun } from '../jobs/definitions.js';
import { prepareLeads, upsertPreparedLeads, type LeadDraft, type PreparedLead } from '../leads/upsert.js';
import { findDefaultCountry } from '../settings/general.js';
import { keepLeadStatisticsFresh } from '../leads/statistics.js';
import { csvOptions } from './csv-options.js';
import { draftReader, type RowRefusal } from './row-to-draft.js';
import { findUploadForTenant, type UploadRow } from './uploads.js';

const BATCH_ROWS = 1000;
/**
 * The embedded database runs in the server's own thread, and a request waits for the transaction
 * in progress: its batches are kept short enough for that wait to go unnoticed.
 */
const EMBEDDED_BATCH_ROWS = 50;
export const batchRowsFor = (driver: 'pglite' | 'postgres') => (driver === 'pglite' ? EMBEDDED_BATCH_ROWS : BATCH_ROWS);
/** A log line sums up this many rows (a few batches on the embedded database). */
const LOG_EVERY_ROWS = 1000;
/** Stored chunks fetched per round trip (about half a megabyte). */
const CHUNKS_PER_READ = 8;

/** A data row as read: its row number as a spreadsheet shows it (header = 1), its cells, or why it could not be read. */
type Row = { n: number; cells: string[]; unreadable?: string };
type Checkpoint = ImportLeadsResult & { rowsDone: number; finished: boolean };
type RowError = RowRefusal & { n: number; cells: string[] };

/** The result of an import that has read nothing yet. */
export const emptyImportResult = (): ImportLeadsResult => ({
  rows: 0,
  created: 0,
  updated: 0,
  skipped: 0,
  invalid: 0,
  refusedReasons: {},
  flagged: 0,
  flags: {},
  addedToList: 0,
  stoppedAtPlanLimit: false,
});

const emptyCheckpoint = (): Checkpoint => ({ ...emptyImportResult(), rowsDone: 0, finished: false });

/**
 * IMPORT_LEADS: reads the stored upload as a stream (chunk by chunk, decoded and parsed on the fly),
 * writes rows in batches (1,000 rows, 50 on the embedded database), each in one short tenant transaction with its
 * row errors, list memberships and the checkpoint, so a retry resumes after the last committed
 * batch and never writes a row twice. Stops between batches when cancelled or at the plan's limit.
 */
export const importLeadsHandler: JobHandler<'IMPORT_LEADS'> = {
  async run(job, input) {
    const { upload, state, defaultCountry } = await job.inTenant(async (tx) => {
      const upload = await findUploadForTenant(tx, job.tenantId, input.uploadId).catch(() => {
        throw new PermanentJobError({ code: 'error.uploadGone' });
      });
      if (input.listId) {
        const [list] = await tx
          .select({ id: lists.id })
          .from(lists)
          .where(and(eq(lists.tenantId, job.tenantId), eq(lists.id, input.listId)));
        if (!list) throw new PermanentJobError({ code: 'error.listGone' });
      }
      const [saved] = await tx.select().from(importCheckpoints).where(eq(importCheckpoints.jobId, job.jobId));
      return {
        upload,
        // A checkpoint written before the result had its flag counts reads as zero for them.
        state: { ...emptyCheckpoint(), ...(saved?.counts as Partial<Checkpoint> | undefined) },
        defaultCountry: input.defaultCountry ?? (await findDefaultCountry(tx, job.tenantId)),
      };
    });
    if (state.finished) return resultOf(state);
    if (state.rowsDone > 0) await job.log('info', { code: 'log.importResuming', params: { row: state.rowsDone + 1 } });
    await job.progress(state.rowsDone, upload.rowCount, 'step.importingRows');

    const actor = await job.inTenant((tx) => actorOf(tx, job.createdByUserId));
    const ctx = { upload, input, defaultCountry };

    const keepStatisticsFresh = keepLeadStatisticsFresh(job.services.database);
    const batchRows = batchRowsFor(job.services.database.driver);
    let unlogged: LogWindow | null = null;
    // Each batch is read and normalised while the one before it is being written.
    for await (const batch of readAhead(preparedBatches(job, ctx, state.rowsDone, batchRows))) {
      unlogged ??= { fromRow: batch.rows[0].n, before: structuredClone(state) };
      await importBatch(job, ctx, batch, state);
      if (state.rowsDone - unlogged.before.rowsDone >= LOG_EVERY_ROWS || state.stoppedAtPlanLimit) {
        await logRows(job, unlogged, state);
        unlogged = null;
      }
      await keepStatisticsFresh(state.created);
      if (state.stoppedAtPlanLimit) break;
      if (batch.rows.length === batchRows && (await job.isCancelled())) {
        await job.log('info', { code: 'log.importCancelled', params: { rows: state.rowsDone } });
        return resultOf(state);
      }
    }

    if (unlogged) await logRows(job, unlogged, state);
    state.finished = true;
    await job.inTenant(async (tx) => {
      await saveCheckpoint(tx, job, state);
      await recordAudit(tx, job.tenantId, actor, {
        action: 'lead.imported',
        targetType: 'job',
        targetId: job.jobId,
        metadata: {
          fileName: upload.fileName,
          uploadId: upload.id,
          listId: input.listId ?? null,
          onMatch: input.onMatch,
          ...resultOf(state),
        },
      });
    });
    await job.progress(state.rowsDone, upload.rowCount, state.stoppedAtPlanLimit ? 'step.stoppedAtPlanLimit' : 'step.done');
    const tally = {
      created: state.created,
      updated: state.updated,
      skipped: state.skipped,
      flagged: state.flagged,
      invalid: state.invalid,
    };
    await job.log(
      'info',
      input.listId
        ? { code: 'log.importFinishedToList', params: { ...tally, added: state.addedToList } }
        : { code: 'log.importFinished', params: tally },
    );
    return resultOf(state);
  },
};

const resultOf = ({ rowsDone: _rowsDone, finished: _finished, ...result }: Checkpoint): ImportLeadsResult => result;

/**
 * The upload's rows in order, a decoded chunk's worth at a time, never more than a few chunks in
 * memory: chunks are fetched a few at a time (each read in its own short transaction), decoded as a
 * stream and parsed as they come. The parser hands each record to a callback rather than through
 * its stream, which would cost a few promises per row. Records it must skip (a broken quote) come
 * through as unreadable rows.
 */
async function* readRows(job: JobRun, upload: UploadRow): AsyncGenerator<Row[]> {
  const decoder = new TextDecoder(upload.encoding);
  let n = 0;
  let rows: Row[] = [];
  const parser = parse({
    ...csvOptions(upload.delimiter, (raw) => {
      rows.push({ n: ++n, cells: raw === undefined ? [] : [raw], unreadable: 'the row could not be read as CSV (check its quotes)' });
    }),
    on_record: (cells: string[]) => {
      rows.push({ n: ++n, cells });
      return null;
    },
  } as Options);
  const ended = finished(parser.resume());
  ended.catch(() => {
    // Surfaces through the writes below; a consumer stopping early (plan limit) ends it on purpose.
  });
  const parsed = async (text: string) => {
    await new Promise<void>((resolve, reject) => parser.write(text, (err) => (err ? reject(err) : resolve())));
    const done = rows.filter((row) => row.n > 1);
    rows = [];
    return done;
  };
  try {
    // On the embedded database a chunk at a time, so that reading and parsing it is a short wait too.
    const perRead = job.services.database.driver === 'pglite' ? 1 : CHUNKS_PER_READ;
    for (let first = 0; first < upload.chunkCount; first += perRead) {
      const last = Math.min(first + perRead, upload.chunkCount) - 1;
      const chunks = await job.inTenant((tx) =>
        tx
          .select({ data: importUploadChunks.data })
          .from(importUploadChunks)
          .where(and(eq(importUploadChunks.uploadId, upload.id), between(importUploadChunks.seq, first, last)))
          .orderBy(asc(importUploadChunks.seq)),
      );
      if (chunks.length !== last - first + 1) throw new PermanentJobError({ code: 'error.uploadIncomplete' });
      for (const chunk of chunks) yield await parsed(decoder.decode(chunk.data, { stream: true }));
    }
    yield await parsed(decoder.decode());
    parser.end();
    await ended;
    yield rows.filter((row) => row.n > 1);
  } finally {
    parser.destroy();
  }
}

/** `defaultCountry` reads phones of rows that name no country: the import's own choice, else the tenant's. */
type ImportContext = { upload: UploadRow; input: ImportLeadsInput; defaultCountry: string | null };
/** Up to `batchRows` rows after the checkpoint, with the rows that cannot be leads and the others normalised. */
type Batch = { rows: Row[]; errors: RowError[]; drafts: { row: Row; lead: PreparedLead }[] };

/** The rows after `rowsDone` in batches, each turned into lead rows ready to write (pure work, no transaction). */
async function* preparedBatches(job: JobRun, ctx: ImportContext, rowsDone: number, batchRows: number): AsyncGenerator<Batch> {
  const toDraft = draftReader(ctx.upload.headers, ctx.input.mapping);
  const prepare = (rows: Row[]): Batch => {
    const errors: RowError[] = [];
    const valid: { row: Row; draft: LeadDraft }[] = [];
    for (const row of rows) {
      const draft: LeadDraft | RowRefusal = row.unreadable ? { reason: 'unreadable', error: row.unreadable } : toDraft(row.cells);
      if ('reason' in draft) errors.push({ ...draft, n: row.n, cells: row.cells });
      else valid.push({ row, draft });
    }
    const leads = prepareLeads(
      job.tenantId,
      valid.map((v) => v.draft),
      { actorUserId: job.createdByUserId, defaultCountry: ctx.defaultCountry },
    );
    return { rows, errors, drafts: valid.map((v, i) => ({ row: v.row, lead: leads[i] })) };
  };
  let rows: Row[] = [];
  for await (const read of readRows(job, ctx.upload)) {
    for (const row of read) {
      if (row.n - 1 <= rowsDone) continue;
      rows.push(row);
      if (rows.length < batchRows) continue;
      yield prepare(rows);
      rows = [];
    }
  }
  if (rows.length > 0) yield prepare(rows);
}

/**
 * `source`, one item ahead: while the caller works on an item, the next is being produced. An
 * early stop (or a failure) waits for that item and closes the source, so nothing is left running.
 */
async function* readAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  try {
    for (;;) {
      const item = await next;
      if (item.done) return;
      next = source.next();
      yield item.value;
    }
  } finally {
    await next.catch(() => undefined);
    await source.return(undefined);
  }
}

/**
 * One batch in one transaction: leads (within the plan's remaining capacity, rechecked under the
 * tenant lock), list memberships, row errors and the checkpoint commit together or not at all.
 */
async function importBatch(job: JobRun, ctx: ImportContext, { rows: batch, errors: rowErrors, drafts }: Batch, state: Checkpoint) {
  const { upload, input } = ctx;
  const errors = [...rowErrors];
  const before = structuredClone(state);

  const limit = await job
    .inTenant(async (tx) => {
      const plan = await lockTenantPlan(tx, job.tenantId);
      const limit = limitOf(plan, 'leads');
      let room = limit - (await countUsage(tx, job.tenantId, 'leads'));
      const listed: string[] = [];
      let taken = 0;
      let lastRow = batch[batch.length - 1].n;
      while (taken < drafts.length) {
        if (room <= 0) {
          state.stoppedAtPlanLimit = true;
          lastRow = drafts[taken].row.n - 1;
          break;
        }
        const slice = drafts.slice(taken, taken + room);
        const outcomes = await upsertPreparedLeads(
          tx,
          job.tenantId,
          slice.map((d) => d.lead),
          { onMatch: input.onMatch, jobId: job.jobId },
        );
        for (const o of outcomes) {
          if (o.outcome === 'invalid')
            errors.push({ reason: 'name', n: slice[o.index].row.n, error: o.error ?? 'invalid', cells: slice[o.index].row.cells });
          else state[o.outcome]++;
          if (o.flags?.length) {
            state.flagged++;
            for (const flag of o.flags) state.flags[flag] = (state.flags[flag] ?? 0) + 1;
          }
          if (o.outcome === 'created') room--;
          if (o.leadId && o.outcome !== 'invalid') listed.push(o.leadId);
        }
        taken += slice.length;
      }
      const kept = errors.filter((e) => e.n <= lastRow);
      state.invalid += kept.length;
      for (const { reason } of kept) state.refusedReasons[reason] = (state.refusedReasons[reason] ?? 0) + 1;
      state.rows += batch.filter((r) => r.n <= lastRow).length;
      state.rowsDone = lastRow - 1;
      if (input.listId && listed.length) {
        const added = await tx
          .insert(leadLists)
          .values(
            [...new Set(listed)].map((leadId) => ({
              tenantId: job.tenantId,
              listId: input.listId!,
              leadId,
              addedByUserId: job.createdByUserId,
            })),
          )
          .onConflictDoNothing()
          .returning({ leadId: leadLists.leadId });
        state.addedToList += added.length;
      }
      if (kept.length) {
        await tx
          .insert(importRowErrors)
          .values(
            kept.map((e) => ({
              tenantId: job.tenantId,
              jobId: job.jobId,
              rowNumber: e.n,
              reason: e.reason,
              error: e.error.slice(0, 1000),
              cells: e.cells,
            })),
          )
          .onConflictDoNothing();
      }
      await saveCheckpoint(tx, job, state);
      return limit;
    })
    .catch((err) => {
      // The transaction rolled back: forget this batch so a retry redoes it from the checkpoint.
      Object.assign(state, before);
      throw err;
    });

  await job.progress(state.rowsDone, upload.rowCount);
  if (state.stoppedAtPlanLimit) {
    await job.log(
      'warn',
      { code: 'log.importPlanLimit', params: { limit, rows: state.rows, created: state.created, nextRow: state.rowsDone + 1 } },
      { limit, rowsImported: state.rows, created: state.created },
    );
  }
}

/** Rows written since the last log line: where they started and the counts before them. */
type LogWindow = { fromRow: number; before: Checkpoint };

async function logRows(job: JobRun, { fromRow, before }: LogWindow, state: Checkpoint) {
  await job.log('info', {
    code: 'log.importRows',
    params: {
      from: fromRow,
      to: state.rowsDone + 1,
      created: state.created - before.created,
      updated: state.updated - before.updated,
      skipped: state.skipped - before.skipped,
      flagged: state.flagged - before.flagged,
      invalid: state.invalid - before.invalid,
    },
  });
}

async function saveCheckpoint(tx: Tx, job: JobRun, state: Checkpoint) {
  await tx
    .insert(importCheckpoints)
    .values({ jobId: job.jobId, tenantId: job.tenantId, rowsDone: state.rowsDone, counts: state })
    .onConflictDoUpdate({ target: importCheckpoints.jobId, set: { rowsDone: state.rowsDone, counts: state } });
}

async function actorOf(tx: Tx, userId: string | null) {
  const [user] = userId ? await tx.select({ email: users.email }).from(users).where(eq(users.id, userId)) : [];
  return { userId, email: user?.email ?? null, ip: null, userAgent: null };
}
