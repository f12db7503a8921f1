import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { TenantParams, TenantSettings, UpdateTenantSettingsBody } from '@optarget/shared';
import { tenants } from '../db/schema/index.js';
import type { Tx } from '../db/transactions.js';
import { AppError } from '../errors/catalogue.js';
import { recordAudit } from '../audit/record.js';
import { tenantRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { isCountryCode } from './normalise.js';

/** The country assumed for phone numbers typed without a country code (null when the tenant has not chosen one). */
export async function findDefaultCountry(tx: Tx, tenantId: string): Promise<string | null> {
  const [row] = await tx.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId));
  return row?.settings.defaultCountry ?? null;
}

export function registerTenantSettingsRoutes(app: FastifyInstance, services: Services) {
  const tags = ['tenants'];
  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/settings',
    summary: "The tenant's data settings (default country for phone numbers)",
    tags,
    permission: 'tenant.read',
    schema: { params: TenantParams, response: { 200: TenantSettings } },
    handler: async ({ tx, tenantId }) => ({ defaultCountry: await findDefaultCountry(tx, tenantId) }),
  });

  tenantRoute(app, services, {
    method: 'PATCH',
    url: '/api/v1/tenants/:tenantId/settings',
    summary: 'Change the default country used to read phone numbers',
    tags,
    permission: 'settings.manage',
    schema: { params: TenantParams, body: UpdateTenantSettingsBody, response: { 200: TenantSettings } },
    handler: async ({ tx, tenantId, actor }, { body }) => {
      if (body.defaultCountry !== null && !isCountryCode(body.defaultCountry)) {
        throw new AppError('VALIDATION_FAILED', `defaultCountry: ${body.defaultCountry} is not a country we know.`, {
          fields: [{ field: 'defaultCountry', message: 'is not a known country code' }],
        });
      }
      const [before] = await tx.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId));
      const settings = { ...before.settings, defaultCountry: body.defaultCountry ?? undefined };
      await tx.update(tenants).set({ settings }).where(eq(tenants.id, tenantId));
      await recordAudit(tx, tenantId, actor, {
        action: 'tenant.settings_changed',
        targetType: 'tenant',
        targetId: tenantId,
        metadata: { before: { defaultCountry: before.settings.defaultCountry ?? null }, after: { defaultCountry: body.defaultCountry } },
      });
      return { defaultCountry: body.defaultCountry };
    },
  });
}
