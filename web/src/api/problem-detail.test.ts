import { describe, expect, it } from 'vitest';
import { usageMetrics } from '@optarget/shared';
import { formatMessage } from '../i18n/format';
import { ar } from '../i18n/ar';
import { en } from '../i18n/en';
import { locales } from '../i18n/locales';
import { problemDetail } from './problem-detail';

const worded = (code: string, problem: Record<string, unknown>) => {
  const found = problemDetail(code, problem);
  if (!found) throw new Error(`no specific case for ${code}`);
  return {
    en: formatMessage(en[found.key], found.params, locales.en.intl, 'ltr'),
    ar: formatMessage(ar[found.key], found.params, locales.ar.intl, 'rtl'),
  };
};

describe('an error worded for its specific case', () => {
  // The fields each error carries as the server sends them beside its English detail.
  it.each([
    ['PLAN_LIMIT_EXCEEDED', { metric: 'seats', limit: 3, used: 3, planCode: 'free' }, ['3', 'المقاعد']],
    ['PLAN_LIMIT_EXCEEDED', { metric: 'resultsPerSearch', limit: 60, requested: 200, planCode: 'free' }, ['60', '200']],
    ['ALREADY_MEMBER', { email: 'sara@example.com' }, ['sara@example.com']],
    ['CONFLICT', { reason: 'inviteOpen', email: 'sara@example.com', inviteId: 'x' }, ['sara@example.com']],
    ['CONFLICT', { reason: 'inviteExpired', email: 'sara@example.com' }, ['sara@example.com']],
    ['CONFLICT', { reason: 'inviteAccepted', email: 'sara@example.com' }, ['sara@example.com']],
    ['CONFLICT', { reason: 'inviteRevoked', email: 'sara@example.com' }, ['sara@example.com']],
    ['CONFLICT', { reason: 'inviteAcceptedRemoveMember', email: 'sara@example.com' }, ['sara@example.com']],
    ['CONFLICT', { reason: 'jobEnded', jobStatus: 'SUCCEEDED' }, []],
    ['CONFLICT', { reason: 'jobNotEnded', jobStatus: 'RUNNING' }, []],
    ['CONFLICT', { reason: 'jobTypeRetired', jobType: 'OLD_KIND' }, []],
    ['CONFLICT', { reason: 'nothingToEnrich' }, []],
    ['CONFLICT', { reason: 'leadExists', matchedOn: 'phone', existingLeadId: 'x' }, []],
    ['CONFLICT', { reason: 'listNameTaken', name: 'Cafés Riyadh', existingListId: 'x' }, ['Cafés Riyadh']],
    ['CONFLICT', { reason: 'listEmpty' }, []],
    ['CONFLICT', { reason: 'listTooLarge', max: 50 }, ['50']],
    ['CONFLICT', { reason: 'reportNoFile' }, []],
    ['CONFLICT', { reason: 'reportNotFinished' }, []],
    ['CONFLICT', { reason: 'reportNotReadyToSend' }, []],
    ['CONFLICT', { reason: 'reportGeneratingRegenerate' }, []],
    ['CONFLICT', { reason: 'reportGeneratingDelete' }, []],
    ['CONFLICT', { reason: 'templateNameTaken', name: 'spring_sale', language: 'en_US' }, ['spring_sale', 'en_US']],
    ['CONFLICT', { reason: 'idempotencyKeyReused' }, []],
    ['CONFLICT', { reason: 'campaignState', campaignStatus: 'RUNNING', action: 'started' }, []],
    ['CONFLICT', { reason: 'campaignState', campaignStatus: 'COMPLETED', action: 'paused' }, []],
    ['CONFLICT', { reason: 'campaignState', campaignStatus: 'DRAFT', action: 'resumed' }, []],
    ['CONFLICT', { reason: 'campaignState', campaignStatus: 'CANCELLED', action: 'cancelled' }, []],
    ['CONFLICT', { reason: 'campaignNotStarted', campaignStatus: 'PAUSED' }, []],
    ['CONFLICT', { reason: 'campaignSending' }, []],
    ['CONFLICT', { reason: 'campaignListDeleted' }, []],
    ['CONFLICT', { reason: 'campaignTemplateDeleted' }, []],
    ['CONFLICT', { reason: 'campaignNobodyToReceive' }, []],
    ['CONFLICT', { reason: 'campaignFinishing' }, []],
    ['WHATSAPP_TEMPLATE_NOT_APPROVED', { template: 'abandoned_cart', templateStatus: 'PENDING' }, ['abandoned_cart', 'Meta']],
    ['WHATSAPP_TEMPLATE_NOT_APPROVED', { template: 'welcome', templateStatus: 'REJECTED' }, ['welcome', 'Meta']],
    ['WHATSAPP_TEMPLATE_NOT_APPROVED', { template: 'welcome', templateStatus: 'IN_APPEAL' }, ['welcome', 'IN_APPEAL']],
    ['MERGE_UNDO_EXPIRED', { days: 30 }, ['30']],
    ['MERGE_UNDO_BLOCKED', { reason: 'keptMerged' }, []],
    ['MERGE_UNDO_BLOCKED', { reason: 'sameSource' }, []],
  ])('%s %j', (code, problem, mentions) => {
    const text = worded(code, problem);
    expect(text.ar).toMatch(/[\u0600-\u06FF]/);
    for (const m of mentions) expect(text.ar).toContain(m);
    // Apart from the values it names, no English word is left in the Arabic.
    const words = mentions.reduce((rest, m) => rest.replace(m, ''), text.ar);
    expect(words).not.toMatch(/[{}]|[A-Za-z]{3,}/);
    expect(text.en).not.toBe(text.ar);
  });

  it('words the limit of every metric a plan counts', () => {
    for (const metric of usageMetrics)
      expect(worded('PLAN_LIMIT_EXCEEDED', { metric, limit: 5, used: 5 }).ar, metric).toMatch(/[\u0600-\u06FF]/);
  });

  it('falls back to the code message when the server sent no values', () => {
    expect(problemDetail('PLAN_LIMIT_EXCEEDED', {})).toBeNull();
    expect(problemDetail('MERGE_UNDO_BLOCKED', { reason: 'other' })).toBeNull();
    expect(problemDetail('NOT_FOUND', { days: 3 })).toBeNull();
    // A conflict of another kind keeps the code's general message.
    expect(problemDetail('CONFLICT', { email: 'sara@example.com' })).toBeNull();
    expect(problemDetail('CONFLICT', { reason: 'other', email: 'sara@example.com' })).toBeNull();
    // A named conflict without the values it needs, or an action the web does not know.
    expect(problemDetail('CONFLICT', { reason: 'listNameTaken' })).toBeNull();
    expect(problemDetail('CONFLICT', { reason: 'campaignState', campaignStatus: 'RUNNING', action: 'renamed' })).toBeNull();
    expect(problemDetail('WHATSAPP_TEMPLATE_NOT_APPROVED', {})).toBeNull();
  });
});
