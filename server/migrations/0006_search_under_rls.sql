-- Text search on leads uses ILIKE through the trigram index. Under row-level security PostgreSQL
-- may only use an index for an operator whose function is LEAKPROOF; otherwise every search scans
-- the whole table. texticlike's only possible errors depend on the pattern the query supplies,
-- never on row data, so nothing of another tenant can leak through it. Marking it needs a
-- superuser: where the migration user is not one (some managed hosts), search still works, slower.
DO $$
BEGIN
  ALTER FUNCTION texticlike(text, text) LEAKPROOF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'texticlike could not be marked LEAKPROOF; lead text search will not use its index under row-level security';
END $$;
