import { useMemo } from 'react';
import { countryCodes } from '@optarget/shared';

/** The countries as options of a searchable select, named in the interface language. */
export function useCountryOptions(locale: string) {
  return useMemo(() => {
    let names: Intl.DisplayNames | null = null;
    try {
      names = new Intl.DisplayNames([locale], { type: 'region' });
    } catch {
      names = null;
    }
    return countryCodes
      .map((code) => ({ value: code, label: `${names?.of(code) ?? code} (${code})` }))
      .sort((a, b) => a.label.localeCompare(b.label, locale));
  }, [locale]);
}

/**
 * The country the browser's languages suggest (`ar-SA` → SA; a language alone gives its likeliest
 * region, `ar` → EG), or null: a first guess for a person to confirm, never a setting by itself.
 */
export function guessCountryFromBrowser(languages: readonly string[] = navigator.languages ?? [navigator.language]): string | null {
  const locales = languages.flatMap((tag) => {
    try {
      return [new Intl.Locale(tag)];
    } catch {
      return [];
    }
  });
  // A region someone wrote (en-SA) beats one inferred from a language alone.
  const regions = [...locales.map((l) => l.region), ...locales.map((l) => l.maximize().region)];
  return regions.find((region): region is string => !!region && countryCodes.includes(region)) ?? null;
}
