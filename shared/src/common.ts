import { z } from 'zod';

export const roles = ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const Uuid = z.uuid({ message: 'must be a valid id' });
export const Email = z
  .email({ message: 'must be a valid email address' })
  .max(254)
  .transform((e) => e.trim().toLowerCase());
export const Password = z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters');
export const IsoDate = z.iso.datetime({ offset: true });

export const PageQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const TenantParams = z.object({ tenantId: Uuid });

export const FieldError = z.object({ field: z.string(), message: z.string() });
export const ProblemDetails = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    code: z.string(),
    detail: z.string(),
    instance: z.string().optional(),
    fields: z.array(FieldError).optional(),
  })
  .loose();
export type ProblemDetails = z.infer<typeof ProblemDetails>;
