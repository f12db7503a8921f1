import { useI18n } from '../i18n';

const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

/** "2 hours ago" in the user's language. */
export function useRelativeTime() {
  const { locale } = useI18n();
  const format = new Intl.RelativeTimeFormat(locale === 'ar' ? 'ar-u-nu-latn' : 'en', { numeric: 'auto' });
  return (iso: string, now = Date.now()) => {
    let amount = (Date.parse(iso) - now) / 1000;
    for (const [unit, size] of steps) {
      if (Math.abs(amount) < size) return format.format(Math.round(amount), unit);
      amount /= size;
    }
    return format.format(Math.round(amount), 'year');
  };
}
