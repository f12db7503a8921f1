import { useEffect } from 'react';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { ReportViewedEvent } from '@optarget/shared';
import { t, tDynamic } from '../i18n';
import { reportKeys, reportsApi } from './api';

/** While the app is open, tells its user each time someone opens a report they shared. */
export function useReportViewAlerts(tenantId: string) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource(reportsApi.eventsUrl(tenantId), { withCredentials: true });
    es.addEventListener('viewed', (e) => {
      try {
        const view = JSON.parse((e as MessageEvent<string>).data) as ReportViewedEvent;
        notifications.show({
          color: 'teal',
          title: t('reports.viewedAlert.title'),
          message: t('reports.viewedAlert.body', {
            name: view.subjectName ?? '—',
            device: tDynamic(`reports.device.${view.device}`, view.device),
          }),
        });
        void queryClient.invalidateQueries({ queryKey: reportKeys.all(tenantId) });
        void queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'leads'] });
      } catch {
        /* ignore a malformed event */
      }
    });
    return () => es.close();
  }, [tenantId, queryClient]);
}
