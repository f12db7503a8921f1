import type { Config } from '../config/config.js';
import { excerpt, osmBusy } from './errors.js';
import { humanise, type Place } from './place.js';

export type OverpassElement = {
  type: 'node' | 'way' | 'relation';
  id: number;
  lat?: number;
  lon?: number;
  center?: { lat: number; lon: number };
  tags?: Record<string, string>;
};

/**
 * Runs an Overpass QL query. Overpass reports overload in several shapes — 429, 5xx, an HTML error
 * page, or a 200 whose `remark` says the query timed out and whose elements are empty — and all of
 * them may pass, so they throw SourceBusyError for the job to retry.
 */
export async function runOverpassQuery(config: Config, query: string): Promise<OverpassElement[]> {
  let res: Response;
  try {
    res = await fetch(config.OVERPASS_URL, {
      method: 'POST',
      headers: { 'user-agent': config.osmUserAgent, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ data: query }).toString(),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (err) {
    throw osmBusy('unreachable', `Overpass request failed: ${(err as Error).message}`);
  }
  const body = await res.text();
  if (res.status === 429) throw osmBusy('rate limited', `Overpass answered 429: ${excerpt(body)}`);
  if (res.status === 504) throw osmBusy('timeout', `Overpass answered 504: ${excerpt(body)}`);
  if (!res.ok) throw osmBusy(`error ${res.status}`, `Overpass answered ${res.status}: ${excerpt(body)}`);
  let parsed: { elements?: OverpassElement[]; remark?: string };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    throw osmBusy('error page', `Overpass answered something other than JSON: ${excerpt(body)}`);
  }
  const elements = Array.isArray(parsed.elements) ? parsed.elements : [];
  if (parsed.remark && elements.length === 0) {
    const reason = /timed out|timeout/i.test(parsed.remark) ? 'timeout' : /out of memory/i.test(parsed.remark) ? 'out of memory' : 'error';
    throw osmBusy(reason, `Overpass remark: ${parsed.remark}`);
  }
  return elements;
}

const CATEGORY_KEYS = ['amenity', 'healthcare', 'shop', 'office', 'tourism', 'leisure', 'craft'];
const SOCIAL_NETWORKS = ['facebook', 'instagram', 'twitter', 'linkedin', 'whatsapp'];

const tagOf = (tags: Record<string, string>, ...keys: string[]) => {
  for (const key of keys) {
    const value = tags[key]?.trim();
    if (value) return value;
  }
  return null;
};
const splitValues = (value: string | null) =>
  (value ?? '')
    .split(';')
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * An Overpass element as a Place; null when it has no name (nothing a salesperson could call).
 * `categoryLabel` names the searched category; without one the element's own tag is used.
 */
export function placeFromElement(element: OverpassElement, categoryLabel: string | null): Place | null {
  const tags = element.tags ?? {};
  const name = tagOf(tags, 'name', 'name:en', 'brand', 'operator');
  if (!name) return null;
  const phones = [
    ...new Set([
      ...splitValues(tagOf(tags, 'phone')),
      ...splitValues(tagOf(tags, 'contact:phone')),
      ...splitValues(tagOf(tags, 'contact:mobile', 'mobile')),
    ]),
  ];
  const socials: Record<string, string> = {};
  for (const network of SOCIAL_NETWORKS) {
    const value = splitValues(tagOf(tags, `contact:${network}`, network))[0];
    if (value) socials[network] = value;
  }
  const street = [tagOf(tags, 'addr:housenumber'), tagOf(tags, 'addr:street')].filter(Boolean).join(' ');
  const city = tagOf(tags, 'addr:city');
  const postcode = tagOf(tags, 'addr:postcode');
  const country = tagOf(tags, 'addr:country');
  const address =
    tagOf(tags, 'addr:full') ?? ([street, [postcode, city].filter(Boolean).join(' '), country].filter(Boolean).join(', ') || null);
  const ownCategory = CATEGORY_KEYS.map((key) => tags[key]).find((v) => v && v !== 'yes');
  return {
    source: 'osm',
    sourceId: `${element.type}/${element.id}`,
    name,
    category: categoryLabel ?? (ownCategory ? humanise(ownCategory) : null),
    address,
    city,
    country: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : country,
    lat: element.lat ?? element.center?.lat ?? null,
    lon: element.lon ?? element.center?.lon ?? null,
    phones,
    website: splitValues(tagOf(tags, 'website', 'contact:website', 'url'))[0] ?? null,
    email: splitValues(tagOf(tags, 'email', 'contact:email'))[0] ?? null,
    socials,
    rating: null,
    reviewCount: null,
  };
}
