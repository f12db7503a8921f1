ALTER TABLE "jobs" ADD COLUMN "queue" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "lease_token" uuid;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "lease_expires_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "jobs_lease_idx" ON "jobs" USING btree ("queue","lease_expires_at") WHERE "jobs"."lease_expires_at" is not null;