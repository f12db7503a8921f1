CREATE INDEX "leads_tenant_name_idx" ON "leads" USING btree ("tenant_id","name","id");--> statement-breakpoint
CREATE INDEX "leads_tenant_updated_idx" ON "leads" USING btree ("tenant_id","updated_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "leads_tenant_rating_desc_idx" ON "leads" USING btree ("tenant_id","rating" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "leads_tenant_rating_asc_idx" ON "leads" USING btree ("tenant_id","rating","id");--> statement-breakpoint
CREATE INDEX "leads_tenant_city_lower_idx" ON "leads" USING btree ("tenant_id",lower("city"));