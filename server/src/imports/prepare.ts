import { and, eq } from 'drizzle-orm';
import type { ImportLeadsInput } from '@optarget/shared';
import { lists } from '../db/schema/index.js';
import { AppError } from '../errors/catalogue.js';
import type { PrepareContext } from '../jobs/definitions.js';
import { isCountryCode } from '../leads/country.js';
import { findUploadForTenant } from './uploads.js';

/** Before an import exists: the upload and the target list are the tenant's, the mapping fits the file, the country is known. */
export async function prepareImport(ctx: PrepareContext, input: ImportLeadsInput) {
  if (input.defaultCountry && !isCountryCode(input.defaultCountry)) {
    throw new AppError('VALIDATION_FAILED', `defaultCountry: ${input.defaultCountry} is not a country we know.`, {
      fields: [{ field: 'defaultCountry', message: 'is not a known country code', rule: 'countryCode' }],
    });
  }
  const upload = await findUploadForTenant(ctx.tx, ctx.tenantId, input.uploadId);
  const outside = Object.keys(input.mapping).filter((column) => Number(column) >= upload.headers.length);
  if (outside.length) {
    const message = `the file has ${upload.headers.length} columns; column ${outside[0]} does not exist`;
    throw new AppError('VALIDATION_FAILED', `mapping: ${message}`, {
      fields: [
        { field: 'mapping', message, rule: 'mapColumn', params: { columns: upload.headers.length, column: Number(outside[0]) + 1 } },
      ],
    });
  }
  if (input.listId) {
    const [list] = await ctx.tx
      .select({ id: lists.id })
      .from(lists)
      .where(and(eq(lists.tenantId, ctx.tenantId), eq(lists.id, input.listId)));
    if (!list) throw new AppError('NOT_FOUND', 'No such list.');
  }
}
