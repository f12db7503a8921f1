export type SocialNetwork = 'facebook' | 'instagram' | 'x' | 'linkedin' | 'tiktok' | 'youtube' | 'whatsapp';

const networks: [SocialNetwork, RegExp][] = [
  ['facebook', /^(?:[a-z]+\.)?(facebook\.com|fb\.com|fb\.me)$/],
  ['instagram', /^(?:www\.)?instagram\.com$/],
  ['x', /^(?:www\.|mobile\.)?(twitter\.com|x\.com)$/],
  ['linkedin', /^(?:[a-z]+\.)?linkedin\.com$/],
  ['tiktok', /^(?:www\.)?tiktok\.com$/],
  ['youtube', /^(?:www\.|m\.)?(youtube\.com|youtu\.be)$/],
  ['whatsapp', /^(wa\.me|api\.whatsapp\.com|wa\.link)$/],
];
/** Share buttons and plug-ins point at the network, not at the business. */
const notAProfile = /^\/(sharer|share|intent|plugins|dialog|tr|home|login|signup|embed)([/.?]|$)|^\/?$/i;

/** The network of a profile URL, or null for anything else (including share buttons). */
export function socialNetworkOf(raw: string): SocialNetwork | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const host = url.hostname.toLowerCase();
  const network = networks.find(([, pattern]) => pattern.test(host))?.[0] ?? null;
  if (!network) return null;
  if (network !== 'whatsapp' && notAProfile.test(url.pathname)) return null;
  return network;
}

/** Profile links, one per distinct URL (without query and trailing slash). */
export function findSocialProfiles(hrefs: string[], base: string): { network: SocialNetwork; url: string }[] {
  const out = new Map<string, SocialNetwork>();
  for (const href of hrefs) {
    let url: URL;
    try {
      url = new URL(href, base);
    } catch {
      continue;
    }
    const network = socialNetworkOf(url.href);
    if (!network) continue;
    const clean = `${url.protocol}//${url.hostname.toLowerCase()}${url.pathname.replace(/\/+$/, '')}`;
    if (!out.has(clean)) out.set(clean, network);
  }
  return [...out].map(([url, network]) => ({ network, url }));
}
