ALTER TABLE "import_row_errors" ADD COLUMN "reason" text;--> statement-breakpoint
-- hand-written
-- Rows refused before the code was kept get it from their message, which each reason words its own way.
UPDATE "import_row_errors" SET "reason" = CASE
  WHEN "error" LIKE 'the row could not be read as CSV%' THEN 'unreadable'
  WHEN "error" LIKE 'expected % columns, found %' THEN 'columns'
  WHEN "error" = 'name: is required' THEN 'name'
  ELSE 'value'
END WHERE "reason" IS NULL;
