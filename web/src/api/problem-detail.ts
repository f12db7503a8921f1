import { usageMetrics } from '@optarget/shared';
import type { ErrorDetailKey } from '../i18n/error-messages';

type Params = Record<string, string | number>;
/** The cases of an invitation conflict the server names in `reason`, each sent with the invitation's address. */
const inviteCases = ['inviteOpen', 'inviteExpired', 'inviteAccepted', 'inviteRevoked', 'inviteAcceptedRemoveMember'] as const;
/** The states of a Meta template that cannot be sent, each worded; another is named as Meta calls it. */
const templateStatuses = ['PENDING', 'REJECTED', 'PAUSED', 'DISABLED'] as const;
/** Conflicts the server names in `reason` that are worded without a value. */
const plainConflicts = [
  'jobTypeRetired',
  'nothingToEnrich',
  'listEmpty',
  'reportNoFile',
  'reportNotFinished',
  'reportNotReadyToSend',
  'reportGeneratingRegenerate',
  'reportGeneratingDelete',
  'idempotencyKeyReused',
  'campaignSending',
  'campaignListDeleted',
  'campaignTemplateDeleted',
  'campaignNobodyToReceive',
  'campaignFinishing',
] as const;
/** What a campaign in the wrong state was asked to do, as the server names it in `action`. */
const campaignActions = ['started', 'paused', 'resumed', 'cancelled'] as const;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';

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
    case 'CONFLICT':
      return conflictDetail(problem);
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

/** A conflict's case (`reason`) with the values the server sends to word it; null for one it did not name. */
function conflictDetail(problem: Record<string, unknown>): { key: ErrorDetailKey; params: Params } | null {
  const { reason, email, jobStatus, matchedOn, name, max, language, campaignStatus, action } = problem;
  const invite = inviteCases.find((c) => c === reason);
  if (invite) return isText(email) ? { key: `errors.detail.${invite}`, params: { email } } : null;
  const plain = plainConflicts.find((c) => c === reason);
  if (plain) return { key: `errors.detail.${plain}`, params: {} };
  switch (reason) {
    case 'jobEnded':
    case 'jobNotEnded':
      return isText(jobStatus) ? { key: `errors.detail.${reason}`, params: { jobStatus } } : null;
    case 'leadExists':
      return isText(matchedOn) ? { key: 'errors.detail.leadExists', params: { matchedOn } } : null;
    case 'listNameTaken':
      return isText(name) ? { key: 'errors.detail.listNameTaken', params: { name } } : null;
    case 'listTooLarge':
      return isNumber(max) ? { key: 'errors.detail.listTooLarge', params: { max } } : null;
    case 'templateNameTaken':
      return isText(name) && isText(language) ? { key: 'errors.detail.templateNameTaken', params: { name, language } } : null;
    case 'campaignNotStarted':
      return isText(campaignStatus) ? { key: 'errors.detail.campaignNotStarted', params: { campaignStatus } } : null;
    case 'campaignState': {
      const done = campaignActions.find((a) => a === action);
      return done && isText(campaignStatus) ? { key: `errors.detail.campaignState.${done}`, params: { campaignStatus } } : null;
    }
    default:
      return null;
  }
}
