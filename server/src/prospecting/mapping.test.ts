import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from '../crypto/secrets.js';
import { categories, matchCategory, suggestCategories } from './categories.js';
import { placeToDraft } from './drafts.js';
import { fixtures } from './fake-services.js';
import { placeFromGoogle } from './google-places.js';
import { areaIdFor, buildOverpassQuery } from './overpass-query.js';
import { placeFromElement, type OverpassElement } from './overpass.js';

const category = (key: string) => categories.find((c) => c.key === key)!;

describe('understanding what the user searches for', () => {
  it.each([
    ['dentist', 'dentist'],
    ['Dentists', 'dentist'],
    ['أطباء أسنان', 'dentist'],
    ['طبيب اسنان', 'dentist'],
    ['pharmacies', 'pharmacy'],
    ['صيدليات', 'pharmacy'],
    ['law firms', 'lawyer'],
    ['real estate agents', 'real_estate'],
    ['car repair shops', 'car_repair'],
    ['car wash', 'car_wash'],
    ['gyms', 'gym'],
    ['مطاعم', 'restaurant'],
    ['Hotels', 'hotel'],
    ['beauty salons', 'beauty_salon'],
    ['driving schools', 'driving_school'],
  ])('"%s" is the %s category', (query, key) => {
    expect(matchCategory(query)?.key).toBe(key);
  });

  it('knows at least 25 categories, each with English and Arabic names and OSM tags', () => {
    expect(categories.length).toBeGreaterThanOrEqual(25);
    for (const c of categories) {
      expect(c.en).toMatch(/\w/);
      expect(c.ar).toMatch(/[\u0600-\u06ff]/);
      expect(c.osm.length).toBeGreaterThan(0);
    }
  });

  it('finds no category for a business name, so the search falls back to the name', () => {
    expect(matchCategory('Smile Center')).toBeNull();
  });

  it('suggests categories from the first letters, in English or Arabic', () => {
    expect(suggestCategories('dent')[0]).toMatchObject({
      key: 'dentist',
      en: 'Dentist',
      ar: 'طبيب أسنان',
      osmTags: ['amenity=dentist', 'healthcare=dentist'],
    });
    expect(suggestCategories('صيد')[0].key).toBe('pharmacy');
    expect(suggestCategories('').length).toBe(categories.length);
    expect(suggestCategories('zzzz')).toEqual([]);
  });
});

describe('the Overpass query', () => {
  it('searches every tag of the category inside the geocoded area, bounded, with centres and a limit', () => {
    const q = buildOverpassQuery({ category: category('dentist') }, { kind: 'area', areaId: areaIdFor('relation', 3678409)! }, 100);
    expect(q).toBe(
      [
        '[out:json][timeout:25];',
        'area(id:3603678409)->.searchArea;',
        '(',
        '  nwr["amenity"="dentist"](area.searchArea);',
        '  nwr["healthcare"="dentist"](area.searchArea);',
        ');',
        'out center 100;',
      ].join('\n'),
    );
  });

  it('turns a way into its area id and a point into an around: filter', () => {
    expect(areaIdFor('way', 987654321)).toBe(2_400_000_000 + 987654321);
    expect(areaIdFor('node', 1)).toBeNull();
    const q = buildOverpassQuery({ category: category('lawyer') }, { kind: 'around', lat: 24.7, lon: 46.68, radiusMeters: 2500 }, 20);
    expect(q).toContain('nwr["office"="lawyer"](around:2500,24.7,46.68);');
    expect(q).toContain('out center 20;');
  });

  it('uses a bounding box (south, west, north, east) when there is no area', () => {
    const q = buildOverpassQuery(
      { category: category('hotel') },
      { kind: 'bbox', south: 24.29, north: 25.15, west: 46.29, east: 47.34 },
      50,
    );
    expect(q).toContain('nwr["tourism"="hotel"](24.29,46.29,25.15,47.34);');
  });

  it('falls back to a case-insensitive name match, with the user text taken literally', () => {
    const q = buildOverpassQuery({ name: 'Smile "Dental" (Olaya).' }, { kind: 'area', areaId: 3603678409 }, 10);
    expect(q).toContain('nwr["name"~"Smile \\"Dental\\" \\\\(Olaya\\\\)\\\\.",i](area.searchArea);');
  });
});

describe('reading Overpass elements', () => {
  const [node, way] = fixtures.overpass.elements as OverpassElement[];

  it('reads a node: position, phone, website, Arabic name and address', () => {
    expect(placeFromElement(node, 'Dentist')).toEqual({
      source: 'osm',
      sourceId: 'node/11234567890',
      name: 'عيادة الابتسامة لطب الأسنان',
      category: 'Dentist',
      address: 'طريق الملك فهد, الرياض',
      city: 'الرياض',
      country: null,
      lat: 24.6951002,
      lon: 46.6853511,
      phones: ['+966 11 456 7890'],
      website: 'https://www.smile-dental.example.sa/',
      email: null,
      socials: {},
      rating: null,
      reviewCount: null,
    });
  });

  it('reads a way from its centre, with contact:* keys, ;-separated phones and the full address', () => {
    expect(placeFromElement(way, null)).toMatchObject({
      sourceId: 'way/987654321',
      name: 'Riyadh Smile Center',
      category: 'dentist',
      lat: 24.7301455,
      lon: 46.6489032,
      phones: ['+966 11 234 5678', '+966 50 765 4321'],
      website: 'http://riyadhsmile.example.com',
      email: 'info@riyadhsmile.example.com',
      socials: { instagram: 'https://instagram.com/riyadhsmile' },
      address: '7421 Olaya St, 12241 Riyadh',
      city: 'Riyadh',
    });
  });

  it('skips elements without a name', () => {
    expect(placeFromElement({ type: 'node', id: 1, lat: 1, lon: 2, tags: { amenity: 'dentist' } }, 'Dentist')).toBeNull();
  });

  it('makes a lead draft with an E.164 phone, further phones and social profiles in the notes', () => {
    const draft = placeToDraft(placeFromElement(way, 'Dentist')!, null);
    expect(draft).toMatchObject({
      source: 'osm',
      sourceId: 'way/987654321',
      phone: '+966112345678',
      website: 'http://riyadhsmile.example.com',
      notes: 'Other phones: +966507654321\nInstagram: https://instagram.com/riyadhsmile',
    });
  });

  it('passes on a phone nobody can dial as written (the lead keeps it, flagged), after any readable one', () => {
    const typo = placeFromElement({ type: 'node', id: 2, lat: 1, lon: 2, tags: { name: 'Typo Dental', phone: '12' } }, 'Dentist')!;
    expect(placeToDraft(typo, 'SA')).toMatchObject({ name: 'Typo Dental', phone: '12', notes: null });
    const both = placeFromElement({ type: 'node', id: 3, lat: 1, lon: 2, tags: { name: 'Two', phone: '12;0501234567' } }, 'Dentist')!;
    expect(placeToDraft(both, 'SA')).toMatchObject({ phone: '+966501234567', notes: 'Other phones: 12' });
  });

  it('keeps a website on an IP address (the crawler decides whether to visit it)', () => {
    const place = placeFromElement(
      { type: 'node', id: 5, lat: 1, lon: 2, tags: { name: 'IP Dental', website: 'http://192.0.2.10/' } },
      null,
    )!;
    expect(placeToDraft(place, 'SA').website).toBe('http://192.0.2.10/');
  });

  it('reads phones in the place’s own country before the searched area’s', () => {
    const dubai = placeFromElement(
      { type: 'node', id: 4, lat: 1, lon: 2, tags: { name: 'Dubai Dental', phone: '04 321 0000', 'addr:country': 'AE' } },
      'Dentist',
    )!;
    expect(placeToDraft(dubai, 'SA').phone).toBe('+97143210000');
  });
});

describe('reading Google places', () => {
  it('keeps rating, review count, international phone and website', () => {
    const [first, second] = fixtures.googleSearchText.places;
    expect(placeFromGoogle(first)).toMatchObject({
      source: 'google',
      sourceId: 'ChIJq1Y8mJ4DLz4R8kM5cT0aD2E',
      name: 'Smile Dental Clinic',
      category: 'dentist',
      phones: ['+966 11 456 7890'],
      website: 'https://www.smile-dental.example.sa/',
      rating: 4.6,
      reviewCount: 812,
    });
    expect(placeFromGoogle(second)?.website).toBeNull();
  });

  it('skips permanently closed businesses', () => {
    expect(placeFromGoogle({ ...fixtures.googleSearchText.places[0], businessStatus: 'CLOSED_PERMANENTLY' })).toBeNull();
  });
});

describe('stored secrets', () => {
  const secret = 'test-secret-test-secret-test-secret-0000';
  it('round-trip, differ on every encryption, and reveal nothing of the plaintext', () => {
    const a = encryptSecret(secret, 'google-places-key', 'AIzaSyExampleKey1234');
    const b = encryptSecret(secret, 'google-places-key', 'AIzaSyExampleKey1234');
    expect(a).not.toBe(b);
    expect(a).not.toContain('AIza');
    expect(decryptSecret(secret, 'google-places-key', a)).toBe('AIzaSyExampleKey1234');
  });

  it('refuse another secret, another purpose or a tampered value', () => {
    const sealed = encryptSecret(secret, 'google-places-key', 'AIzaSyExampleKey1234');
    expect(() => decryptSecret(`${secret}x`, 'google-places-key', sealed)).toThrow();
    expect(() => decryptSecret(secret, 'whatsapp', sealed)).toThrow();
    expect(() => decryptSecret(secret, 'google-places-key', `${sealed.slice(0, -2)}AA`)).toThrow();
  });
});
