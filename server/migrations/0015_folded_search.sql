ALTER TABLE "leads" drop column "search_text";--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "search_text" text GENERATED ALWAYS AS (translate(coalesce("leads"."name", '') || ' ' || coalesce("leads"."domain", '') || ' ' || coalesce("leads"."email", '') || ' ' || coalesce("leads"."phone", '') || ' ' || coalesce("leads"."city", '') || ' ' || coalesce("leads"."category", '') || ' ' || coalesce("leads"."phone_raw", '') || ' ' || coalesce("leads"."email_raw", '') || ' ' || coalesce("leads"."website_raw", ''), 'أإآٱىة٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹ـًٌٍَُِّْٰ', 'اااايه01234567890123456789')) STORED NOT NULL;--> statement-breakpoint
-- hand-written: dropping the column dropped its index and statistics target (0007, 0010).
CREATE INDEX "leads_search_trgm_idx" ON "leads" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
ALTER TABLE "leads" ALTER COLUMN "search_text" SET STATISTICS 300;
