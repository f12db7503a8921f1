import type { LeadViewLayout } from '@optarget/shared';
import { sql } from 'drizzle-orm';
import { boolean, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { users } from './identity.js';
import { tenantId } from './work.js';

/** Named lead-table layouts a user saved, private to them unless shared with the team. */
export const leadViews = pgTable(
  'lead_views',
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    shared: boolean('shared').notNull().default(false),
    layout: jsonb('layout').$type<LeadViewLayout>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('lead_views_author_name_key').on(t.tenantId, t.userId, sql`lower(${t.name})`)],
);
