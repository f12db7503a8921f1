import { and, eq, isNull, sql } from 'drizzle-orm';
import { roleAtMost, type Invite, type Role } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import { invites, memberships, tenants, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { recordAudit } from '../audit/record.js';
import { inviteMessage } from '../email/templates.js';
import { countEmailTo, EMAILS_PER_ADDRESS_PER_HOUR } from '../email/limits.js';
import type { TenantContext } from '../http/routes.js';
import { assertWithinPlan } from '../plans/limits.js';
import type { InviteRow } from './accept.js';
import { findInviteDto, inviteStatus, requireInvite } from './list.js';
import { INVITE_TTL_MS, newInviteToken } from './tokens.js';

/**
 * An organization emails one address at most EMAILS_PER_ADDRESS_PER_HOUR invitations an hour, so a
 * revoke-and-invite or resend loop cannot flood someone's inbox. Counted per organization, so the
 * answer says nothing about what other organizations send; refused, the count is rolled back with
 * the rest of the transaction.
 */
async function countInviteEmail(ctx: TenantContext, email: string) {
  const hit = await countEmailTo(ctx.tx, 'invite', email, ctx.tenantId);
  if (hit.allowed) return;
  ctx.reply.header('retry-after', String(hit.retryAfterSeconds));
  throw new AppError(
    'THROTTLED',
    `${email} was already sent ${EMAILS_PER_ADDRESS_PER_HOUR} invitation emails from this organization in the last hour. Try again in ${Math.ceil(hit.retryAfterSeconds / 60)} minutes.`,
    { retryAfterSeconds: hit.retryAfterSeconds },
  );
}

export function assertMayGrant(ctx: TenantContext, role: Role) {
  if (!roleAtMost(role, ctx.role)) throw new AppError('FORBIDDEN', `You can invite with roles up to your own (${ctx.role}), not ${role}.`);
}

/**
 * Locks the tenant row so that seat checks and the invites they allow happen one request at a
 * time: two invitations sent together cannot both take the last seat.
 */
export async function lockSeats(tx: Tx, tenantId: string) {
  await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).for('update');
}

/** Why `email` cannot get a new invitation: already a member, or an invite to it is still open (possibly expired). */
export async function findInviteBlocker(tx: Tx, tenantId: string, email: string): Promise<'member' | InviteRow | null> {
  const [member] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), sql`lower(${users.email}) = ${email}`));
  if (member) return 'member';
  const [open] = await tx
    .select()
    .from(invites)
    .where(
      and(eq(invites.tenantId, tenantId), sql`lower(${invites.email}) = ${email}`, isNull(invites.acceptedAt), isNull(invites.revokedAt)),
    );
  return open ?? null;
}

export const openInviteMessage = (invite: InviteRow) =>
  inviteStatus(invite) === 'EXPIRED'
    ? `The invitation to ${invite.email} has expired; resend it instead of creating a new one.`
    : `${invite.email} already has an open invitation; resend it instead.`;

/** The case of an open invitation, with the address, for the web to word in the user's language. */
const openInviteCase = (invite: InviteRow) => ({
  email: invite.email,
  reason: inviteStatus(invite) === 'EXPIRED' ? 'inviteExpired' : 'inviteOpen',
});

/** Who the invitation emails say they come from. */
export async function findInviteSender(ctx: TenantContext) {
  const [tenant] = await ctx.tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, ctx.tenantId));
  return { tenantName: tenant.name, inviterName: ctx.session.user.name };
}

function queueInviteEmail(ctx: TenantContext, sender: { tenantName: string; inviterName: string }, invite: InviteRow, token: string) {
  const url = `${ctx.services.config.publicUrl}/invite?token=${encodeURIComponent(token)}`;
  const email = inviteMessage({ to: invite.email, ...sender, role: invite.role, url });
  // A failed send keeps the invite: it is listed and the inviter can resend it once mail works again.
  ctx.afterCommit(() => ctx.services.mailer.send(email));
}

/** Writes the invite (only the token's hash), audits it and queues its email. Checks are the caller's. */
export async function writeInvite(
  ctx: TenantContext,
  sender: { tenantName: string; inviterName: string },
  input: { email: string; role: Role; bulk?: boolean },
): Promise<InviteRow> {
  const { token, tokenHash } = newInviteToken();
  const [invite] = await ctx.tx
    .insert(invites)
    .values({
      tenantId: ctx.tenantId,
      email: input.email,
      role: input.role,
      tokenHash,
      invitedByUserId: ctx.actor.userId,
      expiresAt: new Date(Date.now() + INVITE_TTL_MS),
      // now() is fixed for the whole transaction; the wall clock keeps a bulk invite's rows in the order they were pasted.
      createdAt: sql`clock_timestamp()`,
    })
    .returning();
  await recordAudit(ctx.tx, ctx.tenantId, ctx.actor, {
    action: 'invite.sent',
    targetType: 'invite',
    targetId: invite.id,
    metadata: { email: invite.email, role: invite.role, ...(input.bulk ? { bulk: true } : {}) },
  });
  queueInviteEmail(ctx, sender, invite, token);
  return invite;
}

export async function createInvite(ctx: TenantContext, email: string, role: Role): Promise<Invite> {
  assertMayGrant(ctx, role);
  await lockSeats(ctx.tx, ctx.tenantId);
  const blocker = await findInviteBlocker(ctx.tx, ctx.tenantId, email);
  if (blocker === 'member') throw new AppError('ALREADY_MEMBER', `${email} is already a member of this organization.`, { email });
  if (blocker) throw new AppError('CONFLICT', openInviteMessage(blocker), { inviteId: blocker.id, ...openInviteCase(blocker) });
  await assertWithinPlan(ctx.tx, ctx.tenantId, 'seats', 1);
  await countInviteEmail(ctx, email);
  const invite = await writeInvite(ctx, await findInviteSender(ctx), { email, role });
  return findInviteDto(ctx.tx, ctx.tenantId, invite.id);
}

/** A new token (the old link stops working), a new 7-day expiry and a new email. */
export async function resendInvite(ctx: TenantContext, inviteId: string): Promise<Invite> {
  const { tx, tenantId } = ctx;
  const before = await requireInvite(tx, tenantId, inviteId);
  const status = inviteStatus(before);
  if (status === 'ACCEPTED')
    throw new AppError('CONFLICT', `The invitation to ${before.email} was already accepted.`, {
      email: before.email,
      reason: 'inviteAccepted',
    });
  if (status === 'REVOKED')
    throw new AppError('CONFLICT', `The invitation to ${before.email} was revoked; send a new one instead.`, {
      email: before.email,
      reason: 'inviteRevoked',
    });
  assertMayGrant(ctx, before.role);
  if (status === 'EXPIRED') {
    // An expired invite no longer holds a seat, so reopening it needs one again.
    await lockSeats(tx, tenantId);
    if ((await findInviteBlocker(tx, tenantId, before.email)) === 'member') {
      throw new AppError('ALREADY_MEMBER', `${before.email} is already a member of this organization.`, { email: before.email });
    }
    await assertWithinPlan(tx, tenantId, 'seats', 1);
  }
  await countInviteEmail(ctx, before.email);
  const { token, tokenHash } = newInviteToken();
  const now = new Date();
  const [after] = await tx
    .update(invites)
    .set({ tokenHash, expiresAt: new Date(now.getTime() + INVITE_TTL_MS), lastSentAt: now })
    .where(and(eq(invites.tenantId, tenantId), eq(invites.id, inviteId)))
    .returning();
  await recordAudit(tx, tenantId, ctx.actor, {
    action: 'invite.resent',
    targetType: 'invite',
    targetId: inviteId,
    metadata: {
      email: after.email,
      role: after.role,
      before: { status, expiresAt: before.expiresAt.toISOString() },
      after: { status: 'PENDING', expiresAt: after.expiresAt.toISOString() },
    },
  });
  queueInviteEmail(ctx, await findInviteSender(ctx), after, token);
  return findInviteDto(tx, tenantId, inviteId);
}

/** Closes the invite so its link stops working. Revoking twice changes nothing. */
export async function revokeInvite(ctx: TenantContext, inviteId: string) {
  const { tx, tenantId } = ctx;
  const invite = await requireInvite(tx, tenantId, inviteId);
  if (invite.acceptedAt)
    throw new AppError('CONFLICT', `${invite.email} already accepted; remove the member instead.`, {
      email: invite.email,
      reason: 'inviteAcceptedRemoveMember',
    });
  if (invite.revokedAt) return;
  await tx
    .update(invites)
    .set({ revokedAt: new Date() })
    .where(and(eq(invites.tenantId, tenantId), eq(invites.id, inviteId)));
  await recordAudit(tx, tenantId, ctx.actor, {
    action: 'invite.revoked',
    targetType: 'invite',
    targetId: inviteId,
    metadata: { email: invite.email, role: invite.role, before: { status: inviteStatus(invite) }, after: { status: 'REVOKED' } },
  });
}
