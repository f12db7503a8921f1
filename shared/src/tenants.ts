import { z } from 'zod';
import { IsoDate, Role, Text, Uuid } from './common.js';

export const Membership = z.object({
  tenantId: Uuid,
  name: z.string(),
  slug: z.string(),
  role: Role,
  planCode: z.string(),
});
export type Membership = z.infer<typeof Membership>;

export const Me = z.object({
  user: z.object({
    id: Uuid,
    name: z.string(),
    email: z.string(),
    emailVerified: z.boolean(),
    twoFactorEnabled: z.boolean(),
    createdAt: IsoDate,
  }),
  memberships: z.array(Membership),
});
export type Me = z.infer<typeof Me>;

export const TenantName = Text.trim().min(2, 'must be at least 2 characters').max(100, 'must be at most 100 characters');

export const CreateTenantBody = z.object({ name: TenantName });
export const UpdateTenantBody = z.object({ name: TenantName });

export const Tenant = z.object({
  id: Uuid,
  name: z.string(),
  slug: z.string(),
  planCode: z.string(),
  createdAt: IsoDate,
});
export type Tenant = z.infer<typeof Tenant>;
