import { defineJob } from '../jobs/definitions.js';
import { SEND_RETRY } from './error-codes.js';
import { prepareSend } from './prepare-send.js';

/** Sends one queued message to Meta (send.ts queues it). */
export const sendWhatsappJob = defineJob({
  type: 'WHATSAPP_SEND',
  prepare: prepareSend,
  retry: SEND_RETRY,
  timeoutSeconds: 5 * 60,
  handler: () => import('./send-job.js').then((m) => m.sendQueuedMessage),
});

/** Applies the webhook deliveries the webhook route stored. */
export const whatsappWebhookJob = defineJob({
  type: 'WHATSAPP_WEBHOOK',
  retry: { limit: 5, delaySeconds: 5, backoff: true },
  timeoutSeconds: 30 * 60,
  handler: () => import('./webhook-job.js').then((m) => m.applyWebhookDeliveries),
});
