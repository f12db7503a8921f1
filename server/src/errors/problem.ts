import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { AppError, errorCatalogue, type ErrorCode, type FieldError } from './catalogue.js';
import { fieldRuleOf } from './field-rule.js';

/** Seconds a client is asked to wait before trying again while the database cannot be reached. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export type Problem = {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance?: string;
  fields?: FieldError[];
  [key: string]: unknown;
};

/** The SQLSTATE of a database error, wherever it sits in the cause chain (drizzle wraps the driver's error). */
function sqlStateOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Object && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * Database errors that what a request sent can cause: data exceptions (class 22 — a number out of
 * range, an impossible date, text the database cannot hold) and a statement too complex (54001).
 * They are the client's to fix, so no route answers them with a 500, whatever it forgot to check.
 */
const isCausedByInput = (sqlState: string) => sqlState.startsWith('22') || sqlState === '54001';

export function toProblem(code: ErrorCode, detail: string, extra: Record<string, unknown> = {}): Problem {
  const { status, title } = errorCatalogue[code];
  return { type: `about:blank#${code}`, title, status, code, detail, ...extra };
}

/** The one place errors become `application/problem+json`. */
export function registerProblemHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    let problem: Problem;
    if (error instanceof AppError) {
      problem = toProblem(error.code, error.message, error.extra);
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      const where = (error as FastifyError).validationContext ?? 'body';
      const fields = error.validation.map((v) => {
        const path = v.instancePath.split('/').filter(Boolean).join('.');
        const field = (where === 'body' ? path : [where, path].filter(Boolean).join('.')) || where;
        return { field, message: v.message ?? 'is invalid', ...fieldRuleOf(v) };
      });
      problem = toProblem('VALIDATION_FAILED', fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields });
    } else if (isCausedByInput(sqlStateOf(error) ?? '')) {
      request.log.warn({ err: error }, 'the database refused a value of the request');
      problem = toProblem(
        'INVALID_VALUE',
        'A value in the request cannot be stored or compared: a number out of range, a date that does not exist, or characters that cannot be stored.',
      );
    } else if (error.statusCode === 413) {
      problem = toProblem('PAYLOAD_TOO_LARGE', error.message);
    } else if (error.statusCode && error.statusCode < 500) {
      problem = toProblem('VALIDATION_FAILED', error.message, { fields: [] });
    } else if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      problem = toProblem('DATABASE_UNAVAILABLE', 'The database could not be reached or did not answer in time.');
    } else {
      request.log.error({ err: error }, 'unhandled error');
      problem = toProblem('INTERNAL', 'An unexpected error occurred. It has been logged.');
    }
    problem.instance = request.url.split('?')[0];
    void reply.status(problem.status).type('application/problem+json').send(problem);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .type('application/problem+json')
      .send({
        ...toProblem('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`),
        instance: request.url.split('?')[0],
      });
  });
}

/**
 * Fastify's own refusals of an address, made before any route or hook runs (a malformed
 * percent-encoding, a path segment past the router's length limit): the same problem+json as
 * every other answer, and without echoing the address back.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? toProblem('URI_TOO_LONG', 'A part of the address is longer than any identifier or value OpTarget accepts.')
      : error.code === 'FST_ERR_BAD_URL'
        ? toProblem('VALIDATION_FAILED', 'The address contains an invalid percent-encoding.', { fields: [] })
        : toProblem('INTERNAL', 'An unexpected error occurred. It has been logged.');
  if (problem.status >= 500) request.log.error({ err: error }, 'unhandled error');
  // No hook runs for these answers, so the headers every answer carries are set here.
  void reply
    .status(problem.status)
    .headers({ 'x-request-id': request.id, 'x-content-type-options': 'nosniff' })
    .type('application/problem+json')
    .send(problem);
}
