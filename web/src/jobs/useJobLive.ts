import { useEffect, useRef, useState } from 'react';
import type { Job, JobLog } from '@optarget/shared';
import { jobsApi } from '../api/jobs';
import { isFinished } from './format';

const MAX_LINES = 1000;
const POLL_MS = 1500;

export interface JobLive {
  job: Job | null;
  logs: JobLog[];
  /** How updates arrive: server-sent events, or polling once the stream failed. */
  mode: 'stream' | 'poll' | 'idle';
}

/**
 * Follows a job live: server-sent events from `…/jobs/{id}/events` (job, log, end), falling back to
 * polling the job and its log lines when the stream errors. `onEnd` runs once when the job finishes.
 */
export function useJobLive(
  tenantId: string,
  jobId: string | null,
  opts: { initial?: Job | null; onEnd?: (job: Job) => void } = {},
): JobLive {
  const [job, setJob] = useState<Job | null>(opts.initial ?? null);
  const [logs, setLogs] = useState<JobLog[]>([]);
  const [mode, setMode] = useState<JobLive['mode']>('idle');
  const onEnd = useRef(opts.onEnd);
  onEnd.current = opts.onEnd;
  const initial = useRef(opts.initial ?? null);
  initial.current = opts.initial ?? null;

  useEffect(() => {
    if (!jobId) {
      setJob(null);
      setLogs([]);
      setMode('idle');
      return;
    }
    setJob(initial.current?.id === jobId ? initial.current : null);
    setLogs([]);
    let stopped = false;
    let ended = false;
    let es: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const seen = new Set<string>();
    // Cursors come only from the server; polling restarts from the last full page and skips lines already seen.
    let logCursor: string | undefined;

    const addLogs = (items: JobLog[]) => {
      const fresh = items.filter((l) => !seen.has(l.id));
      if (fresh.length === 0) return;
      for (const l of fresh) seen.add(l.id);
      setLogs((prev) => {
        const next = prev.concat(fresh);
        return next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next;
      });
    };
    const finish = (j: Job) => {
      setJob(j);
      if (ended) return;
      ended = true;
      setMode('idle');
      onEnd.current?.(j);
    };

    const pollOnce = async () => {
      if (stopped) return;
      try {
        const j = await jobsApi.get(tenantId, jobId);
        if (stopped) return;
        // Read every new log line (several pages if needed) before judging whether it ended.
        for (let i = 0; i < 20; i++) {
          const page = await jobsApi.logs(tenantId, jobId, logCursor, 200);
          if (stopped) return;
          addLogs(page.items);
          if (!page.nextCursor) break;
          logCursor = page.nextCursor;
        }
        if (isFinished(j)) return finish(j);
        setJob(j);
      } catch {
        /* try again on the next tick */
      }
      if (!stopped) timer = setTimeout(() => void pollOnce(), POLL_MS);
    };
    const startPolling = () => {
      if (stopped || ended) return;
      setMode('poll');
      void pollOnce();
    };

    if (typeof EventSource === 'undefined') {
      startPolling();
    } else {
      setMode('stream');
      es = new EventSource(jobsApi.eventsUrl(tenantId, jobId), { withCredentials: true });
      es.addEventListener('job', (e) => {
        try {
          const j = JSON.parse((e as MessageEvent<string>).data) as Job;
          if (!stopped) setJob(j);
        } catch {
          /* ignore a malformed event */
        }
      });
      es.addEventListener('log', (e) => {
        try {
          if (!stopped) addLogs([JSON.parse((e as MessageEvent<string>).data) as JobLog]);
        } catch {
          /* ignore a malformed event */
        }
      });
      es.addEventListener('end', () => {
        es?.close();
        es = null;
        // The final snapshot (with the result) comes from the API so nothing is missed.
        void jobsApi
          .get(tenantId, jobId)
          .then((j) => !stopped && finish(j))
          .catch(() => startPolling());
      });
      es.onerror = () => {
        if (!es) return;
        es.close();
        es = null;
        startPolling();
      };
    }

    return () => {
      stopped = true;
      es?.close();
      if (timer) clearTimeout(timer);
    };
  }, [tenantId, jobId]);

  return { job, logs, mode };
}
