import type { PageFacts } from './page-facts.js';

/** Members of the Arab League: markets where customers expect a business to speak Arabic. */
const arabicSpeakingCountries = new Set([
  'AE',
  'BH',
  'DJ',
  'DZ',
  'EG',
  'IQ',
  'JO',
  'KM',
  'KW',
  'LB',
  'LY',
  'MA',
  'MR',
  'OM',
  'PS',
  'QA',
  'SA',
  'SD',
  'SO',
  'SY',
  'TN',
  'YE',
]);
export const isArabicSpeakingCountry = (country: string) => arabicSpeakingCountries.has(country.toUpperCase());

/** How a page shows it is (or has) an Arabic version, with the attribute that proves it. */
export type ArabicSignal = { variant: 'lang' | 'dir' | 'hreflang'; lang: string | null; url: string; proof: string };

const arabicLang = /^ar(?:$|[-_])/i;
/** Language switchers name the language in itself. */
const switcherText = /^(?:العربية|عربي|ع)$/;
const arabicLetters = /[\u0600-\u06ff]/g;
const latinLetters = /[a-z]/gi;

/**
 * The page is Arabic (`<html lang="ar">`, or right-to-left with mostly Arabic letters), or links
 * to an Arabic version (`hreflang="ar"`, or a language switcher reading "العربية").
 */
export function arabicSignals(facts: PageFacts, pageUrl: string): ArabicSignal[] {
  const out: ArabicSignal[] = [];
  if (facts.lang && arabicLang.test(facts.lang.value))
    out.push({ variant: 'lang', lang: facts.lang.value, url: pageUrl, proof: facts.lang.tag });
  else if (facts.dir?.value.toLowerCase() === 'rtl') {
    const arabic = facts.text.match(arabicLetters)?.length ?? 0;
    const latin = facts.text.match(latinLetters)?.length ?? 0;
    if (arabic > latin) out.push({ variant: 'dir', lang: null, url: pageUrl, proof: facts.dir.tag });
  }
  const resolve = (href: string) => {
    try {
      return new URL(href, pageUrl).href;
    } catch {
      return null;
    }
  };
  for (const alternate of facts.alternates) {
    const url = arabicLang.test(alternate.hreflang) ? resolve(alternate.value) : null;
    if (url) out.push({ variant: 'hreflang', lang: alternate.hreflang, url, proof: alternate.tag });
  }
  for (const link of facts.links) {
    const url = switcherText.test(link.text) ? resolve(link.value) : null;
    if (url && /^https?:/.test(url)) out.push({ variant: 'hreflang', lang: null, url, proof: `${link.tag}${link.text}</a>` });
  }
  return out;
}
