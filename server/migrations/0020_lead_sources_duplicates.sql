CREATE TABLE "lead_duplicates" (
	"tenant_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"other_lead_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"similarity" real,
	"distance_m" real,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_duplicates_lead_id_other_lead_id_pk" PRIMARY KEY("lead_id","other_lead_id"),
	CONSTRAINT "lead_duplicates_pair_check" CHECK ("lead_duplicates"."lead_id" <> "lead_duplicates"."other_lead_id")
);
--> statement-breakpoint
CREATE TABLE "lead_merges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"merged_lead_id" uuid NOT NULL,
	"kept_lead_id" uuid NOT NULL,
	"snapshot" jsonb NOT NULL,
	"merged_by_user_id" uuid,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lead_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"source" "lead_source" NOT NULL,
	"source_id" text,
	"fields" text[] DEFAULT '{}'::text[] NOT NULL,
	"job_id" uuid,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "leads" DROP CONSTRAINT "leads_possible_duplicate_of_leads_id_fk";
--> statement-breakpoint
DROP INDEX "leads_possible_duplicate_idx";--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "name_key" text GENERATED ALWAYS AS (btrim(regexp_replace(lower(translate("leads"."name", 'أإآٱىة٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹ـًٌٍَُِّْٰ', 'اااايه01234567890123456789')), '\s+', ' ', 'g'))) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "lead_duplicates" ADD CONSTRAINT "lead_duplicates_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_duplicates" ADD CONSTRAINT "lead_duplicates_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_duplicates" ADD CONSTRAINT "lead_duplicates_other_lead_id_leads_id_fk" FOREIGN KEY ("other_lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_merges" ADD CONSTRAINT "lead_merges_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_merges" ADD CONSTRAINT "lead_merges_kept_lead_id_leads_id_fk" FOREIGN KEY ("kept_lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_merges" ADD CONSTRAINT "lead_merges_merged_by_user_id_users_id_fk" FOREIGN KEY ("merged_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_sources" ADD CONSTRAINT "lead_sources_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_sources" ADD CONSTRAINT "lead_sources_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_sources" ADD CONSTRAINT "lead_sources_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lead_duplicates_other_idx" ON "lead_duplicates" USING btree ("other_lead_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lead_merges_merged_key" ON "lead_merges" USING btree ("tenant_id","merged_lead_id");--> statement-breakpoint
CREATE INDEX "lead_merges_kept_idx" ON "lead_merges" USING btree ("kept_lead_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lead_sources_lead_key" ON "lead_sources" USING btree ("lead_id","source",coalesce("source_id", ''));--> statement-breakpoint
CREATE UNIQUE INDEX "lead_sources_place_key" ON "lead_sources" USING btree ("tenant_id","source","source_id") WHERE "lead_sources"."source_id" is not null;--> statement-breakpoint
CREATE INDEX "lead_sources_job_idx" ON "lead_sources" USING btree ("job_id") WHERE "lead_sources"."job_id" is not null;--> statement-breakpoint
CREATE INDEX "leads_tenant_name_key_idx" ON "leads" USING btree ("tenant_id","name_key");--> statement-breakpoint
CREATE INDEX "leads_tenant_lat_idx" ON "leads" USING btree ("tenant_id","lat") WHERE "leads"."lat" is not null;
--> statement-breakpoint
-- hand-written: row-level security for the new tenant tables, the near-duplicate rule, and the
-- backfill of each lead's one source and its duplicate mark (read before that column is dropped).
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['lead_sources','lead_duplicates','lead_merges']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO optarget_app', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- Flags the given leads (all the tenant's when null) against the tenant's others as possible
-- duplicates: trigram-similar folded names (`name_key`, >= 0.5) within 250 m, or, where either
-- lacks coordinates, the same folded name in the same city. Pairs are written both ways; returns the leads newly flagged.
CREATE OR REPLACE FUNCTION flag_near_duplicates(p_tenant uuid, p_leads uuid[]) RETURNS SETOF uuid
  LANGUAGE sql
  AS $f$
  WITH located AS (
    SELECT n.id AS a, o.id AS b,
      similarity(n.name_key, o.name_key) AS sim,
      2 * 6371000 * asin(least(1, sqrt(power(sin(radians(o.lat - n.lat) / 2), 2)
        + cos(radians(n.lat)) * cos(radians(o.lat)) * power(sin(radians(o.lon - n.lon) / 2), 2)))) AS dist
    FROM leads n
    JOIN leads o ON o.tenant_id = n.tenant_id AND o.id <> n.id AND o.lat IS NOT NULL
      AND o.lat BETWEEN n.lat - 0.0025 AND n.lat + 0.0025
      AND o.lon BETWEEN n.lon - 0.0025 / greatest(cos(radians(n.lat)), 0.01) AND n.lon + 0.0025 / greatest(cos(radians(n.lat)), 0.01)
    WHERE n.tenant_id = p_tenant AND n.lat IS NOT NULL AND n.lon IS NOT NULL AND (p_leads IS NULL OR n.id = ANY(p_leads))
  ), unlocated AS (
    SELECT n.id AS a, o.id AS b, 1::real AS sim, NULL::float8 AS dist
    FROM leads n
    JOIN leads o ON o.tenant_id = n.tenant_id AND o.name_key = n.name_key AND o.id <> n.id
      AND lower(o.city) = lower(n.city) AND (n.lat IS NULL OR o.lat IS NULL)
    WHERE n.tenant_id = p_tenant AND n.city IS NOT NULL AND (p_leads IS NULL OR n.id = ANY(p_leads))
  ), near AS (
    SELECT a, b, sim, dist FROM located WHERE sim >= 0.5 AND dist <= 250
    UNION ALL SELECT a, b, sim, dist FROM unlocated
  ), added AS (
    INSERT INTO lead_duplicates (tenant_id, lead_id, other_lead_id, reason, similarity, distance_m)
    SELECT p_tenant, x.l, x.o, 'name', near.sim, near.dist FROM near CROSS JOIN LATERAL (VALUES (a, b), (b, a)) AS x(l, o)
    ON CONFLICT DO NOTHING RETURNING lead_id
  )
  SELECT DISTINCT lead_id FROM added
$f$;
--> statement-breakpoint
INSERT INTO lead_sources (tenant_id, lead_id, source, source_id, fields, first_seen_at, last_seen_at)
SELECT tenant_id, id, source, source_id,
  array(SELECT f FROM unnest(ARRAY[
    'name',
    CASE WHEN category IS NOT NULL THEN 'category' END,
    CASE WHEN address IS NOT NULL THEN 'address' END,
    CASE WHEN city IS NOT NULL THEN 'city' END,
    CASE WHEN country IS NOT NULL THEN 'country' END,
    CASE WHEN lat IS NOT NULL THEN 'location' END,
    CASE WHEN phone IS NOT NULL THEN 'phone' END,
    CASE WHEN email IS NOT NULL THEN 'email' END,
    CASE WHEN website IS NOT NULL THEN 'website' END,
    CASE WHEN rating IS NOT NULL THEN 'rating' END
  ]) AS f WHERE f IS NOT NULL AND NOT (f = ANY(edited_fields))),
  created_at, created_at
FROM leads;
--> statement-breakpoint
INSERT INTO lead_duplicates (tenant_id, lead_id, other_lead_id, reason)
SELECT l.tenant_id, x.l, x.o, 'domain'
FROM leads l CROSS JOIN LATERAL (VALUES (l.id, l.possible_duplicate_of), (l.possible_duplicate_of, l.id)) AS x(l, o)
WHERE l.possible_duplicate_of IS NOT NULL
ON CONFLICT DO NOTHING;
--> statement-breakpoint
ALTER TABLE "leads" DROP COLUMN "possible_duplicate_of";
--> statement-breakpoint
SELECT count(*) FROM tenants CROSS JOIN LATERAL flag_near_duplicates(tenants.id, NULL) AS f;
