import type { LeadDraft } from '../leads/upsert.js';
import { normalisePhone, normaliseWebsite } from '../leads/normalise.js';
import type { Place } from './place.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function readablePhones(phones: string[], country: string | null): string[] {
  const read: string[] = [];
  for (const raw of phones) {
    try {
      read.push(normalisePhone(raw, country));
    } catch {
      // Map data holds typos; a number nobody can dial is left out rather than losing the business.
    }
  }
  return [...new Set(read)];
}

function readableWebsite(raw: string | null): string | null {
  if (!raw) return null;
  try {
    return normaliseWebsite(raw).website;
  } catch {
    return null;
  }
}

/**
 * A Place as a lead draft. The lead keeps one phone, one website and one email, so the fields are
 * cleaned here: a bad value is dropped instead of making the whole lead invalid. Further phones and
 * social profiles, which the lead has no column for, go into its notes.
 */
export function placeToDraft(place: Place, defaultCountry: string | null): LeadDraft {
  const [phone, ...otherPhones] = readablePhones(place.phones, place.country ?? defaultCountry);
  const email = place.email && EMAIL.test(place.email) ? place.email : null;
  const notes = [
    otherPhones.length ? `Other phones: ${otherPhones.join(', ')}` : null,
    ...Object.entries(place.socials).map(([network, link]) => `${network[0].toUpperCase()}${network.slice(1)}: ${link}`),
  ].filter(Boolean);
  return {
    name: place.name,
    category: place.category,
    address: place.address,
    city: place.city,
    country: place.country,
    lat: place.lat,
    lon: place.lon,
    phone: phone ?? null,
    email,
    website: readableWebsite(place.website),
    notes: notes.length ? notes.join('\n') : null,
    rating: place.rating,
    reviewCount: place.reviewCount,
    source: place.source,
    sourceId: place.sourceId,
  };
}
