CREATE TABLE "lead_duplicate_dismissals" (
	"tenant_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"other_lead_id" uuid NOT NULL,
	"marks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"dismissed_by_user_id" uuid,
	"dismissed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_duplicate_dismissals_lead_id_other_lead_id_pk" PRIMARY KEY("lead_id","other_lead_id"),
	CONSTRAINT "lead_duplicate_dismissals_order_check" CHECK ("lead_duplicate_dismissals"."lead_id" < "lead_duplicate_dismissals"."other_lead_id")
);
--> statement-breakpoint
DROP INDEX "lead_merges_merged_key";--> statement-breakpoint
ALTER TABLE "lead_merges" ADD COLUMN "merge_id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "lead_merges" ADD COLUMN "restore" jsonb;--> statement-breakpoint
ALTER TABLE "lead_merges" ADD COLUMN "kept_restore" jsonb;--> statement-breakpoint
ALTER TABLE "lead_merges" ADD COLUMN "undone_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lead_merges" ADD COLUMN "undone_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "lead_duplicate_dismissals" ADD CONSTRAINT "lead_duplicate_dismissals_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_duplicate_dismissals" ADD CONSTRAINT "lead_duplicate_dismissals_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_duplicate_dismissals" ADD CONSTRAINT "lead_duplicate_dismissals_other_lead_id_leads_id_fk" FOREIGN KEY ("other_lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_duplicate_dismissals" ADD CONSTRAINT "lead_duplicate_dismissals_dismissed_by_user_id_users_id_fk" FOREIGN KEY ("dismissed_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lead_duplicate_dismissals_other_idx" ON "lead_duplicate_dismissals" USING btree ("other_lead_id");--> statement-breakpoint
ALTER TABLE "lead_merges" ADD CONSTRAINT "lead_merges_undone_by_user_id_users_id_fk" FOREIGN KEY ("undone_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lead_merges_merge_idx" ON "lead_merges" USING btree ("tenant_id","merge_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lead_merges_merged_key" ON "lead_merges" USING btree ("tenant_id","merged_lead_id") WHERE "lead_merges"."undone_at" is null;--> statement-breakpoint
-- hand-written: row-level security for the dismissals, and the near-duplicate rule again (0020)
-- with two changes: a dismissed pair is never flagged, and each lead gets at most p_cap name
-- flags, the most similar (then closest) first, so a street of like-named shops stays bounded.
ALTER TABLE "lead_duplicate_dismissals" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "lead_duplicate_dismissals"
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "lead_duplicate_dismissals" TO optarget_app;
--> statement-breakpoint
DROP FUNCTION IF EXISTS flag_near_duplicates(uuid, uuid[]);
--> statement-breakpoint
CREATE FUNCTION flag_near_duplicates(p_tenant uuid, p_leads uuid[], p_cap int) RETURNS SETOF uuid
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
  ), pairs AS (
    SELECT DISTINCT ON (x.l, x.o) x.l, x.o, near.sim, near.dist
    FROM near CROSS JOIN LATERAL (VALUES (a, b), (b, a)) AS x(l, o)
    WHERE NOT EXISTS (SELECT 1 FROM lead_duplicates d WHERE d.lead_id = x.l AND d.other_lead_id = x.o)
      AND NOT EXISTS (SELECT 1 FROM lead_duplicate_dismissals s
        WHERE s.lead_id = least(x.l, x.o) AND s.other_lead_id = greatest(x.l, x.o))
    ORDER BY x.l, x.o, near.sim DESC
  ), ranked AS (
    SELECT p.l, p.o, p.sim, p.dist,
      row_number() OVER (PARTITION BY p.l ORDER BY p.sim DESC, p.dist ASC NULLS LAST, p.o) AS rank,
      (SELECT count(*) FROM lead_duplicates d WHERE d.lead_id = p.l AND d.reason = 'name') AS existing
    FROM pairs p
  ), added AS (
    INSERT INTO lead_duplicates (tenant_id, lead_id, other_lead_id, reason, similarity, distance_m)
    SELECT p_tenant, l, o, 'name', sim, dist FROM ranked WHERE rank + existing <= p_cap
    ON CONFLICT DO NOTHING RETURNING lead_id
  )
  SELECT DISTINCT lead_id FROM added
$f$;
