import { useEffect, useRef, useState } from 'react';
import { Badge, Box, Button, Code, Group, Loader, Progress, ScrollArea, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlayerStop } from '@tabler/icons-react';
import type { Job, JobLog } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { jobsApi } from '../api/jobs';
import { confirmAction } from '../lib/confirm';
import { useI18n } from '../i18n';
import { isActive, jobPercent, jobStatusColor, jobStatusLabel, jobStepLabel, jobTextOf } from './format';

const levelColor: Record<string, string> = { error: 'red', warn: 'orange', warning: 'orange', info: 'blue', debug: 'gray' };

export function JobStatusBadge({ status }: { status: Job['status'] }) {
  return (
    <Badge color={jobStatusColor[status]} variant="light" data-testid="job-status" data-status={status}>
      {jobStatusLabel(status)}
    </Badge>
  );
}

/** The progress bar with done/total and the current step. */
export function JobProgressBar({ job, size = 'lg' }: { job: Job; size?: 'sm' | 'md' | 'lg' }) {
  const { t, formatNumber } = useI18n();
  const pct = jobPercent(job);
  const active = isActive(job);
  const { done, total } = job.progress;
  return (
    <Stack gap={4}>
      {/* The section is the progressbar (role, value and its text); the root is only its track. */}
      <Progress.Root size={size} radius="sm">
        <Progress.Section
          value={pct ?? 100}
          striped={active}
          animated={active && pct === null}
          color={job.status === 'FAILED' ? 'red' : job.status === 'CANCELLED' ? 'orange' : job.status === 'SUCCEEDED' ? 'green' : 'blue'}
          aria-label={t('job.progress')}
          aria-valuetext={total !== null ? t('job.progress.of', { done: formatNumber(done), total: formatNumber(total) }) : undefined}
        />
      </Progress.Root>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed" truncate data-testid="job-step">
          {job.progress.step ? jobStepLabel(job.progress.step) : job.status === 'PENDING' ? t('job.waiting') : ''}
        </Text>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} data-testid="job-counts">
          {total !== null
            ? t('job.progress.of', { done: formatNumber(done), total: formatNumber(total) })
            : t('job.progress.done', { done: formatNumber(done) })}
        </Text>
      </Group>
    </Stack>
  );
}

export function JobLogs({ logs, follow = true, height = 220 }: { logs: JobLog[]; follow?: boolean; height?: number }) {
  const { t, formatDateTime } = useI18n();
  const viewport = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (follow && viewport.current) viewport.current.scrollTo({ top: viewport.current.scrollHeight });
  }, [logs.length, follow]);
  if (logs.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid="job-logs-empty">
        {t('job.logs.empty')}
      </Text>
    );
  return (
    <ScrollArea.Autosize mah={height} viewportRef={viewport} type="auto" offsetScrollbars>
      <Box component="ol" m={0} p={0} style={{ listStyle: 'none' }} aria-live="polite" aria-label={t('job.logs')} data-testid="job-logs">
        {logs.map((l) => (
          <Box component="li" key={l.id} py={2} data-testid="job-log-line" data-level={l.level}>
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {formatDateTime(l.createdAt)}
              </Text>
              <Code color={`${levelColor[l.level] ?? 'gray'}.1`} style={{ flexShrink: 0 }}>
                {l.level}
              </Code>
              <Text size="xs" style={{ overflowWrap: 'anywhere' }} dir="auto">
                {jobTextOf(l.data?.text, l.message)}
              </Text>
            </Group>
          </Box>
        ))}
      </Box>
    </ScrollArea.Autosize>
  );
}

/** "Cancel" with a confirmation; shown only while the job is pending or running. */
export function CancelJobButton({ tenantId, job, onCancelled }: { tenantId: string; job: Job; onCancelled?: (job: Job) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  if (!isActive(job)) return null;
  const cancel = () =>
    confirmAction({
      title: t('job.cancel.title'),
      message: t('job.cancel.body'),
      confirmLabel: t('job.cancel.confirm'),
      onConfirm: async () => {
        setBusy(true);
        try {
          const j = await jobsApi.cancel(tenantId, job.id);
          notifications.show({ message: t('job.cancel.requested') });
          onCancelled?.(j);
        } catch (e) {
          notifications.show({ color: 'red', message: errorMessage(e) });
        } finally {
          setBusy(false);
        }
      },
    });
  return (
    <Button
      size="xs"
      variant="light"
      color="red"
      leftSection={<IconPlayerStop size={14} />}
      onClick={cancel}
      loading={busy}
      data-testid="job-cancel"
    >
      {t('job.cancel')}
    </Button>
  );
}

/** The live panel: status, progress, step, logs and cancel. */
export function JobLivePanel({
  tenantId,
  job,
  logs,
  canWrite,
  testId,
  live,
}: {
  tenantId: string;
  job: Job;
  logs: JobLog[];
  canWrite: boolean;
  testId?: string;
  live: boolean;
}) {
  const { t } = useI18n();
  return (
    <Stack gap="sm" data-testid={testId} data-status={job.status} data-job-id={job.id}>
      <Group justify="space-between" gap="xs">
        <Group gap="xs">
          <JobStatusBadge status={job.status} />
          {live && isActive(job) && <Loader size="xs" aria-label={t('job.live')} />}
        </Group>
        {canWrite && <CancelJobButton tenantId={tenantId} job={job} />}
      </Group>
      <JobProgressBar job={job} />
      {job.error && (
        <Text size="sm" c="red" role="alert" data-testid="job-error">
          {jobTextOf(job.errorText, job.error)}
        </Text>
      )}
      <JobLogs logs={logs} />
    </Stack>
  );
}
