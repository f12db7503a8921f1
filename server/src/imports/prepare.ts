import { and, eq } from 'drizzle-orm';
import type { ImportLeadsInput } from '@optarget/shared';
import { lists } from '../db/schema/index.js';
import { AppError } from '../errors/catalogue.js';
import type { PrepareContext } from '../jobs/definitions.js';
import { findUploadForTenant } from './uploads.js';

/** Before an import exists: the upload and the target list are the tenant's, and the mapping fits the file. */
export async function prepareImport(ctx: PrepareContext, input: ImportLeadsInput) {
  const upload = await findUploadForTenant(ctx.tx, ctx.tenantId, input.uploadId);
  const outside = Object.keys(input.mapping).filter((column) => Number(column) >= upload.headers.length);
  if (outside.length) {
    const message = `the file has ${upload.headers.length} columns; column ${outside[0]} does not exist`;
    throw new AppError('VALIDATION_FAILED', `mapping: ${message}`, { fields: [{ field: 'mapping', message }] });
  }
  if (input.listId) {
    const [list] = await ctx.tx
      .select({ id: lists.id })
      .from(lists)
      .where(and(eq(lists.tenantId, ctx.tenantId), eq(lists.id, input.listId)));
    if (!list) throw new AppError('NOT_FOUND', 'No such list.');
  }
}
