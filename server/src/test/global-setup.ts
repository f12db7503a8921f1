import { openDatabase, runMigrations } from '../db/client.js';

/** On PostgreSQL, apply migrations once before the test files run in parallel. */
export default async function setup() {
  const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) return;
  const database = await openDatabase({ url, dataDir: 'memory://' });
  try {
    await runMigrations(database);
  } finally {
    await database.close();
  }
}
