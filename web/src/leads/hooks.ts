import { useMemo } from 'react';
import { useInfiniteQuery, useQuery, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { stringify } from 'csv-stringify/browser/esm/sync';
import { csvWriteOptions, leadStatuses, type CsvRow, type Job, type Lead, type LeadCount, type LeadStatus } from '@optarget/shared';
import { notifications } from '@mantine/notifications';
import type { Page } from '../api/client';
import { jobKeys, jobsApi } from '../api/jobs';
import { listsApi, listKeys } from '../api/lists';
import { leadKeys, leadsApi } from '../api/leads';
import { useMembers } from '../team/hooks';
import { t, tDynamic } from '../i18n';
import { jobFailure } from '../jobs/format';

export const statusColor: Record<LeadStatus, string> = {
  NEW: 'blue',
  CONTACTED: 'yellow',
  QUALIFIED: 'violet',
  WON: 'green',
  LOST: 'gray',
};

export const statusLabel = (s: LeadStatus) => tDynamic(`lead.status.${s}`, s);
export const statusOptions = () => leadStatuses.map((s) => ({ value: s, label: statusLabel(s) }));

/** Every list of the tenant (for pickers). Lists are few; the first 100 cover the pickers. */
export function useAllLists(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: [...listKeys.lists(tenantId), 'picker'],
    queryFn: () => listsApi.lists(tenantId),
    enabled,
    staleTime: 30_000,
  });
}

export function useListOptions(tenantId: string, enabled = true) {
  const lists = useAllLists(tenantId, enabled);
  const options = useMemo(() => (lists.data?.items ?? []).map((l) => ({ value: l.id, label: l.name })), [lists.data]);
  return { ...lists, options };
}

export function useMemberOptions(tenantId: string) {
  const members = useMembers(tenantId);
  const options = useMemo(
    () => (members.data?.pages.flatMap((p) => p.items) ?? []).map((m) => ({ value: m.userId, label: m.name || m.email })),
    [members.data],
  );
  return { ...members, options };
}

/** Replaces one lead everywhere it is cached (tables and the lead page). */
export function patchLeadInCache(queryClient: QueryClient, tenantId: string, leadId: string, patch: (l: Lead) => Lead) {
  queryClient.setQueriesData<InfiniteData<Page<Lead>>>({ queryKey: [...leadKeys.all(tenantId), 'table'] }, (data) =>
    data ? { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.map((l) => (l.id === leadId ? patch(l) : l)) })) } : data,
  );
  queryClient.setQueryData<Lead>(leadKeys.lead(tenantId, leadId), (l) => (l ? patch(l) : l));
}

export function useJobPolling(tenantId: string, jobId: string | null) {
  return useQuery({
    queryKey: jobKeys.one(tenantId, jobId ?? 'none'),
    queryFn: () => jobsApi.get(tenantId, jobId!),
    enabled: jobId !== null,
    staleTime: 0,
    refetchInterval: (q) => {
      const s = q.state.data?.status;
      return s === undefined || s === 'PENDING' || s === 'RUNNING' ? 1000 : false;
    },
  });
}

export const isJobDone = (job: Job | undefined) => !!job && job.status !== 'PENDING' && job.status !== 'RUNNING';

/** Follows a background bulk job, telling the user when it ends and refreshing the leads. */
export async function followBulkJob(queryClient: QueryClient, tenantId: string, jobId: string) {
  notifications.show({ message: t('leads.bulk.job') });
  for (let i = 0; i < 3600; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    let job: Job;
    try {
      job = await jobsApi.get(tenantId, jobId);
    } catch {
      continue;
    }
    if (job.status === 'PENDING' || job.status === 'RUNNING') continue;
    if (job.status === 'SUCCEEDED') notifications.show({ color: 'green', message: t('leads.bulk.jobDone') });
    else notifications.show({ color: 'red', message: t('leads.bulk.jobFailed', { error: jobFailure(job) }) });
    await queryClient.invalidateQueries({ queryKey: leadKeys.all(tenantId) });
    await queryClient.invalidateQueries({ queryKey: listKeys.lists(tenantId) });
    return;
  }
}

export function useLeadPages(
  tenantId: string,
  scope: string,
  filter: Record<string, string>,
  sort: string,
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<Lead>>,
) {
  return useInfiniteQuery({
    queryKey: leadKeys.table(tenantId, scope, filter, sort),
    queryFn: ({ pageParam, signal }) => fetchPage(pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
    staleTime: 5_000,
  });
}

/** How many leads the filter matches (the table's total and the number bulk actions confirm). */
export function useLeadCount(tenantId: string, filter: Record<string, string>) {
  return useQuery({
    queryKey: leadKeys.count(tenantId, filter),
    queryFn: ({ signal }) => leadsApi.count(tenantId, filter, signal),
    placeholderData: (prev) => prev,
    staleTime: 5_000,
  });
}

/** A count as people read it: "1,234", or "about 12,000" when it is the database's estimate. */
export function formatLeadCount(count: LeadCount | undefined, formatNumber: (n: number) => string): string {
  if (!count) return '…';
  return count.exact ? formatNumber(count.count) : t('leads.countAbout', { count: formatNumber(count.count) });
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** A CSV of the given leads, built in the browser (for exporting a hand-picked selection). */
export function leadsToCsv(leads: Lead[]): string {
  const cols: (keyof Lead)[] = [
    'name',
    'category',
    'address',
    'city',
    'country',
    'phone',
    'email',
    'website',
    'domain',
    'status',
    'score',
    'source',
    'createdAt',
  ];
  const rows = leads.map((l): CsvRow => [...cols.map((c) => l[c] as CsvRow[number]), l.owner?.name, l.tags.join(';')]);
  return stringify([[...cols, 'owner', 'tags'], ...rows], csvWriteOptions);
}

export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
