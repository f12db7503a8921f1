/**
 * Every error the API can answer with: a stable code, its HTTP status and a default message. The web
 * app shows its own translation of the code (every code has one in each language).
 */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  INVALID_VALUE: { status: 400, title: 'A value in the request cannot be used' },
  UNAUTHENTICATED: { status: 401, title: 'Sign in to continue' },
  PLAN_LIMIT_EXCEEDED: { status: 402, title: 'Your plan does not allow this' },
  FORBIDDEN: { status: 403, title: 'Your role does not allow this' },
  CROSS_SITE_REQUEST: { status: 403, title: 'Changes can only be made from OpTarget itself' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  CONFLICT: { status: 409, title: 'This conflicts with existing data' },
  LAST_OWNER: { status: 409, title: 'A tenant must keep at least one owner' },
  ALREADY_MEMBER: { status: 409, title: 'This person is already a member' },
  INVITE_EXPIRED: { status: 410, title: 'This invitation has expired' },
  MERGE_UNDO_EXPIRED: { status: 410, title: 'This merge can no longer be undone' },
  MERGE_ALREADY_UNDONE: { status: 409, title: 'This merge was already undone' },
  MERGE_UNDO_BLOCKED: { status: 409, title: 'This merge cannot be undone as things are now' },
  INVITE_EMAIL_MISMATCH: { status: 403, title: 'This invitation was sent to a different email address' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  URI_TOO_LONG: { status: 414, title: 'A part of the address is too long' },
  THROTTLED: { status: 429, title: 'Too many attempts; try again later' },
  WHATSAPP_NOT_CONNECTED: { status: 409, title: 'WhatsApp is not connected' },
  WHATSAPP_NO_PHONE: { status: 409, title: 'This lead has no phone number' },
  WHATSAPP_OPTED_OUT: { status: 409, title: 'This lead opted out of WhatsApp messages' },
  WHATSAPP_NO_CONSENT: { status: 409, title: 'This lead has not opted in to WhatsApp messages' },
  WHATSAPP_WINDOW_CLOSED: { status: 409, title: 'The 24-hour window for free text is closed' },
  WHATSAPP_TEMPLATE_NOT_APPROVED: { status: 409, title: 'This template is not approved by Meta' },
  WHATSAPP_UPSTREAM: { status: 502, title: 'WhatsApp refused or could not be reached' },
  INTERNAL: { status: 500, title: 'Something went wrong on our side' },
  NOT_READY: { status: 503, title: 'The service is not ready' },
  DATABASE_UNAVAILABLE: { status: 503, title: 'The database is not answering; try again in a few seconds' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;
