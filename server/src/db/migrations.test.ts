import { describe, expect, it } from 'vitest';
import { migrationsApplied, openDatabase, runMigrations } from './client.js';
import { testDatabaseUrl } from '../test/harness.js';

describe('migrations', () => {
  // On the embedded database three are created and migrated one after another, seconds each on a busy machine.
  it('apply once even when several processes start together, and report themselves applied', async () => {
    const databases = await Promise.all([1, 2, 3].map(() => openDatabase({ url: testDatabaseUrl, dataDir: 'memory://', poolSize: 2 })));
    try {
      if (testDatabaseUrl) await Promise.all(databases.map((d) => runMigrations(d)));
      else for (const d of databases) await runMigrations(d);
      for (const d of databases) expect(await migrationsApplied(d)).toBe(true);
      const { rows } = await databases[0].executeSql('select count(*)::int as n from plans', []);
      expect(rows[0].n).toBe(3);
    } finally {
      await Promise.all(databases.map((d) => d.close()));
    }
  }, 120_000);

  // A fresh, empty database is at hand only in embedded mode.
  it.runIf(!testDatabaseUrl)('report pending migrations on an empty database', async () => {
    const empty = await openDatabase({ dataDir: 'memory://' });
    try {
      expect(await migrationsApplied(empty)).toBe(false);
    } finally {
      await empty.close();
    }
  });
});
