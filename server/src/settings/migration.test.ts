import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder, openDatabase } from '../db/client.js';

// The settings that lived on `tenants` before tenant_settings existed must survive the move.
describe('the tenant_settings migration', () => {
  const before = mkdtempSync(path.join(os.tmpdir(), 'optarget-migrations-'));
  afterAll(() => rmSync(before, { recursive: true, force: true }));

  // Two full migration runs on a fresh embedded database: slow on a busy machine.
  it('moves the default country, weights, Google key and branding of existing tenants, and only theirs', { timeout: 120_000 }, async () => {
    cpSync(migrationsFolder, before, { recursive: true });
    const journalFile = path.join(before, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
    const at = journal.entries.findIndex((e) => e.tag.endsWith('_tenant_settings'));
    writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));

    const database = await openDatabase({ dataDir: 'memory://' });
    try {
      await migrate(database.db as never, { migrationsFolder: before });
      await database.executeSql(`
        insert into tenants (id, name, slug, settings, branding, google_places_key_enc) values
          ('00000000-0000-4000-8000-000000000001', 'Configured', 'configured',
           '{"defaultCountry":"SA","scoringWeights":{"NO_HTTPS":40}}', '{"displayName":" Growth ","color":"#0B7285"}', 'v1.sealed'),
          ('00000000-0000-4000-8000-000000000002', 'Untouched', 'untouched', '{}', '{}', null)`);
      await migrate(database.db as never, { migrationsFolder });
      const { rows } = await database.executeSql(
        `select tenant_id, default_country, scoring_weights, google_places_key_enc, display_name, brand_color, report_language, digits
         from tenant_settings`,
      );
      expect(rows).toEqual([
        {
          tenant_id: '00000000-0000-4000-8000-000000000001',
          default_country: 'SA',
          scoring_weights: { NO_HTTPS: 40 },
          google_places_key_enc: 'v1.sealed',
          display_name: 'Growth',
          brand_color: '#0b7285',
          report_language: 'en',
          digits: 'latin',
        },
      ]);
      const { rows: columns } = await database.executeSql(
        `select column_name from information_schema.columns where table_name = 'tenants' order by column_name`,
      );
      expect(columns.map((c) => c.column_name)).toEqual(['created_at', 'id', 'name', 'plan_code', 'slug', 'updated_at']);
    } finally {
      await database.close();
    }
  });
});
