import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type Check = { measure: string; value: string; target: string; pass: boolean | null };

export function table(headers: string[], rows: string[][], alignRight: boolean[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    '| ' + cells.map((c, i) => (alignRight[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ') + ' |';
  return [
    line(headers),
    '|' + widths.map((w, i) => (alignRight[i] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|',
    ...rows.map(line),
  ].join('\n');
}

export const verdict = (pass: boolean | null) => (pass === null ? 'info' : pass ? 'PASS' : 'FAIL');

export function checksTable(checks: Check[]): string {
  return table(
    ['Measure', 'Value', 'Target', 'Result'],
    checks.map((c) => [c.measure, c.value, c.target, verdict(c.pass)]),
  );
}

/** Writes the full results next to the bench as bench/results/<timestamp>.json and returns the path. */
export function writeResults(results: unknown): string {
  const dir = path.join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  return file;
}
