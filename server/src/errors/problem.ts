import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, errorCatalogue, type ErrorCode, type FieldError } from './catalogue.js';

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
        return { field: (where === 'body' ? path : [where, path].filter(Boolean).join('.')) || where, message: v.message ?? 'is invalid' };
      });
      problem = toProblem('VALIDATION_FAILED', fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields });
    } else if ((error as FastifyError).statusCode === 413) {
      problem = toProblem('PAYLOAD_TOO_LARGE', error.message);
    } else if ((error as FastifyError).statusCode && (error as FastifyError).statusCode! < 500) {
      problem = toProblem('VALIDATION_FAILED', error.message, { fields: [] });
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
