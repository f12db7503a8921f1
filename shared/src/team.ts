import { z } from 'zod';
import { countedPage, Email, IsoDate, PageQuery, Role, Text, Uuid } from './common.js';

export const Member = z.object({
  userId: Uuid,
  name: z.string(),
  email: z.string(),
  role: Role,
  joinedAt: IsoDate,
});
export type Member = z.infer<typeof Member>;

export const MemberPage = countedPage(Member);
export const MemberListQuery = PageQuery;

export const MemberParams = z.object({ tenantId: Uuid, userId: Uuid });
export const ChangeRoleBody = z.object({ role: Role });
export const TransferOwnershipBody = z.object({ userId: Uuid });

export const InviteStatus = z.enum(['PENDING', 'EXPIRED', 'ACCEPTED', 'REVOKED']);
export const Invite = z.object({
  id: Uuid,
  email: z.string(),
  role: Role,
  status: InviteStatus,
  invitedBy: z.object({ id: Uuid, name: z.string() }).nullable(),
  expiresAt: IsoDate,
  lastSentAt: IsoDate,
  createdAt: IsoDate,
});
export type Invite = z.infer<typeof Invite>;

export const InvitePage = countedPage(Invite);
/** Without a status the list shows PENDING invites: open and not yet expired. */
export const InviteListQuery = PageQuery.extend({ status: InviteStatus.default('PENDING') });

export const InviteParams = z.object({ tenantId: Uuid, inviteId: Uuid });
export const CreateInviteBody = z.object({ email: Email, role: Role.default('MEMBER') });
export const BulkInviteBody = z.object({
  /** Addresses separated by commas, semicolons, spaces or new lines. */
  emails: Text.min(1, 'paste at least one email address').max(20000),
  role: Role.default('MEMBER'),
});
export const BulkInviteOutcome = z.enum(['INVITED', 'ALREADY_MEMBER', 'ALREADY_INVITED', 'INVALID', 'DUPLICATE', 'PLAN_LIMIT_EXCEEDED']);
export type BulkInviteOutcome = z.infer<typeof BulkInviteOutcome>;
export const BulkInviteResult = z.object({
  results: z.array(
    z.object({
      email: z.string(),
      outcome: BulkInviteOutcome,
      message: z.string(),
      inviteId: Uuid.optional(),
    }),
  ),
});
export type BulkInviteResult = z.infer<typeof BulkInviteResult>;

const InviteToken = Text.min(20, 'the invitation link is incomplete').max(200);
export const InviteTokenBody = z.object({ token: InviteToken });
export const InvitePreviewQuery = z.object({ token: InviteToken });
export const InvitePreview = z.object({
  tenantName: z.string(),
  email: z.string(),
  role: Role,
  invitedByName: z.string().nullable(),
  expiresAt: IsoDate,
  accountExists: z.boolean(),
});
export type InvitePreview = z.infer<typeof InvitePreview>;
export const AcceptInviteResult = z.object({ tenantId: Uuid, role: Role });
