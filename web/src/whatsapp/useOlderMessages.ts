import { useState } from 'react';
import { notifications } from '@mantine/notifications';
import type { WhatsappMessage } from '@optarget/shared';
import { errorMessage } from '../api/client';
import { whatsappApi } from './api';

/**
 * "Load older" for a thread that shows only its latest messages: each call reads the page before
 * the oldest loaded one and puts it in front, oldest first.
 */
export function useOlderMessages(tenantId: string, leadId: string, threadCursor: string | null) {
  const [older, setOlder] = useState<WhatsappMessage[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const next = cursor === undefined ? threadCursor : cursor;
  const loadOlder = async () => {
    if (!next) return;
    setLoading(true);
    try {
      const page = await whatsappApi.olderMessages(tenantId, leadId, next);
      setOlder((shown) => [...[...page.items].reverse(), ...shown]);
      setCursor(page.nextCursor);
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    } finally {
      setLoading(false);
    }
  };
  /** The thread with what was loaded before it, each message once. */
  const withOlder = (latest: WhatsappMessage[]) => {
    const shown = new Set(latest.map((m) => m.id));
    return [...older.filter((m) => !shown.has(m.id)), ...latest];
  };
  return { hasOlder: !!next, loading, loadOlder, withOlder };
}
