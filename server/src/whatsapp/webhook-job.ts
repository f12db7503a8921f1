import { setTimeout as delay } from 'node:timers/promises';
import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import { whatsappWebhookEvents } from '../db/schema/index.js';
import type { JobHandler, JobRun } from '../jobs/definitions.js';
import { loadWebhookSecrets } from '../settings/whatsapp.js';
import { applyDelivery, type Receiver } from './apply-delivery.js';
import { announceWhatsappChange } from './live.js';
import { deliveryLock } from './ingest.js';

const BATCH = 50;
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
      if (batch.applied + batch.skipped === BATCH) continue;
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

async function applyBatch(job: JobRun, receiver: Receiver) {
  return job.inTenant(async (tx) => {
    const events = await tx
      .select()
      .from(whatsappWebhookEvents)
      .where(and(eq(whatsappWebhookEvents.tenantId, job.tenantId), isNull(whatsappWebhookEvents.processedAt)))
      .orderBy(asc(whatsappWebhookEvents.receivedAt))
      .limit(BATCH)
      .for('update', { skipLocked: true });
    let skipped = 0;
    for (const event of events) {
      let notes: string[];
      try {
        notes = await tx.transaction((savepoint) => applyDelivery(savepoint, receiver, event.body));
      } catch (err) {
        notes = [`could not be applied: ${(err as Error).message}`];
        job.services.log.error({ err, eventId: event.id, tenantId: job.tenantId }, 'WhatsApp delivery could not be applied');
      }
      if (notes.length) {
        skipped++;
        job.services.log.warn({ eventId: event.id, tenantId: job.tenantId, notes }, 'WhatsApp delivery partly skipped');
      }
      await tx
        .update(whatsappWebhookEvents)
        .set({ processedAt: sql`now()`, note: notes.length ? notes.join('; ').slice(0, 2000) : null })
        .where(eq(whatsappWebhookEvents.id, event.id));
    }
    return { applied: events.length - skipped, skipped };
  });
}

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
