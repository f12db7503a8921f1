import { foldSearchText } from '@optarget/shared';
import { normaliseWebsite } from './normalise.js';

/**
 * What a search box entry looks for in a lead's `search_text`: a phone number in local or
 * international form by its digits after any leading zeros (`0501234567` and `+966 50 123 4567`
 * both find +966501234567); a pasted web address by its domain; anything else folded like the
 * column (shared/src/search-fold.ts), so `الاسنان` finds `الأسنان`.
 */
export function searchTerm(entry: string): string {
  const folded = foldSearchText(entry.trim());
  if (/^\+?[\d\s().-]+$/.test(folded)) {
    const digits = folded.replace(/\D/g, '').replace(/^0+/, '');
    if (digits.length >= 6) return digits;
  }
  if ((!/\s/.test(folded) && /\.[^/]*\//.test(folded)) || /^(https?:\/\/|www\.)/i.test(folded)) {
    try {
      const { website, domain } = normaliseWebsite(folded);
      return domain ?? new URL(website).hostname.replace(/^www\./, '');
    } catch {
      return folded;
    }
  }
  return folded;
}
