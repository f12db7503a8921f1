import { auditActions, type AuditAction } from '@optarget/shared';
import { t, tDynamic } from '../i18n';

/** The action's name in the user's language; an action the catalogue no longer has shows as stored. */
export const auditActionLabel = (action: string): string => tDynamic(`audit.action.${action}`, action);

/** The catalogue's actions as filter choices, in the order of their names in the user's language. */
export const auditActionOptions = (): { value: AuditAction; label: string }[] =>
  auditActions
    .filter((a) => a !== 'report.viewed')
    .map((value) => ({ value, label: t(`audit.action.${value}`) }))
    .sort((a, b) => a.label.localeCompare(b.label));
