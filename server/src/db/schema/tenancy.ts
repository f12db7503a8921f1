import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, ts, updatedAt } from './columns.js';
import { users } from './identity.js';

export const roleEnum = pgEnum('role', ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER']);

export const plans = pgTable('plans', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  seats: integer('seats').notNull(),
  leadsStored: integer('leads_stored').notNull(),
  searchesPerMonth: integer('searches_per_month').notNull(),
  resultsPerSearch: integer('results_per_search').notNull(),
  enrichmentsPerMonth: integer('enrichments_per_month').notNull(),
  reportsPerMonth: integer('reports_per_month').notNull(),
  whatsappMessagesPerMonth: integer('whatsapp_messages_per_month').notNull(),
  priceCents: integer('price_cents').notNull(),
  currency: text('currency').notNull().default('USD'),
  sortOrder: integer('sort_order').notNull().default(0),
});

export const tenants = pgTable('tenants', {
  id: id(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  planCode: text('plan_code')
    .notNull()
    .default('free')
    .references(() => plans.code),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const memberships = pgTable(
  'memberships',
  {
    id: id(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: roleEnum('role').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('memberships_user_tenant_key').on(t.userId, t.tenantId), index('memberships_tenant_idx').on(t.tenantId)],
);

export const invites = pgTable(
  'invites',
  {
    id: id(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: roleEnum('role').notNull(),
    /** SHA-256 of the emailed token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    invitedByUserId: uuid('invited_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: ts('expires_at').notNull(),
    acceptedAt: ts('accepted_at'),
    acceptedByUserId: uuid('accepted_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: ts('revoked_at'),
    lastSentAt: ts('last_sent_at').notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('invites_tenant_idx').on(t.tenantId, t.createdAt),
    // At most one open invite per address and tenant.
    uniqueIndex('invites_open_email_key')
      .on(t.tenantId, sql`lower(${t.email})`)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
  ],
);

export const usageCounters = pgTable(
  'usage_counters',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** Calendar month in UTC, `YYYY-MM`. */
    period: text('period').notNull(),
    metric: text('metric').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.period, t.metric] })],
);

export const auditLogs = pgTable(
  'audit_logs',
  {
    id: id(),
    /** Null only for security events of a person who belongs to no tenant (e.g. a failed sign-in for an unknown email). */
    tenantId: uuid('tenant_id').references(() => tenants.id, { onDelete: 'cascade' }),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    actorEmail: text('actor_email'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_logs_tenant_time_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index('audit_logs_tenant_action_idx').on(t.tenantId, t.action),
    index('audit_logs_tenant_target_idx').on(t.tenantId, t.targetType, t.targetId),
  ],
);
