import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { evidence } from '../db/schema/index.js';
import { insertLeads } from '../leads/test-helpers.js';
import type { SignedUpUser, TestApp } from '../test/harness.js';

export const reportsUrl = (tenantId: string, rest = '') => `/api/v1/tenants/${tenantId}/reports${rest}`;

/** Bidirectional control marks pdftotext adds around runs of the other direction. */
const BIDI_MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The text layer of a PDF and its page count, as Debian's poppler-utils read them. */
export function readPdf(pdf: Buffer): { text: string; pages: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'report-'));
  try {
    const file = path.join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    // poppler warns about typst's accessibility tags on stderr; only the text matters here.
    const read = (tool: string, args: string[]) => execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const text = read('pdftotext', ['-enc', 'UTF-8', file, '-']).replace(BIDI_MARKS, '');
    const info = read('pdfinfo', [file]);
    return { text, pages: Number(info.match(/^Pages:\s+(\d+)/m)?.[1]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Waits until the report's job has finished, and answers the report as the API shows it. */
export async function waitForReport(who: SignedUpUser, reportId: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await who.client.get(reportsUrl(who.tenantId, `/${reportId}`));
    if (res.status !== 200) throw new Error(`report ${reportId}: HTTP ${res.status}`);
    if (res.body.status === 'SUCCEEDED' || res.body.status === 'FAILED') return res.body;
    if (Date.now() > until) throw new Error(`report ${reportId} still ${res.body.status}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Generates a report through the API and waits for it. */
export async function generate(who: SignedUpUser, body: Record<string, unknown>) {
  const res = await who.client.post(reportsUrl(who.tenantId), body);
  if (res.status !== 201) throw new Error(`generate: HTTP ${res.status} ${res.text}`);
  return waitForReport(who, res.body.id);
}

export type EvidenceSeed = { kind: string; weight: number; params?: Record<string, string | number>; sourceUrl?: string; fetchedAt?: Date };

/** A checked lead with its evidence, written straight into the tables. */
export async function checkedLead(t: TestApp, tenantId: string, lead: Parameters<typeof insertLeads>[2][number], seeds: EvidenceSeed[]) {
  const score = Math.min(
    100,
    seeds.reduce((sum, s) => sum + Math.max(0, s.weight), 0),
  );
  const [row] = await insertLeads(t, tenantId, [
    { score, scoreBasis: { checkedAt: new Date().toISOString(), website: 'read', pagesRead: 3 }, ...lead },
  ]);
  if (seeds.length)
    await t.database.db.insert(evidence).values(
      seeds.map((s) => ({
        tenantId,
        leadId: row.id,
        kind: s.kind,
        weight: s.weight,
        params: s.params ?? {},
        sourceUrl: s.sourceUrl,
        fetchedAt: s.fetchedAt,
      })),
    );
  return row;
}
