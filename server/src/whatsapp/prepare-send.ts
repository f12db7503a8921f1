import { and, eq, isNull } from 'drizzle-orm';
import type { JobInput } from '@optarget/shared';
import { whatsappMessages } from '../db/schema/index.js';
import { AppError } from '../errors/catalogue.js';
import type { PrepareContext } from '../jobs/definitions.js';

/**
 * A send job exists only for a queued message of the tenant that no job sends yet: the send
 * endpoint starts it in the transaction that writes the message, and no other way of starting a
 * job (`POST …/jobs`, a rerun) can send a message twice.
 */
export async function prepareSend(ctx: PrepareContext, input: JobInput<'WHATSAPP_SEND'>) {
  const [message] = await ctx.tx
    .select({ id: whatsappMessages.id })
    .from(whatsappMessages)
    .where(
      and(
        eq(whatsappMessages.tenantId, ctx.tenantId),
        eq(whatsappMessages.id, input.messageId),
        eq(whatsappMessages.status, 'QUEUED'),
        isNull(whatsappMessages.jobId),
      ),
    );
  if (!message) throw new AppError('NOT_FOUND', 'No queued message with this id is waiting to be sent.');
}
