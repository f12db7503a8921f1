import { errorCatalogue, type ErrorCode } from '@optarget/shared';

export { errorCatalogue, type ErrorCode };

import type { FieldError } from '@optarget/shared';

export type { FieldError };

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly extra: { fields?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(message ?? errorCatalogue[code].title);
    this.status = errorCatalogue[code].status;
  }
}

export const notFound = (what = 'Not found') => new AppError('NOT_FOUND', what);
