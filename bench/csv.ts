import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify, type Stringifier } from 'csv-stringify';
import { csvWriteOptions } from '@optarget/shared';
import { arabicFirst, arabicSecond, categories, cities, latinFirst, latinSecond, streets, tagPool } from './seed-data.js';

/** Deterministic PRNG (mulberry32), so every run imports the same rows. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(items: readonly T[], r: number) => items[Math.floor(r * items.length)];

/** One import row: what a user's spreadsheet holds, and the same lead as the `leads` table stores it. */
type GeneratedLead = {
  name: string;
  category: string;
  address: string;
  city: string;
  country: string;
  /** As typed, with spaces; the COPY file gets it without them (E.164). */
  phone: string;
  email: string;
  website: string;
  domain: string;
  tags: string[];
  status: string;
  rating: string;
};

function generateLead(i: number, random: () => number): GeneratedLead {
  const arabic = random() < 0.25;
  const first = arabic ? pick(arabicFirst, random()) : pick(latinFirst, random());
  const second = arabic ? pick(arabicSecond, random()) : pick(latinSecond, random());
  const [city, country] = cities[Math.floor(random() ** 2 * cities.length)];
  // Distinct numbers for distinct rows (7919 is prime to 10^7), valid Saudi or Emirati mobiles.
  const local = String((i * 7919) % 10_000_000).padStart(7, '0');
  const saudi = i % 2 === 0;
  const prefix = saudi ? '+966 55' : '+971 50';
  const hasSite = random() < 0.7;
  const slug = arabic ? `biz${i}` : `${first}${second}`.toLowerCase().replace(/\s+/g, '') + i;
  const tagDraw = random();
  return {
    name: `${first} ${second}`,
    category: pick(categories, random()),
    address: `${1 + Math.floor(random() * 250)} ${pick(streets, random())}`,
    city,
    country,
    phone: random() < 0.85 ? `${prefix} ${local.slice(0, 3)} ${local.slice(3)}` : '',
    email: random() < 0.45 ? (hasSite ? `info@${slug}.com` : `contact${i}@gmail.com`) : '',
    website: hasSite ? `https://www.${slug}.com/` : '',
    domain: hasSite ? `${slug}.com` : '',
    tags: tagDraw < 0.7 ? [] : tagDraw < 0.9 ? [pick(tagPool, random())] : [pick(tagPool, random()), pick(tagPool, random())],
    status: random() < 0.8 ? 'NEW' : 'CONTACTED',
    rating: random() < 0.5 ? (1 + random() * 4).toFixed(1) : '',
  };
}

export const importHeaders = ['Name', 'Category', 'Address', 'City', 'Country', 'Phone', 'Email', 'Website', 'Tags', 'Status', 'Rating'];
/** CSV column index → lead field for the import's mapping step. */
export const importMapping: Record<string, string> = {
  '0': 'name',
  '1': 'category',
  '2': 'address',
  '3': 'city',
  '4': 'country',
  '5': 'phone',
  '6': 'email',
  '7': 'website',
  '8': 'tags',
  '9': 'status',
  '10': 'rating',
};
/** `leads` columns of the COPY baseline, in file order. */
export const copyColumns = [
  'tenant_id',
  'name',
  'category',
  'address',
  'city',
  'country',
  'phone',
  'email',
  'website',
  'domain',
  'source',
  'tags',
  'status',
  'rating',
];

async function write(stream: Stringifier, row: string[]) {
  if (!stream.write(row)) await once(stream, 'drain');
}

/**
 * Writes `rows` generated leads twice: as a spreadsheet export for the import endpoint (UTF-8,
 * header row) and as `leads` rows for COPY (normalised phone, domain, array literal for tags).
 */
export async function writeLeadFiles(rows: number, seed: number, importFile: string, copyFile: string, tenantId: string) {
  const random = prng(seed);
  // The import file is written as a user's spreadsheet export would be; the COPY file as PostgreSQL
  // reads CSV, where an unquoted empty cell is NULL and no cell may be altered.
  const csv = stringify(csvWriteOptions);
  const copy = stringify();
  const files = [once(csv.pipe(createWriteStream(importFile)), 'close'), once(copy.pipe(createWriteStream(copyFile)), 'close')];
  await write(csv, importHeaders);
  for (let i = 1; i <= rows; i++) {
    const l = generateLead(i, random);
    const e164 = l.phone.replace(/\s+/g, '');
    await write(csv, [l.name, l.category, l.address, l.city, l.country, l.phone, l.email, l.website, l.tags.join(';'), l.status, l.rating]);
    const tags = `{${l.tags.map((t) => `"${t}"`).join(',')}}`;
    await write(copy, [
      tenantId,
      l.name,
      l.category,
      l.address,
      l.city,
      l.country,
      e164,
      l.email,
      l.website,
      l.domain,
      'csv',
      tags,
      l.status,
      l.rating,
    ]);
  }
  csv.end();
  copy.end();
  await Promise.all(files);
}
