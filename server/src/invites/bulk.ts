import { Email, type BulkInviteOutcome, type BulkInviteResult, type FieldRule, type Role } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import type { TenantContext } from '../http/routes.js';
import { assertWithinPlan } from '../plans/limits.js';
import { assertMayGrant, findInviteBlocker, findInviteSender, lockSeats, openInviteMessage, writeInvite } from './manage.js';

export const MAX_BULK_INVITES = 100;

// `Jane Doe <jane@x.com>` or `"Doe, Jane" <jane@x.com>`: the display name is dropped, the address kept.
// A name starts at a separator and holds no "@", so a bare address written before it is not swallowed.
const NAMED_ADDRESS = /(?<=^|[\s,;])(?:"[^"]*"|[^<>",;@\n])*<([^<>]*)>/g;

/** The addresses in pasted text, in order, as written (trimmed): separated by commas, semicolons, spaces or new lines. */
export function parseEmailList(text: string): string[] {
  return text
    .replace(NAMED_ADDRESS, (_, address: string) => ` ${address} `)
    .split(/[\s,;]+/)
    .filter(Boolean);
}

type Result = BulkInviteResult['results'][number];
const result = (email: string, outcome: BulkInviteOutcome, message: string, inviteId?: string): Result =>
  inviteId ? { email, outcome, message, inviteId } : { email, outcome, message };

/**
 * Invites every valid address in the pasted text and says, address by address, what happened.
 * Seats are checked one address at a time, so the first ones that fit are invited.
 */
export async function bulkInvite(ctx: TenantContext, text: string, role: Role): Promise<BulkInviteResult> {
  const written = parseEmailList(text);
  if (written.length === 0) throw invalidList('no email address found in the pasted text', 'emailsNone');
  if (written.length > MAX_BULK_INVITES)
    throw invalidList(`at most ${MAX_BULK_INVITES} addresses at a time; ${written.length} were pasted`, 'emailsTooMany', {
      max: MAX_BULK_INVITES,
      count: written.length,
    });
  assertMayGrant(ctx, role);
  await lockSeats(ctx.tx, ctx.tenantId);
  const sender = await findInviteSender(ctx);
  const seen = new Set<string>();
  const results: Result[] = [];
  for (const raw of written) {
    const parsed = Email.safeParse(raw);
    if (!parsed.success) {
      results.push(result(raw, 'INVALID', 'This is not a valid email address.'));
      continue;
    }
    const email = parsed.data;
    if (seen.has(email)) {
      results.push(result(email, 'DUPLICATE', 'This address appears earlier in the list; it is invited once.'));
      continue;
    }
    seen.add(email);
    const blocker = await findInviteBlocker(ctx.tx, ctx.tenantId, email);
    if (blocker === 'member') {
      results.push(result(email, 'ALREADY_MEMBER', 'Already a member of this organization.'));
      continue;
    }
    if (blocker) {
      results.push(result(email, 'ALREADY_INVITED', openInviteMessage(blocker), blocker.id));
      continue;
    }
    try {
      await assertWithinPlan(ctx.tx, ctx.tenantId, 'seats', 1);
    } catch (err) {
      if (err instanceof AppError && err.code === 'PLAN_LIMIT_EXCEEDED') {
        results.push(result(email, 'PLAN_LIMIT_EXCEEDED', err.message));
        continue;
      }
      throw err;
    }
    const invite = await writeInvite(ctx, sender, { email, role, bulk: true });
    results.push(result(email, 'INVITED', `Invitation sent as ${role}.`, invite.id));
  }
  return { results };
}

const invalidList = (message: string, rule: FieldRule, params?: Record<string, number>) =>
  new AppError('VALIDATION_FAILED', `emails: ${message}`, { fields: [{ field: 'emails', message, rule, ...(params ? { params } : {}) }] });
