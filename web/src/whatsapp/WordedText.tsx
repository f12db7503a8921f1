import { Text, type TextProps } from '@mantine/core';
import { useI18n } from '../i18n';
import type { Worded } from './failure';

/**
 * A reason in the user's language, with the words Meta (or the server) answered kept visible
 * after it in their own direction, since they are the proof of what happened.
 */
export function WordedText({ worded, testId, ...props }: { worded: Worded; testId?: string } & TextProps) {
  const { t } = useI18n();
  return (
    <Text {...props} data-testid={testId}>
      {worded.text}
      {worded.upstream && (
        <Text component="span" display="block" size="xs" c="dimmed" data-testid="upstream-text">
          {t('whatsapp.failure.upstream')} <bdi>{worded.upstream}</bdi>
        </Text>
      )}
    </Text>
  );
}
