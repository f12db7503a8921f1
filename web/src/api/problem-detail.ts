import { usageMetrics } from '@optarget/shared';
import type { ErrorDetailKey } from '../i18n/error-messages';

type Params = Record<string, string | number>;
/** The cases of an invitation conflict the server names in `reason`, each sent with the invitation's address. */
const inviteCases = ['inviteOpen', 'inviteExpired', 'inviteAccepted', 'inviteRevoked', 'inviteAcceptedRemoveMember'] as const;
/** The states of a Meta template that cannot be sent, each worded; another is named as Meta calls it. */
const templateStatuses = ['PENDING', 'REJECTED', 'PAUSED', 'DISABLED'] as const;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Which specific case of an error the server answered, with the values to word it, read from the
 * fields it sends beside its English detail; null when it sent none, so the code's message is used.
 */
export function problemDetail(code: string, problem: Record<string, unknown>): { key: ErrorDetailKey; params: Params } | null {
  const { metric, limit, used, requested, email, days, reason, template, templateStatus } = problem;
  switch (code) {
    case 'PLAN_LIMIT_EXCEEDED': {
      if (metric === 'resultsPerSearch' && isNumber(limit) && isNumber(requested))
        return { key: 'errors.detail.planResultsPerSearch', params: { limit, requested } };
      const known = usageMetrics.find((m) => m === metric);
      return known && isNumber(limit) && isNumber(used) ? { key: `errors.detail.planLimit.${known}`, params: { limit, used } } : null;
    }
    case 'ALREADY_MEMBER':
      return typeof email === 'string' && email ? { key: 'errors.detail.alreadyMember', params: { email } } : null;
    case 'CONFLICT': {
      const invite = inviteCases.find((c) => c === reason);
      return invite && typeof email === 'string' && email ? { key: `errors.detail.${invite}`, params: { email } } : null;
    }
    case 'WHATSAPP_TEMPLATE_NOT_APPROVED':
      if (typeof template !== 'string' || typeof templateStatus !== 'string') return null;
      return {
        key: `errors.detail.templateNotApproved.${templateStatuses.find((s) => s === templateStatus) ?? 'other'}`,
        params: { template, status: templateStatus },
      };
    case 'MERGE_UNDO_EXPIRED':
      return isNumber(days) ? { key: 'errors.detail.mergeUndoExpired', params: { days } } : null;
    case 'MERGE_UNDO_BLOCKED':
      if (reason === 'keptMerged') return { key: 'errors.detail.mergeUndoKeptMerged', params: {} };
      if (reason === 'sameSource') return { key: 'errors.detail.mergeUndoSameSource', params: {} };
      return null;
    default:
      return null;
  }
}
