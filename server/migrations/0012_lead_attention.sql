ALTER TABLE "leads" ADD COLUMN "phone_raw" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "email_raw" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "website_raw" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "possible_duplicate_of" uuid;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_possible_duplicate_of_leads_id_fk" FOREIGN KEY ("possible_duplicate_of") REFERENCES "public"."leads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "leads_tenant_phone_raw_idx" ON "leads" USING btree ("tenant_id") WHERE "leads"."phone_raw" is not null;--> statement-breakpoint
CREATE INDEX "leads_tenant_email_raw_idx" ON "leads" USING btree ("tenant_id") WHERE "leads"."email_raw" is not null;--> statement-breakpoint
CREATE INDEX "leads_tenant_website_raw_idx" ON "leads" USING btree ("tenant_id") WHERE "leads"."website_raw" is not null;--> statement-breakpoint
CREATE INDEX "leads_possible_duplicate_idx" ON "leads" USING btree ("possible_duplicate_of") WHERE "leads"."possible_duplicate_of" is not null;