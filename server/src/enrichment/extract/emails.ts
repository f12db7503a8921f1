// Bounded repeats: on a 2 MB run of letters an unbounded local part backtracks quadratically.
const emailPattern = /(?<![a-z0-9._%+-])[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}\.[a-z]{2,24}/gi;
// "info [at] clinic [dot] com", "info(at)clinic(dot)com", "info {at} clinic.com"
const obfuscatedAt = /\s*[[({<]\s*(?:at|@|arroba)\s*[\])}>]\s*/gi;
const obfuscatedDot = /\s*[[({<]\s*(?:dot|\.|punkt)\s*[\])}>]\s*/gi;

const imageName = /\.(png|jpe?g|gif|webp|svg|bmp|ico|avif)$/i;
/** Domains that appear in templates, demos and error-tracking snippets, never as a real contact. */
const placeholderDomains =
  /(^|\.)(example\.(com|org|net)|domain\.com|yourdomain\.com|email\.com|test\.com|sentry\.io|sentry-next\.wixpress\.com|wixpress\.com|sentry\.[a-z.]+)$/i;

export function isPlausibleEmail(email: string): boolean {
  const [local, domain] = email.split('@');
  if (!local || !domain) return false;
  if (imageName.test(email) || placeholderDomains.test(domain)) return false;
  if (/sentry/i.test(domain)) return false;
  return true;
}

/** Emails from mailto: links and from text, including the "[at]" / "(dot)" disguises, lower-cased and de-duplicated. */
export function findEmails(text: string, mailtoHrefs: string[]): string[] {
  const found = new Set<string>();
  for (const href of mailtoHrefs) {
    const address = decodeURIComponent(href.replace(/^mailto:/i, '').split('?')[0]).trim();
    for (const m of address.match(emailPattern) ?? []) found.add(m.toLowerCase());
  }
  const revealed = text.replace(obfuscatedAt, '@').replace(obfuscatedDot, '.');
  for (const m of revealed.match(emailPattern) ?? []) found.add(m.toLowerCase().replace(/^[._-]+|[._-]+$/g, ''));
  return [...found].filter(isPlausibleEmail);
}
