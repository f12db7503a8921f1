import type { ImportUpload } from '@optarget/shared';

type Field = ImportUpload['suggestedMapping'][string];

/**
 * Header names that mean a lead field, best first, as they appear in Apollo, HubSpot and Google Maps
 * exports and in Arabic sheets. Order matters when a file has several candidates: Apollo's person
 * "Title" must lose to its "Company", Google Maps' place link "url" to its "website".
 */
const synonyms: Record<Field, string[]> = {
  name: [
    'name',
    'company name',
    'company',
    'account name',
    'organization',
    'organisation',
    'business name',
    'الاسم',
    'اسم الشركة',
    'title',
  ],
  phone: [
    'phone',
    'phone number',
    'company phone',
    'corporate phone',
    'work phone',
    'telephone',
    'mobile',
    'mobile phone',
    'first phone',
    'الهاتف',
    'رقم الهاتف',
    'الجوال',
  ],
  email: ['email', 'email address', 'work email', 'البريد الإلكتروني'],
  website: ['website', 'company website', 'website url', 'company domain name', 'domain', 'url', 'الموقع الإلكتروني', 'الموقع'],
  address: ['address', 'full address', 'street address', 'company address', 'street', 'العنوان'],
  city: ['city', 'locality', 'company city', 'المدينة'],
  country: ['country', 'country/region', 'company country', 'country code', 'الدولة', 'البلد'],
  category: ['category', 'category name', 'industry', 'type', 'التصنيف', 'الفئة'],
  lat: ['latitude', 'lat', 'location/lat'],
  lon: ['longitude', 'lng', 'lon', 'location/lng'],
  tags: ['tags', 'labels'],
  notes: ['notes', 'description', 'ملاحظات'],
  rating: ['rating', 'total score', 'stars'],
  reviewCount: ['reviews', 'reviews count', 'review count', 'number of reviews'],
  // OpTarget's own export names these `source_id`, `source` and `id`, so it imports back onto the same leads.
  sourceId: ['source id', 'place id'],
  source: ['source'],
  id: ['id', 'lead id'],
  // Never guessed: a "Status" column in an export rarely holds our pipeline statuses.
  status: [],
};

/** Case, spaces, underscores, dashes, slashes and dots do not matter; nor do Arabic diacritics, tatweel or hamza forms of alef. */
export function normaliseHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\u064B-\u065F\u0670\u0640]/g, '')
    .replace(/[أإآ]/g, 'ا')
    .replace(/[\s_\-./#]+/g, '');
}

const rankByHeader = new Map<string, { field: Field; rank: number }>();
for (const [field, names] of Object.entries(synonyms) as [Field, string[]][]) {
  names.forEach((name, rank) => {
    const key = normaliseHeader(name);
    if (!rankByHeader.has(key)) rankByHeader.set(key, { field, rank });
  });
}

/** Column index (as a string) → field, at most one column per field: the best-ranked name, then the leftmost. */
export function suggestMapping(headers: string[]): Record<string, Field> {
  const chosen = new Map<Field, { column: number; rank: number }>();
  headers.forEach((header, column) => {
    const hit = rankByHeader.get(normaliseHeader(header));
    if (!hit) return;
    const current = chosen.get(hit.field);
    if (!current || hit.rank < current.rank) chosen.set(hit.field, { column, rank: hit.rank });
  });
  const mapping: Record<string, Field> = {};
  for (const [field, { column }] of [...chosen].sort((a, b) => a[1].column - b[1].column)) mapping[String(column)] = field;
  return mapping;
}
