import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { users } from '../db/schema/index.js';
import { inSystemTransaction } from '../db/transactions.js';
import { recordAudit } from '../audit/record.js';
import { createTenantWithOwner, personalTenantName } from '../tenants/provision.js';
import { acceptInviteForUser, findOpenInviteByToken } from '../invites/accept.js';
import { actorFromHeaders } from './security-events.js';

type NewUser = { id: string; name: string; email: string };
type HookContext = { body?: unknown; request?: Request; headers?: Headers } | null;

/**
 * Runs right after better-auth creates a user. Someone signing up from an invitation link
 * (`inviteToken` in the sign-up body) joins that tenant, with the address confirmed, and can sign
 * in at once; everyone else confirms the address by the emailed link and gets their own
 * "<Name>'s Organization" as OWNER.
 */
export async function provisionNewUser(db: Db, user: NewUser, ctx: HookContext) {
  const body = (ctx?.body ?? {}) as { inviteToken?: unknown };
  const actor = { ...actorFromHeaders(user, ctx?.request?.headers ?? ctx?.headers), userId: user.id };
  await inSystemTransaction(db, async (tx) => {
    const invite = typeof body.inviteToken === 'string' ? await findOpenInviteByToken(tx, body.inviteToken) : null;
    if (invite && invite.email.toLowerCase() === user.email.toLowerCase()) {
      // The invitation's link reached this address, which proves it as a confirmation link would.
      await tx.update(users).set({ emailVerified: true }).where(eq(users.id, user.id));
      await recordAudit(tx, invite.tenantId, actor, {
        action: 'user.signed_up',
        targetType: 'user',
        targetId: user.id,
        metadata: { via: 'invite' },
      });
      await acceptInviteForUser(tx, invite, actor);
      return;
    }
    const tenant = await createTenantWithOwner(tx, personalTenantName(user.name), actor);
    await recordAudit(tx, tenant.id, actor, { action: 'user.signed_up', targetType: 'user', targetId: user.id });
  });
}
