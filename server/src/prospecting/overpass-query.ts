import type { Category } from './categories.js';

/** Where to search: a geocoded OSM area, a bounding box, or a circle around a point. Always bounded. */
export type SearchArea =
  | { kind: 'area'; areaId: number }
  | { kind: 'bbox'; south: number; west: number; north: number; east: number }
  | { kind: 'around'; lat: number; lon: number; radiusMeters: number };

/** What to search for: the category's tags, or (no category matched) a case-insensitive name match. */
export type SearchWhat = { category: Category } | { name: string };

const RELATION_AREA_BASE = 3_600_000_000;
const WAY_AREA_BASE = 2_400_000_000;

/** Overpass derives areas from relations and closed ways; nodes have none, so they fall back to a box. */
export function areaIdFor(osmType: string, osmId: number): number | null {
  if (osmType === 'relation') return RELATION_AREA_BASE + osmId;
  if (osmType === 'way') return WAY_AREA_BASE + osmId;
  return null;
}

/** A string literal in Overpass QL: backslashes and quotes escaped. */
const qlString = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The user's words as a regular expression that matches them literally. */
const literalRegex = (text: string) => text.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function buildOverpassQuery(what: SearchWhat, area: SearchArea, limit: number): string {
  const lines = ['[out:json][timeout:25];'];
  let filter: string;
  switch (area.kind) {
    case 'area':
      lines.push(`area(id:${area.areaId})->.searchArea;`);
      filter = '(area.searchArea)';
      break;
    case 'bbox':
      filter = `(${area.south},${area.west},${area.north},${area.east})`;
      break;
    case 'around':
      filter = `(around:${Math.round(area.radiusMeters)},${area.lat},${area.lon})`;
      break;
  }
  const selectors =
    'category' in what
      ? what.category.osm.map(([key, value]) => `[${qlString(key)}=${qlString(value)}]`)
      : [`[${qlString('name')}~${qlString(literalRegex(what.name))},i]`];
  lines.push('(', ...selectors.map((s) => `  nwr${s}${filter};`), ');', `out center ${Math.max(1, Math.floor(limit))};`);
  return lines.join('\n');
}
