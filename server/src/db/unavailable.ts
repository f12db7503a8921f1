/** Socket errors of a database that cannot be reached. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that is going away or refusing work: connection exceptions (class 08),
 * shut down or terminated backends, too many connections, and the statement and
 * idle-in-transaction limits (a server too busy to answer in time).
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '25P03']);

/** node-postgres's own words for a connection it lost or could not make in time. */
const DRIVER_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
];

/** The statement outlived the read timeout: its answer may still arrive, so the connection must not be reused. */
export const isReadTimeout = (error: unknown) => error instanceof Error && error.message === 'Query read timeout';

/**
 * True when `error` (or an error it wraps: drizzle wraps the driver's in `cause`) says the
 * database could not be reached or answer in time, rather than that the request was wrong.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATES.has(code) || code.startsWith('08'))) return true;
    if (DRIVER_MESSAGES.some((m) => e instanceof Error && e.message.startsWith(m))) return true;
  }
  return false;
}
