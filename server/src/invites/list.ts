import { and, desc, eq, gt, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { Invite } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import { firstPageTotal } from '../db/count.js';
import { invites, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { afterTimeCursor, exactTime, toPage } from '../http/cursor.js';
import type { InviteRow } from './accept.js';

type InviteStatus = Invite['status'];
type InviteWithInviter = { invite: InviteRow; inviterName: string | null; at: string; id: string };

/** An invite's status is not stored: it follows from when it was accepted, revoked or due to expire. */
export function inviteStatus(invite: InviteRow, now = new Date()): InviteStatus {
  if (invite.acceptedAt) return 'ACCEPTED';
  if (invite.revokedAt) return 'REVOKED';
  return invite.expiresAt <= now ? 'EXPIRED' : 'PENDING';
}

function whereStatus(status: InviteStatus, now = new Date()): SQL | undefined {
  switch (status) {
    case 'ACCEPTED':
      return isNotNull(invites.acceptedAt);
    case 'REVOKED':
      return and(isNull(invites.acceptedAt), isNotNull(invites.revokedAt));
    case 'EXPIRED':
      return and(isNull(invites.acceptedAt), isNull(invites.revokedAt), lte(invites.expiresAt, now));
    case 'PENDING':
      return and(isNull(invites.acceptedAt), isNull(invites.revokedAt), gt(invites.expiresAt, now));
  }
}

export const toInviteDto = ({ invite, inviterName }: { invite: InviteRow; inviterName: string | null }): Invite => ({
  id: invite.id,
  email: invite.email,
  role: invite.role,
  status: inviteStatus(invite),
  invitedBy: invite.invitedByUserId && inviterName !== null ? { id: invite.invitedByUserId, name: inviterName } : null,
  expiresAt: invite.expiresAt.toISOString(),
  lastSentAt: invite.lastSentAt.toISOString(),
  createdAt: invite.createdAt.toISOString(),
});

const selectInvites = (tx: Tx) =>
  tx
    .select({ invite: invites, inviterName: users.name, at: exactTime(invites.createdAt), id: invites.id })
    .from(invites)
    .leftJoin(users, eq(users.id, invites.invitedByUserId));

/** One page of the tenant's invites with the given status, newest first. */
export async function findInvitesForTenant(tx: Tx, tenantId: string, query: { status: InviteStatus; cursor?: string; limit: number }) {
  const matching = and(eq(invites.tenantId, tenantId), whereStatus(query.status));
  const rows: InviteWithInviter[] = await selectInvites(tx)
    .where(and(matching, afterTimeCursor(query.cursor, invites.createdAt, invites.id, 'desc')))
    .orderBy(desc(invites.createdAt), desc(invites.id))
    .limit(query.limit + 1);
  const total = await firstPageTotal(tx, query.cursor, () =>
    tx
      .select({ one: sql`1` })
      .from(invites)
      .where(matching),
  );
  return { ...toPage(rows, query.limit, toInviteDto), total };
}

export async function findInviteDto(tx: Tx, tenantId: string, inviteId: string): Promise<Invite> {
  const [row] = await selectInvites(tx).where(and(eq(invites.tenantId, tenantId), eq(invites.id, inviteId)));
  return toInviteDto(row);
}

export async function requireInvite(tx: Tx, tenantId: string, inviteId: string): Promise<InviteRow> {
  const [invite] = await tx
    .select()
    .from(invites)
    .where(and(eq(invites.tenantId, tenantId), eq(invites.id, inviteId)));
  if (!invite) throw new AppError('NOT_FOUND', 'No such invitation in this organization.');
  return invite;
}
