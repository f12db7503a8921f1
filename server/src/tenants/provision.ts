import { randomBytes } from 'node:crypto';
import { memberships, tenants } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { recordAudit, type AuditActor } from '../audit/record.js';

export function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  // A random suffix keeps slugs unique without a retry loop; names in other scripts get only the suffix.
  return `${base || 'org'}-${randomBytes(3).toString('hex')}`;
}

/** Creates a tenant on the free plan with `userId` as its OWNER, audited in the same transaction. */
export async function createTenantWithOwner(tx: Tx, name: string, actor: AuditActor & { userId: string }) {
  const [tenant] = await tx
    .insert(tenants)
    .values({ name, slug: slugify(name) })
    .returning();
  await tx.insert(memberships).values({ tenantId: tenant.id, userId: actor.userId, role: 'OWNER' });
  await recordAudit(tx, tenant.id, actor, {
    action: 'tenant.created',
    targetType: 'tenant',
    targetId: tenant.id,
    metadata: { name, planCode: tenant.planCode },
  });
  return tenant;
}

export const personalTenantName = (userName: string) => `${userName}'s Organization`;
