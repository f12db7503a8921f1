import { useParams } from '@tanstack/react-router';
import { useReportViewAlerts } from './useReportViewAlerts';

/** Mounted once under a tenant's pages: listens for views of the user's shared reports. */
export function ReportViewAlerts() {
  const { tenantId } = useParams({ strict: false });
  return tenantId ? <Listener tenantId={tenantId} /> : null;
}

function Listener({ tenantId }: { tenantId: string }) {
  useReportViewAlerts(tenantId);
  return null;
}
