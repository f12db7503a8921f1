import type { AttributeRead } from './page-facts.js';
import { around } from './snippet.js';

/** An address found on a page, how it was written, and what proves it. */
export type EmailFound = {
  email: string;
  /** text: written as is; disguised: "info [at] clinic [dot] sa"; mailto: a link; cloudflare: decoded from Cloudflare's protection. */
  how: 'text' | 'disguised' | 'mailto' | 'cloudflare';
  /** The attribute read (mailto, cloudflare) or the text around the address as it appears on the page (text, disguised). */
  proof: string;
};

const LOCAL = '[a-z0-9._%+-]{1,64}';
const LABEL = '[a-z0-9-]{1,63}';
// "[at]", "(at)", "{at}", "<at>", "[@]"; "[dot]", "(.)"…
const AT = String.raw`\s*[[({<]\s*(?:at|@|arroba)\s*[\])}>]\s*`;
const DOT = String.raw`\s*[[({<]\s*(?:dot|\.|punkt)\s*[\])}>]\s*`;
// Bounded repeats: on a 2 MB run of letters an unbounded local part backtracks quadratically.
const emailPattern = new RegExp(String.raw`^${LOCAL}@${LABEL}(?:\.${LABEL}){0,8}\.[a-z]{2,24}$`, 'i');
const inText = new RegExp(
  String.raw`(?<![a-z0-9._%+-])(${LOCAL})(@|${AT})(${LABEL}(?:(?:\.|${DOT})${LABEL}){0,8}(?:\.|${DOT})[a-z]{2,24})(?![a-z0-9-])`,
  'gi',
);
const disguisedDot = new RegExp(DOT, 'gi');

const imageName = /\.(png|jpe?g|gif|webp|svg|bmp|ico|avif)$/i;
/** Domains that appear in templates, demos and error-tracking snippets, never as a real contact. */
const placeholderDomains =
  /(^|\.)(example\.(com|org|net)|domain\.com|yourdomain\.com|email\.com|test\.com|sentry\.io|sentry-next\.wixpress\.com|wixpress\.com|sentry\.[a-z.]+)$/i;

export function isPlausibleEmail(email: string): boolean {
  const [local, domain] = email.split('@');
  if (!local || !domain || !emailPattern.test(email)) return false;
  if (imageName.test(email) || placeholderDomains.test(domain)) return false;
  if (/sentry/i.test(domain)) return false;
  return true;
}

/** Cloudflare's e-mail protection: the first byte is a key XOR-ed with every following byte of the UTF-8 address. */
export function decodeCloudflareEmail(hex: string): string | null {
  if (!/^(?:[0-9a-f]{2}){2,}$/i.test(hex)) return null;
  const bytes = Buffer.from(hex, 'hex');
  const decoded = Buffer.from(bytes.subarray(1).map((b) => b ^ bytes[0])).toString('utf8');
  return emailPattern.test(decoded) ? decoded : null;
}

const CLOUDFLARE_LINK = /\/cdn-cgi\/l\/email-protection#([0-9a-f]+)$/i;

/**
 * E-mail addresses of a page, each recorded once (lower-cased) with its proof: only addresses
 * written whole in one piece of text (also in the "[at]" / "(dot)" disguises), linked with
 * mailto:, or hidden by Cloudflare's protection. Text of neighbouring elements is never joined.
 */
export function findEmails(text: string, links: AttributeRead[], cfEmails: AttributeRead[]): EmailFound[] {
  const found = new Map<string, EmailFound>();
  const add = (raw: string, how: EmailFound['how'], proof: string) => {
    const email = raw.toLowerCase();
    if (isPlausibleEmail(email) && !found.has(email)) found.set(email, { email, how, proof });
  };
  for (const link of links) {
    if (/^mailto:/i.test(link.value)) {
      let address: string;
      try {
        address = decodeURIComponent(link.value.replace(/^mailto:/i, '').split('?')[0]).trim();
      } catch {
        continue;
      }
      for (const one of address.split(',')) add(one.trim(), 'mailto', link.tag);
    }
    const protectedHex = link.value.match(CLOUDFLARE_LINK)?.[1];
    const decoded = protectedHex ? decodeCloudflareEmail(protectedHex) : null;
    if (decoded) add(decoded, 'cloudflare', link.tag);
  }
  for (const attribute of cfEmails) {
    const decoded = decodeCloudflareEmail(attribute.value);
    if (decoded) add(decoded, 'cloudflare', attribute.tag);
  }
  for (const m of text.matchAll(inText)) {
    const local = m[1].replace(/^[._-]+/, '');
    const domain = m[3].replace(disguisedDot, '.');
    const disguised = m[2] !== '@' || domain !== m[3];
    add(`${local}@${domain}`, disguised ? 'disguised' : 'text', around(text, m.index, m.index + m[0].length));
  }
  return [...found.values()];
}
