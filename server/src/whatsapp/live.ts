import type { Services } from '../http/services.js';

// The job signals (jobs/signals.ts) carry a key across processes; a tenant's WhatsApp data has its own.
const keyOf = (tenantId: string) => `whatsapp:${tenantId}`;

/** Tells every open inbox of the tenant, in any process, that its conversations changed. A hint: a lost one costs a poll. */
export async function announceWhatsappChange(services: Pick<Services, 'queue' | 'log'>, tenantId: string) {
  await services.queue.signals
    .announceChanged(keyOf(tenantId))
    .catch((err: unknown) => services.log.warn({ err }, 'WhatsApp change signal lost'));
}

export const onWhatsappChange = (services: Pick<Services, 'queue'>, tenantId: string, listener: () => void) =>
  services.queue.signals.onChanged(keyOf(tenantId), listener);
