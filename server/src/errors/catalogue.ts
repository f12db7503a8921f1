/** Every error the API can answer with: a stable code, its HTTP status and a default message. */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  UNAUTHENTICATED: { status: 401, title: 'Sign in to continue' },
  PLAN_LIMIT_EXCEEDED: { status: 402, title: 'Your plan does not allow this' },
  FORBIDDEN: { status: 403, title: 'Your role does not allow this' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  CONFLICT: { status: 409, title: 'This conflicts with existing data' },
  LAST_OWNER: { status: 409, title: 'A tenant must keep at least one owner' },
  ALREADY_MEMBER: { status: 409, title: 'This person is already a member' },
  INVITE_EXPIRED: { status: 410, title: 'This invitation has expired' },
  INVITE_EMAIL_MISMATCH: { status: 403, title: 'This invitation was sent to a different email address' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  THROTTLED: { status: 429, title: 'Too many attempts; try again later' },
  INTERNAL: { status: 500, title: 'Something went wrong on our side' },
  NOT_READY: { status: 503, title: 'The service is not ready' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export type FieldError = { field: string; message: string };

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
