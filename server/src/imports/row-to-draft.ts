import { leadStatuses, type ImportLeadsInput, type LeadStatus } from '@optarget/shared';
import type { LeadDraft } from '../leads/upsert.js';

type Mapping = ImportLeadsInput['mapping'];

const numberPattern = /^[-+]?\d+(?:[.,]\d+)?$/;

function toNumber(header: string, raw: string, range?: [number, number]): number {
  if (!numberPattern.test(raw)) throw new RowError(`${header}: "${raw}" is not a number`);
  const n = Number(raw.replace(',', '.'));
  if (range && (n < range[0] || n > range[1])) throw new RowError(`${header}: ${raw} is outside ${range[0]} to ${range[1]}`);
  return n;
}

class RowError extends Error {}

/**
 * Reads CSV rows as lead drafts through the chosen mapping: each row becomes a draft, or the reason
 * it cannot be one. Empty cells leave the field unset; contact fields are normalised later by
 * upsertLeads. The mapping is worked out once, not per row.
 */
export function draftReader(headers: string[], mapping: Mapping): (cells: string[]) => LeadDraft | string {
  const columns = Object.entries(mapping).map(([column, field]) => ({
    at: Number(column),
    field,
    header: headers[Number(column)] || `column ${Number(column) + 1}`,
  }));
  return (cells) => rowToDraft(cells, headers.length, columns);
}

function rowToDraft(cells: string[], width: number, columns: { at: number; field: Mapping[string]; header: string }[]): LeadDraft | string {
  if (cells.length !== width) return `expected ${width} columns, found ${cells.length}`;
  const draft: LeadDraft = { name: '', source: 'csv' };
  try {
    for (const { at, field, header } of columns) {
      const raw = cells[at]?.trim() ?? '';
      if (raw === '') continue;
      switch (field) {
        case 'lat':
          draft.lat = toNumber(header, raw, [-90, 90]);
          break;
        case 'lon':
          draft.lon = toNumber(header, raw, [-180, 180]);
          break;
        case 'rating':
          draft.rating = toNumber(header, raw);
          break;
        case 'reviewCount':
          draft.reviewCount = Math.round(toNumber(header, raw.replace(/[,\s]/g, '')));
          break;
        case 'tags':
          draft.tags = raw
            .split(/[,;|]/)
            .map((t) => t.trim().slice(0, 50))
            .filter(Boolean);
          break;
        case 'status': {
          const status = raw.toUpperCase();
          if (!(leadStatuses as readonly string[]).includes(status))
            throw new RowError(`${header}: "${raw}" is not one of ${leadStatuses.join(', ')}`);
          draft.status = status as LeadStatus;
          break;
        }
        default:
          draft[field] = raw;
      }
    }
  } catch (err) {
    if (err instanceof RowError) return err.message;
    throw err;
  }
  return draft;
}
