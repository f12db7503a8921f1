import { timingSafeEqual } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { jobs, whatsappWebhookEvents } from '../db/schema/index.js';
import { asUrgent, inTenantTransaction, type Tx } from '../db/transactions.js';
import { GroupCommit } from '../db/group-commit.js';
import { AppError } from '../errors/catalogue.js';
import type { Services } from '../http/services.js';
import { startJob } from '../jobs/start.js';
import { cachedWebhookSecrets, loadWebhookSecrets } from '../settings/whatsapp.js';
import { isSignedBy } from './signature.js';

/**
 * The lock that orders a delivery's insert against the processing job's last look for pending
 * deliveries (webhook-job.ts): either the job sees the delivery, or the delivery sees that no job
 * is pending and queues one. Deliveries share it; only that last look takes it alone.
 */
export const deliveryLock = (tenantId: string, mode: 'shared' | 'exclusive') =>
  sql.raw(
    `select ${mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}(hashtext('whatsapp-webhook:${tenantId}'))`,
  );

/** Deliveries come in bursts (a campaign's statuses, a busy chat): this process's jobs wait for a pause this long in them. */
const BURST_PAUSE_MS = 20;

/**
 * Acknowledges webhook POSTs: the signature over the exact bytes with the tenant's app secret first
 * (401 and nothing written otherwise), then the raw body stored as it came, by group commit with
 * the tenant's other deliveries of the moment, and the processing job queued unless one is already
 * waiting. `accept` resolves once the delivery's row has committed; everything else happens in the job.
 * Storing counts as urgent work, which this process's jobs (applying deliveries among them) let go
 * first, until the burst pauses.
 */
export class DeliveryIntake {
  private readonly groups: GroupCommit<string>;

  constructor(private readonly services: Services) {
    this.groups = new GroupCommit((tenantId, bodies) => storeDeliveries(services, tenantId, bodies));
  }

  async accept(tenantId: string, rawBody: Buffer, signature: string | undefined) {
    const { appSecret } = await cachedWebhookSecrets(this.services.db, tenantId, this.services.config);
    if (!appSecret || !isSignedBy(appSecret, rawBody, signature)) {
      throw new AppError('UNAUTHENTICATED', 'The X-Hub-Signature-256 header does not match this body.');
    }
    await asUrgent(this.services.db, () => this.groups.add(tenantId, rawBody.toString('utf8')), { pauseAfterMs: BURST_PAUSE_MS });
  }
}

/** One transaction for a group of the tenant's deliveries: stored under the shared delivery lock, and a job queued if none is waiting. */
async function storeDeliveries(services: Services, tenantId: string, bodies: string[]) {
  const sends: (() => Promise<void>)[] = [];
  await inTenantTransaction(services.db, tenantId, async (tx) => {
    await tx.execute(deliveryLock(tenantId, 'shared'));
    if (await storeAndCheckPending(tx, tenantId, bodies)) return;
    const actor = { userId: null, email: null, ip: null, userAgent: 'WhatsApp webhook' };
    await startJob({ tx, tenantId, services, actor, afterCommit: (send) => sends.push(send) }, 'WHATSAPP_WEBHOOK', {});
  });
  for (const send of sends) await send();
}

/** The clock read per row, so deliveries stored together are applied in the order they arrived (now() is one time per transaction). */
const arrivalOrder = sql`clock_timestamp()`;

/** Stores the deliveries and tells whether a processing job is already waiting, in one statement (PostgreSQL runs a data-modifying WITH whether or not it is read). */
async function storeAndCheckPending(tx: Tx, tenantId: string, bodies: string[]): Promise<boolean> {
  const waiting = tx
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.tenantId, tenantId), eq(jobs.type, 'WHATSAPP_WEBHOOK'), eq(jobs.status, 'PENDING')))
    .limit(1);
  const stored = tx.$with('stored').as(
    tx
      .insert(whatsappWebhookEvents)
      .values(bodies.map((body) => ({ tenantId, body, receivedAt: arrivalOrder })))
      .returning({ id: whatsappWebhookEvents.id }),
  );
  const [row] = await tx
    .with(stored)
    .select({ pending: sql<boolean>`exists (${waiting})` })
    .from(sql`(select 1) as one`);
  return row.pending;
}

/** The verification handshake: Meta's challenge echoed only for the tenant's own verify token. */
export async function answerHandshake(services: Services, tenantId: string, mode: string, token: string, challenge: string) {
  const { verifyToken } = await inTenantTransaction(services.db, tenantId, (tx) => loadWebhookSecrets(tx, tenantId, services.config));
  if (mode !== 'subscribe' || !verifyToken || !sameText(token, verifyToken)) {
    throw new AppError('FORBIDDEN', 'The verify token does not match the one in the WhatsApp settings.');
  }
  return challenge;
}

function sameText(a: string, b: string) {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}
