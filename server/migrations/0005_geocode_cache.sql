CREATE TABLE "geocode_cache" (
	"query" text PRIMARY KEY NOT NULL,
	"result" jsonb,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL
);
