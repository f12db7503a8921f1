import { and, asc, eq, sql } from 'drizzle-orm';
import { roleAtMost, type Member, type Role } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import { firstPageTotal } from '../db/count.js';
import { memberships, users } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { recordAudit } from '../audit/record.js';
import type { TenantContext } from '../http/routes.js';
import { afterTimeCursor, exactTime, toPage } from '../http/cursor.js';

type MemberRow = { id: string; userId: string; name: string; email: string; role: Role; joinedAt: Date; at: string };

const memberColumns = {
  id: memberships.id,
  userId: memberships.userId,
  name: users.name,
  email: users.email,
  role: memberships.role,
  joinedAt: memberships.createdAt,
  at: exactTime(memberships.createdAt),
};

const toMemberDto = (m: MemberRow): Member => ({
  userId: m.userId,
  name: m.name,
  email: m.email,
  role: m.role,
  joinedAt: m.joinedAt.toISOString(),
});

/** One page of the tenant's members, oldest first. */
export async function findMembersForTenant(tx: Tx, tenantId: string, query: { cursor?: string; limit: number }) {
  const rows = await tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), afterTimeCursor(query.cursor, memberships.createdAt, memberships.id, 'asc')))
    .orderBy(asc(memberships.createdAt), asc(memberships.id))
    .limit(query.limit + 1);
  const total = await firstPageTotal(tx, query.cursor, () =>
    tx
      .select({ one: sql`1` })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.tenantId, tenantId)),
  );
  return { ...toPage(rows, query.limit, toMemberDto), total };
}

async function requireMember(tx: Tx, tenantId: string, userId: string): Promise<MemberRow> {
  const [row] = await tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  if (!row) throw new AppError('NOT_FOUND', 'This person is not a member of the organization.');
  return row;
}

/**
 * Refuses when `member` is the tenant's only OWNER. The owners' rows are locked so that two owners
 * stepping down at the same moment cannot both pass the check.
 */
async function assertNotLastOwner(tx: Tx, tenantId: string, member: MemberRow, message: string) {
  if (member.role !== 'OWNER') return;
  const owners = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, 'OWNER')))
    .for('update');
  if (owners.length <= 1) throw new AppError('LAST_OWNER', message);
}

function assertMayManage(ctx: TenantContext, target: MemberRow) {
  if (target.role === 'OWNER' && ctx.role !== 'OWNER') throw new AppError('FORBIDDEN', 'Only an owner can change or remove another owner.');
}

export async function changeMemberRole(ctx: TenantContext, userId: string, role: Role): Promise<Member> {
  const { tx, tenantId } = ctx;
  const member = await requireMember(tx, tenantId, userId);
  assertMayManage(ctx, member);
  if (!roleAtMost(role, ctx.role)) throw new AppError('FORBIDDEN', `You can give roles up to your own (${ctx.role}), not ${role}.`);
  if (member.role === role) return toMemberDto(member);
  if (role !== 'OWNER') {
    await assertNotLastOwner(tx, tenantId, member, 'This is the only owner. Make someone else an owner first, or transfer ownership.');
  }
  await tx
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  await recordAudit(tx, tenantId, ctx.actor, {
    action: 'member.role_changed',
    targetType: 'user',
    targetId: userId,
    metadata: { email: member.email, before: { role: member.role }, after: { role } },
  });
  return toMemberDto({ ...member, role });
}

export async function removeMember(ctx: TenantContext, userId: string) {
  const { tx, tenantId } = ctx;
  const member = await requireMember(tx, tenantId, userId);
  assertMayManage(ctx, member);
  await assertNotLastOwner(tx, tenantId, member, 'This is the only owner and cannot be removed. Transfer ownership first.');
  await tx.delete(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  await recordAudit(tx, tenantId, ctx.actor, {
    action: 'member.removed',
    targetType: 'user',
    targetId: userId,
    metadata: { email: member.email, before: { role: member.role } },
  });
}

export async function leaveTenant(ctx: TenantContext) {
  const { tx, tenantId } = ctx;
  const member = await requireMember(tx, tenantId, ctx.actor.userId);
  await assertNotLastOwner(tx, tenantId, member, 'You are the only owner. Transfer ownership before leaving.');
  await tx.delete(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, ctx.actor.userId)));
  await recordAudit(tx, tenantId, ctx.actor, {
    action: 'member.left',
    targetType: 'user',
    targetId: ctx.actor.userId,
    metadata: { email: member.email, before: { role: member.role } },
  });
}

/** The target becomes OWNER and the caller steps down to ADMIN, in one transaction. */
export async function transferOwnership(ctx: TenantContext, userId: string) {
  const { tx, tenantId } = ctx;
  if (userId === ctx.actor.userId) {
    throw new AppError('VALIDATION_FAILED', 'userId: choose another member; you already own this organization.', {
      fields: [{ field: 'userId', message: 'must be another member', rule: 'otherMember' }],
    });
  }
  const target = await requireMember(tx, tenantId, userId);
  await tx
    .update(memberships)
    .set({ role: 'OWNER' })
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  await tx
    .update(memberships)
    .set({ role: 'ADMIN' })
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, ctx.actor.userId)));
  await recordAudit(tx, tenantId, ctx.actor, {
    action: 'ownership.transferred',
    targetType: 'user',
    targetId: userId,
    metadata: {
      email: target.email,
      before: { newOwnerRole: target.role, previousOwnerRole: 'OWNER' },
      after: { newOwnerRole: 'OWNER', previousOwnerRole: 'ADMIN' },
    },
  });
}
