import { isDeepStrictEqual } from 'node:util';
import { settingsAuditActions, type SettingsSection } from '@optarget/shared';
import { recordAudit } from '../audit/record.js';
import type { TenantContext } from '../http/routes.js';
import { lockSettings, writeSettings, type SettingsValues, type StoredSettings } from './store.js';

type SectionChange<V> = {
  section: SettingsSection;
  /** The section as the audit log shows it, before and after; secrets only ever masked (see secrets.ts). */
  audited: (settings: StoredSettings) => V;
  /** The columns to write, worked out from the settings as they are. */
  values: (current: StoredSettings) => SettingsValues;
  /** Work that follows the change in the same transaction; what it returns is added to the audit entry. */
  then?: (after: StoredSettings) => Promise<Record<string, unknown>>;
};

/**
 * The one way a settings section changes: lock the tenant's settings, write the new values and
 * record one audit entry with the section before and after, all in the route's transaction, so
 * the entry exists exactly when the change does. A save that changes nothing records nothing.
 */
export async function changeSection<V>(ctx: TenantContext, change: SectionChange<V>): Promise<StoredSettings> {
  const { tx, tenantId, actor } = ctx;
  const current = await lockSettings(tx, tenantId);
  const values = change.values(current);
  const after = Object.keys(values).length > 0 ? await writeSettings(tx, tenantId, values) : current;
  const [before, now] = [change.audited(current), change.audited(after)];
  if (isDeepStrictEqual(before, now)) return after;
  const extra = change.then ? await change.then(after) : {};
  await recordAudit(tx, tenantId, actor, {
    action: settingsAuditActions[change.section],
    targetType: 'settings',
    targetId: change.section,
    metadata: { before, after: now, ...extra },
  });
  return after;
}
