import {
  attentionFlags,
  isUuid,
  leadSorts,
  leadSources,
  leadStatuses,
  outreachFilters,
  type LeadSort,
  type OutreachFilter,
} from '@optarget/shared';
import type { LeadFilterParams } from '../api/leads';

/** The Leads table's filters and sort as they live in the URL (bookmarkable, shareable). */
export interface LeadSearch {
  q?: string;
  status?: string;
  scoreMin?: number;
  scoreMax?: number;
  category?: string;
  city?: string;
  country?: string;
  source?: string;
  hasWebsite?: 'true' | 'false';
  hasPhone?: 'true' | 'false';
  hasEmail?: 'true' | 'false';
  /** Comma-separated flags: leads with any of them need attention. */
  attention?: string;
  tag?: string;
  listId?: string;
  /** Leads one job (a prospect search) found; `jobOutcome` narrows to those it created or merged into. */
  jobId?: string;
  jobOutcome?: 'new' | 'merged';
  ownerUserId?: string;
  /** Leads by what they did in WhatsApp outreach since `outreachFrom` (the dashboard's links). */
  outreach?: OutreachFilter;
  outreachFrom?: string;
  sort?: LeadSort;
}

export const filterKeys = [
  'q',
  'status',
  'scoreMin',
  'scoreMax',
  'category',
  'city',
  'country',
  'source',
  'hasWebsite',
  'hasPhone',
  'hasEmail',
  'attention',
  'tag',
  'listId',
  'jobId',
  'jobOutcome',
  'ownerUserId',
  'outreach',
  'outreachFrom',
] as const;

const text = (v: unknown, max = 200): string | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  return s.length > 0 ? s.slice(0, max) : undefined;
};
const score = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 100 ? n : undefined;
};
const bool = (v: unknown): 'true' | 'false' | undefined =>
  v === true || v === 'true' ? 'true' : v === false || v === 'false' ? 'false' : undefined;
const csvOf =
  (allowed: readonly string[]) =>
  (v: unknown): string | undefined => {
    const parts = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [];
    const ok = [...new Set(parts.filter((p): p is string => typeof p === 'string' && allowed.includes(p)))];
    return ok.length > 0 ? ok.join(',') : undefined;
  };
const statusCsv = csvOf(leadStatuses);
const sourceCsv = csvOf(leadSources);
const attentionCsv = csvOf(attentionFlags);

/** `validateSearch` for the Leads and list routes: keeps only well-formed values, never throws. */
export function validateLeadSearch(s: Record<string, unknown>): LeadSearch {
  const owner = text(s.ownerUserId);
  const listId = text(s.listId);
  const jobId = text(s.jobId);
  const outreach = (outreachFilters as readonly unknown[]).includes(s.outreach) ? (s.outreach as OutreachFilter) : undefined;
  const sort = typeof s.sort === 'string' && (leadSorts as readonly string[]).includes(s.sort) ? (s.sort as LeadSort) : undefined;
  const out: LeadSearch = {
    q: text(s.q),
    status: statusCsv(s.status),
    scoreMin: score(s.scoreMin),
    scoreMax: score(s.scoreMax),
    category: text(s.category),
    city: text(s.city),
    country: text(s.country, 100),
    source: sourceCsv(s.source),
    hasWebsite: bool(s.hasWebsite),
    hasPhone: bool(s.hasPhone),
    hasEmail: bool(s.hasEmail),
    attention: attentionCsv(s.attention),
    tag: text(s.tag, 50),
    listId: isUuid(listId) ? listId : undefined,
    jobId: isUuid(jobId) ? jobId : undefined,
    jobOutcome: isUuid(jobId) && (s.jobOutcome === 'new' || s.jobOutcome === 'merged') ? s.jobOutcome : undefined,
    ownerUserId: owner && (owner === 'none' || isUuid(owner)) ? owner : undefined,
    outreach,
    outreachFrom: outreach && typeof s.outreachFrom === 'string' && !Number.isNaN(Date.parse(s.outreachFrom)) ? s.outreachFrom : undefined,
    sort,
  };
  // Drop undefined keys so URLs stay short.
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

/** The API's filter params (strings, as in a query string) for a search; `fixedListId` pins a list page. */
export function toFilterParams(search: LeadSearch, fixedListId?: string): LeadFilterParams {
  const out: LeadFilterParams = {};
  for (const k of filterKeys) {
    const v = search[k];
    if (v !== undefined && v !== '') out[k] = String(v);
  }
  if (fixedListId) out.listId = fixedListId;
  return out;
}

export function activeFilterCount(search: LeadSearch, ignoreList = false): number {
  // The period goes with its outreach filter and is not a filter of its own.
  return filterKeys.filter((k) => search[k] !== undefined && k !== 'outreachFrom' && !(ignoreList && k === 'listId')).length;
}

export const DEFAULT_SORT: LeadSort = '-score';
