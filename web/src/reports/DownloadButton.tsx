import type { ReactNode } from 'react';
import { Button } from '@mantine/core';

/** A small button that downloads a file the browser fetches with the session cookie. */
export function DownloadButton({ href, icon, testId, children }: { href: string; icon: ReactNode; testId: string; children: ReactNode }) {
  return (
    <Button component="a" href={href} size="xs" variant="light" leftSection={icon} data-testid={testId}>
      {children}
    </Button>
  );
}
