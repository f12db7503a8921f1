import { and, eq } from 'drizzle-orm';
import { AppError } from '../errors/catalogue.js';
import { invites, memberships, tenants, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { recordAudit, type AuditActor } from '../audit/record.js';
import { hashInviteToken } from './tokens.js';

export type InviteRow = typeof invites.$inferSelect;

/** The invite behind a token if it can still be accepted (not used, revoked or expired). */
export async function findOpenInviteByToken(tx: Tx, token: string): Promise<InviteRow | null> {
  const [invite] = await tx
    .select()
    .from(invites)
    .where(eq(invites.tokenHash, hashInviteToken(token)));
  if (!invite || invite.acceptedAt || invite.revokedAt || invite.expiresAt < new Date()) return null;
  return invite;
}

/** Like findOpenInviteByToken, but says why a token cannot be used. Runs on the system path: the caller is not yet a member. */
export async function requireUsableInvite(tx: Tx, token: string): Promise<InviteRow> {
  const [invite] = await tx
    .select()
    .from(invites)
    .where(eq(invites.tokenHash, hashInviteToken(token)));
  if (!invite || invite.acceptedAt || invite.revokedAt) throw new AppError('NOT_FOUND', 'This invitation link is not valid any more.');
  if (invite.expiresAt < new Date()) throw new AppError('INVITE_EXPIRED', 'This invitation has expired. Ask for a new one.');
  return invite;
}

export async function previewInvite(tx: Tx, token: string) {
  const invite = await requireUsableInvite(tx, token);
  const [tenant] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, invite.tenantId));
  const [inviter] = invite.invitedByUserId
    ? await tx.select({ name: users.name }).from(users).where(eq(users.id, invite.invitedByUserId))
    : [];
  const [account] = await tx.select({ id: users.id }).from(users).where(eq(users.email, invite.email));
  return {
    tenantName: tenant.name,
    email: invite.email,
    role: invite.role,
    invitedByName: inviter?.name ?? null,
    expiresAt: invite.expiresAt.toISOString(),
    accountExists: Boolean(account),
  };
}

/** Makes the user a member with the invited role and closes the invite, audited in the same transaction. */
export async function acceptInviteForUser(tx: Tx, invite: InviteRow, actor: AuditActor & { userId: string }) {
  const [existing] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.tenantId, invite.tenantId), eq(memberships.userId, actor.userId)));
  if (existing) throw new AppError('ALREADY_MEMBER', 'You are already a member of this organization.');
  await tx.insert(memberships).values({ tenantId: invite.tenantId, userId: actor.userId, role: invite.role });
  await tx.update(invites).set({ acceptedAt: new Date(), acceptedByUserId: actor.userId }).where(eq(invites.id, invite.id));
  await recordAudit(tx, invite.tenantId, actor, {
    action: 'invite.accepted',
    targetType: 'invite',
    targetId: invite.id,
    metadata: { email: invite.email, role: invite.role },
  });
  return { tenantId: invite.tenantId, role: invite.role };
}
