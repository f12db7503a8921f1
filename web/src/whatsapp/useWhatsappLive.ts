import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { whatsappApi, whatsappKeys } from './api';

/**
 * Keeps every WhatsApp view of the tenant current: the server says `changed` (a message in or out,
 * a status, consent, assignment) and the views read again. The browser reconnects a dropped stream.
 */
export function useWhatsappLive(tenantId: string) {
  const queryClient = useQueryClient();
  useEffect(() => {
    const source = new EventSource(whatsappApi.eventsUrl(tenantId));
    source.addEventListener('changed', () => void queryClient.invalidateQueries({ queryKey: whatsappKeys.all(tenantId) }));
    return () => source.close();
  }, [tenantId, queryClient]);
}
