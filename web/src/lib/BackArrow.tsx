import { IconArrowLeft, IconArrowRight } from '@tabler/icons-react';
import { useI18n } from '../i18n';

/** "Back" points toward the start of the line: left in English, right in Arabic. */
export function BackArrow({ size }: { size: number }) {
  const { dir } = useI18n();
  return dir === 'rtl' ? <IconArrowRight size={size} /> : <IconArrowLeft size={size} />;
}
