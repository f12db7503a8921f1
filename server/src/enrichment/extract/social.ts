import type { AttributeRead } from './page-facts.js';

export type SocialNetwork = 'facebook' | 'instagram' | 'x' | 'linkedin' | 'tiktok' | 'snapchat' | 'youtube';

/** What a link points at, when it is a platform rather than a website of the business. */
export type Platform = { kind: 'social'; network: SocialNetwork } | { kind: 'whatsapp' } | { kind: 'maps' };

const networks: [SocialNetwork, RegExp][] = [
  ['facebook', /^(?:[a-z]+\.)?(facebook\.com|fb\.com|fb\.me)$/],
  ['instagram', /^(?:www\.)?instagram\.com$/],
  ['x', /^(?:www\.|mobile\.)?(twitter\.com|x\.com)$/],
  ['linkedin', /^(?:[a-z]+\.)?linkedin\.com$/],
  ['tiktok', /^(?:www\.|m\.)?tiktok\.com$/],
  ['snapchat', /^(?:www\.|story\.)?snapchat\.com$/],
  ['youtube', /^(?:www\.|m\.)?(youtube\.com|youtu\.be)$/],
];
const whatsappHosts = /^(wa\.me|(?:api|web|www)\.whatsapp\.com|wa\.link)$/;
/** Google Maps places: maps.google.*, google.*\/maps, and the short links Maps shares (maps.app.goo.gl, goo.gl/maps, g.page). */
const isMapsUrl = (host: string, path: string) =>
  /^maps\.google\.[a-z.]+$/.test(host) ||
  (/^(?:www\.)?google\.[a-z.]+$/.test(host) && /^\/maps(?:\/|$)/.test(path)) ||
  host === 'maps.app.goo.gl' ||
  (host === 'goo.gl' && path.startsWith('/maps')) ||
  host === 'g.page';
/** Share buttons and plug-ins point at the network, not at the business. */
const notAProfile = /^\/(sharer|share|intent|plugins|dialog|tr|home|login|signup|embed)([/.?]|$)|^\/?$/i;

/** The platform of a URL, or null for anything else (including share buttons and a network's home page). */
export function platformOf(raw: string): Platform | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const host = url.hostname.toLowerCase();
  if (whatsappHosts.test(host)) return { kind: 'whatsapp' };
  if (isMapsUrl(host, url.pathname)) return { kind: 'maps' };
  const network = networks.find(([, pattern]) => pattern.test(host))?.[0];
  if (!network || notAProfile.test(url.pathname)) return null;
  return { kind: 'social', network };
}

export type PlatformLink = { platform: Platform; url: URL; proof: string };

/** Links of a page to platforms, one per distinct address (social profiles without query and trailing slash). */
export function findPlatformLinks(links: AttributeRead[], base: string): PlatformLink[] {
  const out = new Map<string, PlatformLink>();
  for (const link of links) {
    let url: URL;
    try {
      url = new URL(link.value, base);
    } catch {
      continue;
    }
    const platform = platformOf(url.href);
    if (!platform) continue;
    const key = platform.kind === 'social' ? `${url.protocol}//${url.hostname.toLowerCase()}${url.pathname.replace(/\/+$/, '')}` : url.href;
    if (!out.has(key)) out.set(key, { platform, url: new URL(key), proof: link.tag });
  }
  return [...out.values()];
}
