import type { Config } from '../config/config.js';
import { PermanentJobError } from '../jobs/definitions.js';
import { excerpt, googleBusy } from './errors.js';
import { humanise, type Place } from './place.js';

type GooglePlace = {
  id: string;
  displayName?: { text?: string };
  formattedAddress?: string;
  location?: { latitude?: number; longitude?: number };
  nationalPhoneNumber?: string;
  internationalPhoneNumber?: string;
  websiteUri?: string;
  rating?: number;
  userRatingCount?: number;
  businessStatus?: string;
  primaryType?: string;
  addressComponents?: { longText?: string; shortText?: string; types?: string[] }[];
};

const PLACE_FIELDS = [
  'id',
  'displayName',
  'formattedAddress',
  'location',
  'nationalPhoneNumber',
  'internationalPhoneNumber',
  'websiteUri',
  'rating',
  'userRatingCount',
  'businessStatus',
  'primaryType',
  'addressComponents',
].map((f) => `places.${f}`);
export const TEXT_SEARCH_FIELD_MASK = [...PLACE_FIELDS, 'nextPageToken'].join(',');
// Nearby search has no pages; asking for nextPageToken there is an invalid field mask.
export const NEARBY_SEARCH_FIELD_MASK = PLACE_FIELDS.join(',');

export const GOOGLE_PAGE_SIZE = 20;

export type GooglePage = { places: Place[]; closed: number };

async function callPlaces(config: Config, apiKey: string, method: string, fieldMask: string, body: Record<string, unknown>) {
  const url = `${config.GOOGLE_PLACES_URL.replace(/\/$/, '')}/v1/places:${method}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': apiKey, 'x-goog-fieldmask': fieldMask },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
  } catch (err) {
    throw googleBusy('unreachable', `Google Places request failed: ${(err as Error).message}`);
  }
  const text = await res.text();
  let parsed: { places?: GooglePlace[]; nextPageToken?: string; error?: { code?: number; status?: string; message?: string } } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    if (res.ok) throw googleBusy('unexpected answer', `Google Places answered something other than JSON: ${excerpt(text)}`);
  }
  if (!res.ok) throw googleError(res.status, parsed.error, text);
  return parsed;
}

/** Google's error envelope as an error the user can act on; only overload and outages are retried. */
function googleError(httpStatus: number, error: { code?: number; status?: string; message?: string } | undefined, raw: string): Error {
  const status = error?.status ?? String(httpStatus);
  const message = error?.message ?? excerpt(raw);
  const detail = `Google Places answered ${httpStatus} ${status}: ${message}`;
  if (httpStatus === 429 || status === 'RESOURCE_EXHAUSTED') return googleBusy('quota or rate limit reached', detail);
  if (httpStatus === 503 || httpStatus === 504) return googleBusy(`temporarily unavailable, ${httpStatus}`, detail);
  if (httpStatus === 401 || httpStatus === 403 || status === 'PERMISSION_DENIED' || status === 'UNAUTHENTICATED')
    return new PermanentJobError({ code: 'error.googleKeyRefused', params: { status, message } });
  return new PermanentJobError({ code: 'error.googleFailed', params: { status, message } });
}

/** A Google place as a Place, or null when it is permanently closed (no one to sell to). */
export function placeFromGoogle(p: GooglePlace): Place | null {
  if (p.businessStatus === 'CLOSED_PERMANENTLY') return null;
  const component = (type: string, form: 'longText' | 'shortText') =>
    p.addressComponents?.find((c) => c.types?.includes(type))?.[form] ?? null;
  const phone = p.internationalPhoneNumber ?? p.nationalPhoneNumber;
  return {
    source: 'google',
    sourceId: p.id,
    name: p.displayName?.text?.trim() || p.formattedAddress || p.id,
    category: p.primaryType ? humanise(p.primaryType) : null,
    address: p.formattedAddress ?? null,
    city: component('locality', 'longText') ?? component('administrative_area_level_1', 'longText'),
    country: component('country', 'shortText'),
    lat: p.location?.latitude ?? null,
    lon: p.location?.longitude ?? null,
    phones: phone ? [phone] : [],
    website: p.websiteUri ?? null,
    email: null,
    socials: {},
    rating: p.rating ?? null,
    reviewCount: p.userRatingCount ?? null,
  };
}

const toPage = (places: GooglePlace[] | undefined): GooglePage => {
  const mapped = (places ?? []).map(placeFromGoogle);
  return { places: mapped.filter((p): p is Place => p !== null), closed: mapped.filter((p) => p === null).length };
};

/**
 * Text search, one page at a time, following nextPageToken with the same parameters until `limit`
 * places were returned or Google has no more. The caller checks for cancellation between pages.
 */
export async function* searchText(
  config: Config,
  apiKey: string,
  params: { textQuery: string; limit: number; circle?: { lat: number; lon: number; radiusMeters: number } },
): AsyncGenerator<GooglePage> {
  const body: Record<string, unknown> = { textQuery: params.textQuery, pageSize: Math.min(GOOGLE_PAGE_SIZE, params.limit) };
  if (params.circle)
    body.locationBias = {
      circle: { center: { latitude: params.circle.lat, longitude: params.circle.lon }, radius: params.circle.radiusMeters },
    };
  let seen = 0;
  let pageToken: string | undefined;
  do {
    const answer = await callPlaces(config, apiKey, 'searchText', TEXT_SEARCH_FIELD_MASK, pageToken ? { ...body, pageToken } : body);
    const places = (answer.places ?? []).slice(0, params.limit - seen);
    seen += places.length;
    yield toPage(places);
    pageToken = answer.nextPageToken;
  } while (pageToken && seen < params.limit);
}

/** Nearby search around a point for one place type: at most 20 places, no further pages. */
export async function searchNearby(
  config: Config,
  apiKey: string,
  params: { type: string; lat: number; lon: number; radiusMeters: number; limit: number },
): Promise<GooglePage> {
  const answer = await callPlaces(config, apiKey, 'searchNearby', NEARBY_SEARCH_FIELD_MASK, {
    includedTypes: [params.type],
    maxResultCount: Math.min(GOOGLE_PAGE_SIZE, params.limit),
    locationRestriction: { circle: { center: { latitude: params.lat, longitude: params.lon }, radius: params.radiusMeters } },
  });
  return toPage(answer.places);
}
