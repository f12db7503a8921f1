import { roles, roleAtMost, type Role } from '@optarget/shared';
import { tDynamic } from '../i18n';

export const roleLabel = (role: Role) => tDynamic(`role.${role}`, role);

/** Roles a member with `ceiling` may grant. */
export function grantableRoles(ceiling: Role): Role[] {
  return roles.filter((r) => roleAtMost(r, ceiling));
}

export function roleOptions(ceiling: Role) {
  return grantableRoles(ceiling).map((r) => ({ value: r, label: roleLabel(r) }));
}
