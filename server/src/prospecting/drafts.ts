import type { LeadDraft } from '../leads/upsert.js';
import { countryCodeOf } from '../leads/country.js';
import { normalisePhone } from '../leads/normalise.js';
import type { Place } from './place.js';

/** The place's phones, the readable ones first (read in `country`), each once; unreadable ones as written. */
function phonesOf(phones: string[], country: string | null): string[] {
  const readable: string[] = [];
  const unreadable: string[] = [];
  for (const raw of phones) {
    try {
      readable.push(normalisePhone(raw, country));
    } catch {
      unreadable.push(raw.trim());
    }
  }
  return [...new Set([...readable, ...unreadable])];
}

/**
 * A Place as a lead draft. The lead keeps one phone, so the first readable one is chosen and the
 * others go into its notes, with the social profiles it has no column for. Phones are read in the
 * place's own country, else `areaCountry` (the searched area's, else the tenant's default). What
 * cannot be read is passed on as given: the lead keeps it as text that needs attention. A place
 * without a city of its own gets the searched city's, so a city filter finds it.
 */
export function placeToDraft(place: Place, areaCountry: string | null, areaCity: string | null = null): LeadDraft {
  const country = countryCodeOf(place.country) ?? areaCountry;
  const [phone, ...otherPhones] = phonesOf(place.phones, country);
  const notes = [
    otherPhones.length ? `Other phones: ${otherPhones.join(', ')}` : null,
    ...Object.entries(place.socials).map(([network, link]) => `${network[0].toUpperCase()}${network.slice(1)}: ${link}`),
  ].filter(Boolean);
  return {
    name: place.name,
    category: place.category,
    address: place.address,
    city: place.city ?? areaCity,
    country: place.country,
    lat: place.lat,
    lon: place.lon,
    phone: phone ?? null,
    email: place.email,
    website: place.website,
    notes: notes.length ? notes.join('\n') : null,
    rating: place.rating,
    reviewCount: place.reviewCount,
    source: place.source,
    sourceId: place.sourceId,
  };
}
