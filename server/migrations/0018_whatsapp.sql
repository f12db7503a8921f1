CREATE TYPE "public"."whatsapp_consent" AS ENUM('NONE', 'OPTED_IN', 'OPTED_OUT');--> statement-breakpoint
ALTER TYPE "public"."lead_source" ADD VALUE 'whatsapp';--> statement-breakpoint
CREATE TABLE "whatsapp_conversations" (
	"tenant_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"wa_id" text,
	"profile_name" text,
	"business_user_id" text,
	"consent" "whatsapp_consent" DEFAULT 'NONE' NOT NULL,
	"consent_source" text,
	"consent_at" timestamp with time zone,
	"consent_by_user_id" uuid,
	"consent_proof" text,
	"opt_out_reason" text,
	"last_inbound_at" timestamp with time zone,
	"last_message_at" timestamp with time zone,
	"unread_count" integer DEFAULT 0 NOT NULL,
	"assigned_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "whatsapp_conversations_tenant_id_lead_id_pk" PRIMARY KEY("tenant_id","lead_id"),
	CONSTRAINT "whatsapp_conversations_unread_check" CHECK ("whatsapp_conversations"."unread_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "whatsapp_webhook_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"body" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"note" text
);
--> statement-breakpoint
ALTER TABLE "whatsapp_messages" DROP CONSTRAINT "whatsapp_messages_wa_message_id_unique";--> statement-breakpoint
ALTER TABLE "whatsapp_messages" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "whatsapp_messages" ADD COLUMN "held" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "whatsapp_messages" ADD COLUMN "error_details" text;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "whatsapp_phone_number_id" text;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "whatsapp_business_account_id" text;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "whatsapp_access_token_enc" text;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "whatsapp_app_secret_enc" text;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "whatsapp_graph_version" text;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "whatsapp_verify_token_enc" text;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD CONSTRAINT "whatsapp_conversations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD CONSTRAINT "whatsapp_conversations_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD CONSTRAINT "whatsapp_conversations_consent_by_user_id_users_id_fk" FOREIGN KEY ("consent_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_conversations" ADD CONSTRAINT "whatsapp_conversations_assigned_user_id_users_id_fk" FOREIGN KEY ("assigned_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_webhook_events" ADD CONSTRAINT "whatsapp_webhook_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "whatsapp_conversations_activity_idx" ON "whatsapp_conversations" USING btree ("tenant_id","last_message_at" DESC NULLS LAST,"lead_id");--> statement-breakpoint
CREATE INDEX "whatsapp_webhook_events_pending_idx" ON "whatsapp_webhook_events" USING btree ("tenant_id","received_at") WHERE "whatsapp_webhook_events"."processed_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "whatsapp_messages_wa_id_key" ON "whatsapp_messages" USING btree ("tenant_id","wa_message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "whatsapp_messages_idempotency_key" ON "whatsapp_messages" USING btree ("tenant_id","idempotency_key");--> statement-breakpoint
-- hand-written
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['whatsapp_conversations','whatsapp_webhook_events']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END $$;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_conversations, whatsapp_webhook_events TO optarget_app;
