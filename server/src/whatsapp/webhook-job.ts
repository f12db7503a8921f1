import { setTimeout as delay } from 'node:timers/promises';
import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { whatsappWebhookEvents } from '../db/schema/index.js';
import { urgentWorkInProgress, type Tx } from '../db/transactions.js';
import type { JobHandler, JobRun } from '../jobs/definitions.js';
import { loadWebhookSecrets } from '../settings/whatsapp.js';
import { applyDelivery, type Receiver } from './apply-delivery.js';
import { announceWhatsappChange } from './live.js';
import { deliveryLock } from './ingest.js';

const BATCH = 50;
/** While deliveries are arriving the batch ends after this many, so that storing them keeps the process's time. */
const BATCH_DURING_BURST = 10;
/** Applied deliveries are kept this long, for looking into what Meta sent, then deleted. */
const KEEP_APPLIED = '7 days';

/**
 * Applies the tenant's stored deliveries, oldest first, until none is left. Each delivery is
 * taken with SKIP LOCKED and marked applied in the transaction that applies it, so two runs never
 * apply one twice and a crashed run leaves it for the next. A delivery whose applying throws is
 * marked with the error (and logged) rather than retried for ever.
 */
export const applyWebhookDeliveries: JobHandler<'WHATSAPP_WEBHOOK'> = {
  async run(job) {
    const secrets = await job.inTenant((tx) => loadWebhookSecrets(tx, job.tenantId, job.services.config));
    const receiver: Receiver = {
      tenantId: job.tenantId,
      phoneNumberId: secrets.phoneNumberId,
      businessAccountId: secrets.businessAccountId,
    };
    let applied = 0;
    let skipped = 0;
    for (;;) {
      const batch = await applyBatch(job, receiver);
      applied += batch.applied;
      skipped += batch.skipped;
      if (batch.applied + batch.skipped > 0) await announceWhatsappChange(job.services, job.tenantId);
      if (batch.more) continue;
      if (!(await anyLeft(job))) break;
      // What is left is held by another run: give it time rather than spin.
      if (batch.applied + batch.skipped === 0) await delay(200);
    }
    await job.inTenant((tx) =>
      tx
        .delete(whatsappWebhookEvents)
        .where(
          and(
            eq(whatsappWebhookEvents.tenantId, job.tenantId),
            lt(whatsappWebhookEvents.processedAt, sql`now() - ${KEEP_APPLIED}::interval`),
          ),
        ),
    );
    return { applied, skipped };
  },
};

type StoredDelivery = typeof whatsappWebhookEvents.$inferSelect;

/** A delivery whose applying threw while the batch was applied without savepoints. */
class DeliveryFailed extends Error {}

/**
 * Applies the next batch in one transaction, every delivery straight in it: savepoints would cost
 * two round trips per delivery, and a delivery that throws is rare (what cannot be applied is
 * noted, not thrown). When one does throw, the batch is rolled back and applied again with each
 * delivery in a savepoint of its own, so only that one is marked with its error.
 */
async function applyBatch(job: JobRun, receiver: Receiver) {
  try {
    return await job.inTenant((tx) => applyNext(tx, job, receiver, 'together'));
  } catch (err) {
    if (!(err instanceof DeliveryFailed)) throw err;
    return job.inTenant((tx) => applyNext(tx, job, receiver, 'each in a savepoint'));
  }
}

async function applyNext(tx: Tx, job: JobRun, receiver: Receiver, mode: 'together' | 'each in a savepoint') {
  const events = await tx
    .select()
    .from(whatsappWebhookEvents)
    .where(and(eq(whatsappWebhookEvents.tenantId, job.tenantId), isNull(whatsappWebhookEvents.processedAt)))
    .orderBy(asc(whatsappWebhookEvents.receivedAt))
    .limit(BATCH)
    .for('update', { skipLocked: true });
  const done: StoredDelivery[] = [];
  const noted: { event: StoredDelivery; notes: string[] }[] = [];
  for (const event of events) {
    if (done.length >= BATCH_DURING_BURST && urgentWorkInProgress(job.services.db)) break;
    done.push(event);
    const notes = mode === 'together' ? await applyOrThrow(tx, receiver, event) : await applyInSavepoint(tx, job, receiver, event);
    if (notes.length) {
      noted.push({ event, notes });
      job.services.log.warn({ eventId: event.id, tenantId: job.tenantId, notes }, 'WhatsApp delivery partly skipped');
    }
  }
  await markApplied(tx, done, noted);
  return { applied: done.length - noted.length, skipped: noted.length, more: done.length === BATCH || done.length < events.length };
}

async function applyOrThrow(tx: Tx, receiver: Receiver, event: StoredDelivery) {
  try {
    return await applyDelivery(tx, receiver, event.body);
  } catch (err) {
    throw new DeliveryFailed(`delivery ${event.id} could not be applied`, { cause: err });
  }
}

async function applyInSavepoint(tx: Tx, job: JobRun, receiver: Receiver, event: StoredDelivery) {
  try {
    return await tx.transaction((savepoint) => applyDelivery(savepoint, receiver, event.body));
  } catch (err) {
    job.services.log.error({ err, eventId: event.id, tenantId: job.tenantId }, 'WhatsApp delivery could not be applied');
    return [`could not be applied: ${(err as Error).message}`];
  }
}

/** Marks the batch applied: the deliveries applied in full in one statement, those with notes one by one. */
async function markApplied(tx: Tx, events: StoredDelivery[], noted: { event: StoredDelivery; notes: string[] }[]) {
  const withNotes = new Set(noted.map((n) => n.event.id));
  const clean = events.filter((e) => !withNotes.has(e.id)).map((e) => e.id);
  if (clean.length) {
    await tx
      .update(whatsappWebhookEvents)
      .set({ processedAt: sql`now()`, note: null })
      .where(inArray(whatsappWebhookEvents.id, clean));
  }
  for (const { event, notes } of noted) {
    await tx
      .update(whatsappWebhookEvents)
      .set({ processedAt: sql`now()`, note: noteOf(notes) })
      .where(eq(whatsappWebhookEvents.id, event.id));
  }
}

/** The notes as stored: an error may quote the delivery's own text, whose NUL characters PostgreSQL's text refuses. */
const noteOf = (notes: string[]) => notes.join('; ').replaceAll('\u0000', '').slice(0, 2000);

/** The last look, holding the delivery lock alone: a delivery committed before it is seen, one after it queues a new job (ingest.ts). */
async function anyLeft(job: JobRun): Promise<boolean> {
  return job.inTenant(async (tx) => {
    await tx.execute(deliveryLock(job.tenantId, 'exclusive'));
    const [row] = await tx
      .select({ id: whatsappWebhookEvents.id })
      .from(whatsappWebhookEvents)
      .where(and(eq(whatsappWebhookEvents.tenantId, job.tenantId), isNull(whatsappWebhookEvents.processedAt)))
      .limit(1);
    return row !== undefined;
  });
}
