import type { Role } from './common.js';

/** Who may do what: the one table every route consults (docs/architecture.md, "Roles"). */
export const policy = {
  'tenant.read': ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'],
  'data.read': ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'],
  'data.write': ['OWNER', 'ADMIN', 'MEMBER'],
  /** Taking every lead out as a file is the team's work, not a read-only seat's. */
  'data.export': ['OWNER', 'ADMIN', 'MEMBER'],
  'team.read': ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'],
  'team.manage': ['OWNER', 'ADMIN'],
  'settings.read': ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'],
  'settings.manage': ['OWNER', 'ADMIN'],
  'audit.read': ['OWNER', 'ADMIN'],
  /** Recording a new opt-in for a lead who opted out of WhatsApp. */
  'whatsapp.consent.override': ['OWNER', 'ADMIN'],
  'usage.read': ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'],
  'plan.change': ['OWNER'],
  'tenant.rename': ['OWNER', 'ADMIN'],
  'tenant.delete': ['OWNER'],
  'ownership.transfer': ['OWNER'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof policy;

export function can(role: Role, permission: Permission): boolean {
  return (policy[permission] as readonly Role[]).includes(role);
}

const rank: Record<Role, number> = { VIEWER: 0, MEMBER: 1, ADMIN: 2, OWNER: 3 };

/** A member may grant or change roles only up to their own. */
export function roleAtMost(role: Role, ceiling: Role): boolean {
  return rank[role] <= rank[ceiling];
}
