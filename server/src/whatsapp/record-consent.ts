import { can, type RecordConsentBody } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import type { TenantContext } from '../http/routes.js';
import { findLeadRow } from '../leads/dto.js';
import { changeConsent, lockConversation } from './consent.js';
import { announceWhatsappChange } from './live.js';

/** A member's record of consent: an opt-in with its proof, or an opt-out with its reason; re-opting in an opted-out lead is for admins. */
export async function recordConsent(ctx: TenantContext, leadId: string, body: RecordConsentBody) {
  await findLeadRow(ctx.tx, ctx.tenantId, leadId);
  const current = await lockConversation(ctx.tx, ctx.tenantId, leadId);
  if (body.state === 'OPTED_IN' && current.consent === 'OPTED_OUT' && !can(ctx.role, 'whatsapp.consent.override')) {
    throw new AppError('FORBIDDEN', 'This lead opted out; only an admin can record a new opt-in, with its proof.');
  }
  const change =
    body.state === 'OPTED_IN'
      ? { state: body.state, source: 'RECORDED_BY_MEMBER' as const, proof: body.proof }
      : { state: body.state, source: 'RECORDED_BY_MEMBER' as const, reason: body.reason };
  const consent = await changeConsent(ctx.tx, ctx.tenantId, leadId, ctx.actor, change);
  ctx.afterCommit(() => announceWhatsappChange(ctx.services, ctx.tenantId));
  return consent;
}
