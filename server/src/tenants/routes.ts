import type { FastifyInstance } from 'fastify';
import { asc, eq } from 'drizzle-orm';
import { CreateTenantBody, Me, Tenant, TenantParams, UpdateTenantBody } from '@optarget/shared';
import { memberships, tenants } from '../db/schema/index.js';
import { inSystemTransaction } from '../db/transactions.js';
import { recordAudit } from '../audit/record.js';
import { tenantRoute, userRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { createTenantWithOwner } from './provision.js';

const tags = ['tenants'];

export const toTenantDto = (t: typeof tenants.$inferSelect) => ({
  id: t.id,
  name: t.name,
  slug: t.slug,
  planCode: t.planCode,
  createdAt: t.createdAt.toISOString(),
});

export function registerTenantRoutes(app: FastifyInstance, services: Services) {
  userRoute(app, services, {
    method: 'GET',
    url: '/api/v1/me',
    summary: 'The signed-in user and the tenants they belong to',
    tags,
    schema: { response: { 200: Me } },
    handler: async ({ session }) => {
      const rows = await inSystemTransaction(services.db, (tx) =>
        tx
          .select({ tenantId: tenants.id, name: tenants.name, slug: tenants.slug, role: memberships.role, planCode: tenants.planCode })
          .from(memberships)
          .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
          .where(eq(memberships.userId, session.user.id))
          .orderBy(asc(memberships.createdAt)),
      );
      return { user: { ...session.user, createdAt: session.user.createdAt.toISOString() }, memberships: rows };
    },
  });

  userRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants',
    summary: 'Create another tenant with yourself as owner',
    tags,
    status: 201,
    schema: { body: CreateTenantBody, response: { 201: Tenant } },
    handler: async ({ actor }, { body }) =>
      toTenantDto(await inSystemTransaction(services.db, (tx) => createTenantWithOwner(tx, body.name, actor))),
  });

  tenantRoute(app, services, {
    method: 'PATCH',
    url: '/api/v1/tenants/:tenantId',
    summary: 'Rename the tenant',
    tags,
    permission: 'tenant.rename',
    schema: { params: TenantParams, body: UpdateTenantBody, response: { 200: Tenant } },
    handler: async ({ tx, tenantId, actor }, { body }) => {
      const [before] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
      const [after] = await tx.update(tenants).set({ name: body.name }).where(eq(tenants.id, tenantId)).returning();
      await recordAudit(tx, tenantId, actor, {
        action: 'tenant.renamed',
        targetType: 'tenant',
        targetId: tenantId,
        metadata: { before: { name: before.name }, after: { name: after.name } },
      });
      return toTenantDto(after);
    },
  });
}
