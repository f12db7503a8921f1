import { auditCsvColumns } from '@optarget/shared';
import type { AuditRow } from './query.js';

/** Byte order mark, so spreadsheet programs open the file as UTF-8 (Arabic names stay readable). */
export const UTF8_BOM = '\uFEFF';

/**
 * One CSV cell. A value a spreadsheet would read as a formula (leading = + - @, tab or carriage
 * return) gets a leading apostrophe so opening the export never runs attacker-supplied formulas.
 */
export function csvCell(value: string | null): string {
  if (value === null || value === '') return '';
  const neutral = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(neutral) ? `"${neutral.replace(/"/g, '""')}"` : neutral;
}

export const csvLine = (cells: (string | null)[]) => `${cells.map(csvCell).join(',')}\r\n`;

export const auditCsvHeader = () => csvLine([...auditCsvColumns]);

export const auditCsvRow = (e: AuditRow) =>
  csvLine([
    e.createdAt,
    e.actor.email,
    e.actor.name,
    e.action,
    e.targetType,
    e.targetId,
    e.ipAddress,
    e.userAgent,
    JSON.stringify(e.metadata),
  ]);
