CREATE TABLE "tenant_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"default_country" text,
	"google_places_key_enc" text,
	"scoring_weights" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"display_name" text,
	"brand_color" text,
	"contact_line" text,
	"report_language" text DEFAULT 'en' NOT NULL,
	"digits" text DEFAULT 'latin' NOT NULL,
	"logo" "bytea",
	"logo_content_type" text,
	"logo_updated_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_settings_report_language_check" CHECK ("tenant_settings"."report_language" in ('en', 'ar')),
	CONSTRAINT "tenant_settings_digits_check" CHECK ("tenant_settings"."digits" in ('latin', 'arabic-indic')),
	CONSTRAINT "tenant_settings_brand_color_check" CHECK ("tenant_settings"."brand_color" ~ '^#[0-9a-f]{6}$'),
	CONSTRAINT "tenant_settings_logo_check" CHECK (("tenant_settings"."logo" is null) = ("tenant_settings"."logo_content_type" is null) and ("tenant_settings"."logo" is null) = ("tenant_settings"."logo_updated_at" is null)),
	CONSTRAINT "tenant_settings_logo_size_check" CHECK (octet_length("tenant_settings"."logo") <= 1048576)
);
--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD CONSTRAINT "tenant_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Tenant settings are tenant data: the same row-level security as every other tenant table.
ALTER TABLE tenant_settings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
DROP POLICY IF EXISTS tenant_isolation ON tenant_settings;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON tenant_settings
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_settings TO optarget_app;
--> statement-breakpoint
-- Settings kept on tenants until now move here before their columns go.
INSERT INTO tenant_settings (tenant_id, default_country, google_places_key_enc, scoring_weights, display_name, brand_color)
SELECT id,
       nullif(settings ->> 'defaultCountry', ''),
       google_places_key_enc,
       CASE WHEN jsonb_typeof(settings -> 'scoringWeights') = 'object' THEN settings -> 'scoringWeights' ELSE '{}'::jsonb END,
       nullif(btrim(branding ->> 'displayName'), ''),
       CASE WHEN branding ->> 'color' ~ '^#[0-9a-fA-F]{6}$' THEN lower(branding ->> 'color') END
FROM tenants
WHERE settings <> '{}'::jsonb OR branding <> '{}'::jsonb OR google_places_key_enc IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "tenants" DROP COLUMN "branding";--> statement-breakpoint
ALTER TABLE "tenants" DROP COLUMN "settings";--> statement-breakpoint
ALTER TABLE "tenants" DROP COLUMN "google_places_key_enc";--> statement-breakpoint
ALTER TABLE "tenants" DROP COLUMN "whatsapp_credentials_enc";
