CREATE TABLE "service_turns" (
	"service" text PRIMARY KEY NOT NULL,
	"holder" text,
	"held_until" timestamp with time zone,
	"next_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "params" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "proof_kind" text;--> statement-breakpoint
ALTER TABLE "evidence" ADD COLUMN "fetched_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "score_basis" jsonb;--> statement-breakpoint
-- Evidence recorded before findings had parameters: each row gets the parameters of its sentence,
-- read from the value and snippet it was stored with, and says what its snippet is where that is known.
UPDATE "evidence" SET
  "params" = jsonb_strip_nulls(CASE "kind"
    WHEN 'WEBSITE_MISSING' THEN CASE WHEN "value" IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('variant', 'social', 'url', "value") END
    WHEN 'NO_HTTPS' THEN CASE WHEN "snippet" ILIKE '%invalid certificate%' THEN '{"variant": "tls-fallback"}'::jsonb ELSE '{}'::jsonb END
    WHEN 'SLOW_RESPONSE' THEN CASE
      WHEN "value" ~ '^over \d+ ms$' THEN jsonb_build_object('variant', 'timeout', 'seconds', round(substring("value" from '(\d+)')::numeric / 1000, 1))
      WHEN "value" ~ '^\d+ ms$' THEN jsonb_build_object('seconds', round(substring("value" from '(\d+)')::numeric / 1000, 1))
      ELSE '{}'::jsonb END
    WHEN 'HEAVY_PAGE' THEN CASE
      WHEN "value" ~ '^over \d+ MB$' THEN jsonb_build_object('variant', 'truncated', 'mb', substring("value" from '(\d+)')::int)
      WHEN "value" ~ '^\d+ KB$' THEN jsonb_build_object('kb', substring("value" from '(\d+)')::int)
      ELSE '{}'::jsonb END
    WHEN 'EMAIL_FOUND' THEN jsonb_build_object('email', "value")
    WHEN 'PHONE_FOUND' THEN jsonb_build_object('phone', "value")
    WHEN 'SOCIAL_PROFILE' THEN jsonb_build_object('variant', "snippet", 'url', "value")
    WHEN 'NO_SOCIAL_PROFILES' THEN jsonb_build_object('pages', substring("snippet" from '(\d+) page')::int)
    WHEN 'TECHNOLOGY' THEN jsonb_build_object('product', "value")
    WHEN 'OUTDATED_COPYRIGHT' THEN jsonb_build_object('year', "value")
    WHEN 'LOW_RATING' THEN jsonb_build_object('rating', "value")
    WHEN 'FEW_REVIEWS' THEN jsonb_build_object('reviews', "value")
    ELSE '{}'::jsonb END),
  "snippet" = CASE WHEN "kind" = 'TLS_INVALID' THEN coalesce("snippet", "value") ELSE "snippet" END,
  "proof_kind" = CASE
    WHEN "kind" IN ('WEBSITE_MISSING', 'LOW_RATING', 'FEW_REVIEWS') THEN 'listing'
    WHEN "kind" IN ('WEBSITE_UNREACHABLE', 'TLS_INVALID') THEN 'error'
    WHEN "kind" IN ('EMAIL_FOUND', 'PHONE_FOUND', 'OUTDATED_COPYRIGHT') THEN 'text'
    END
WHERE "params" = '{}'::jsonb AND "proof_kind" IS NULL;
