import { leadStatuses, type ImportLeadsInput, type ImportRefusalReason, type LeadStatus } from '@optarget/shared';
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

/** Why a row cannot become a lead, for the error report and the result's counts. */
export type RowRefusal = { reason: ImportRefusalReason; error: string };

/** Sources whose ids a file may carry (an export of OpTarget's own); other rows are the file's own leads. */
const keptSources = new Set(['osm', 'google']);

/**
 * Reads CSV rows as lead drafts through the chosen mapping: each row becomes a draft, or the reason
 * it cannot be one. Empty cells leave the field unset; contact fields are read later by
 * upsertLeads, which keeps what it cannot read and flags it. The mapping is worked out once, not per row.
 */
export function draftReader(headers: string[], mapping: Mapping): (cells: string[]) => LeadDraft | RowRefusal {
  const columns = Object.entries(mapping).map(([column, field]) => ({
    at: Number(column),
    field,
    header: headers[Number(column)] || `column ${Number(column) + 1}`,
  }));
  return (cells) => rowToDraft(cells, headers.length, columns);
}

function rowToDraft(
  cells: string[],
  width: number,
  columns: { at: number; field: Mapping[string]; header: string }[],
): LeadDraft | RowRefusal {
  if (cells.length !== width) return { reason: 'columns', error: `expected ${width} columns, found ${cells.length}` };
  const draft: LeadDraft = { name: '', source: 'csv' };
  try {
    for (const { at, field, header } of columns) {
      // A spreadsheet-safe export (OpTarget's own among them) writes `'` before a leading = + - @: it is not part of the value.
      const raw = (cells[at]?.trim() ?? '').replace(/^'(?=[=+\-@])/, '');
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
        case 'id':
          draft.leadId = raw;
          break;
        case 'source':
          if (keptSources.has(raw.toLowerCase())) draft.source = raw.toLowerCase() as LeadDraft['source'];
          break;
        default:
          draft[field] = raw;
      }
    }
  } catch (err) {
    if (err instanceof RowError) return { reason: 'value', error: err.message };
    throw err;
  }
  if (!draft.name) return { reason: 'name', error: 'name: is required' };
  // A source without its id says nothing a later search could match: the lead is the file's own.
  if (!draft.sourceId) draft.source = 'csv';
  return draft;
}
