/** A business as a source reported it, before it becomes a lead. */
export type Place = {
  source: 'osm' | 'google';
  /** OSM `type/id` or the Google place id: the strongest dedupe key. */
  sourceId: string;
  name: string;
  category: string | null;
  address: string | null;
  city: string | null;
  country: string | null;
  lat: number | null;
  lon: number | null;
  /** Every phone the source lists, as written there; the first one that reads as a number becomes the lead's phone. */
  phones: string[];
  website: string | null;
  email: string | null;
  /** Social profiles by network (facebook, instagram, twitter, linkedin, whatsapp). */
  socials: Record<string, string>;
  rating: number | null;
  reviewCount: number | null;
};

/** "car_repair" → "car repair" */
export const humanise = (value: string) => value.replace(/_/g, ' ').trim();
