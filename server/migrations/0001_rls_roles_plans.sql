-- The role every tenant-scoped query runs as (SET LOCAL ROLE inside the transaction), so that
-- row-level security applies even when the connecting user owns the tables or is a superuser.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'optarget_app') THEN
    CREATE ROLE optarget_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('GRANT optarget_app TO %I', current_user);
EXCEPTION WHEN OTHERS THEN NULL; -- superusers need no grant; some managed hosts refuse self-grants of this kind
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO optarget_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO optarget_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO optarget_app;
--> statement-breakpoint
-- The audit log is append-only for the application.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_logs FROM optarget_app;
--> statement-breakpoint
-- Identity tables are reached only by the auth library and the system path, never in a tenant context.
REVOKE ALL ON users, sessions, accounts, verifications, two_factors, rate_limits, sign_in_failures, dev_outbox FROM optarget_app;
--> statement-breakpoint
GRANT SELECT (id, name, email, image, email_verified, created_at) ON users TO optarget_app;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['memberships','invites','usage_counters','audit_logs','jobs','job_logs','leads','evidence',
                           'lists','lead_lists','reports','whatsapp_templates','whatsapp_messages']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END $$;
--> statement-breakpoint
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON tenants
  USING (id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (id = nullif(current_setting('app.tenant_id', true), '')::uuid);
--> statement-breakpoint
INSERT INTO plans (code, name, seats, leads_stored, searches_per_month, results_per_search, enrichments_per_month,
                   reports_per_month, whatsapp_messages_per_month, price_cents, currency, sort_order) VALUES
  ('free',     'Free',     3,    500,     20,   100,  200,   20,   100,   0,     'USD', 1),
  ('pro',      'Pro',      10,   25000,   300,  500,  5000,  500,  5000,  4900,  'USD', 2),
  ('business', 'Business', 50,   1000000, 3000, 2000, 50000, 5000, 50000, 19900, 'USD', 3)
ON CONFLICT (code) DO NOTHING;
