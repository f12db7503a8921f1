import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { SQL } from 'drizzle-orm';
import { z } from 'zod';
import { can, isUuid, roles, type Permission, type Role } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import { findRole, inMemberTransaction, inTenantTransaction, selectAsMember, type Tx } from '../db/transactions.js';
import type { AuditActor } from '../audit/record.js';
import { auditActorFor, requireSession, type Session } from './authenticate.js';
import type { Services } from './services.js';
import { routeRateLimit, type RateLimitName } from '../limits/rate-limit.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Schemas = {
  params?: z.ZodType;
  querystring?: z.ZodType;
  body?: z.ZodType;
  response?: Record<number, z.ZodType>;
  /** Content types of a body that is not JSON, for the OpenAPI document. */
  consumes?: string[];
};
type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
export type RouteInput<S extends Schemas> = { params: Infer<S['params']>; query: Infer<S['querystring']>; body: Infer<S['body']> };

/** What a tenant-scoped handler receives: who acts, in which tenant, with which role, inside which transaction. */
export type TenantContext = {
  tx: Tx;
  tenantId: string;
  role: Role;
  session: Session;
  actor: AuditActor & { userId: string };
  services: Services;
  request: FastifyRequest;
  /** For answer headers only (e.g. a download's file name); the pipeline sends the result. */
  reply: FastifyReply;
  /**
   * Work that must happen only once the transaction has committed, such as sending an email about
   * the change: a rolled-back change must not reach an inbox, and on PGlite (one connection) the
   * work would otherwise wait behind the open transaction. Failures are logged, not answered.
   */
  afterCommit(task: () => Promise<void>): void;
};

export type TenantStreamContext = {
  tenantId: string;
  role: Role;
  session: Session;
  services: Services;
  request: FastifyRequest;
  reply: FastifyReply;
  inTenant<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
};

export type UserContext = { session: Session; actor: AuditActor & { userId: string }; services: Services; request: FastifyRequest };

type RouteDef<S extends Schemas, Ctx> = {
  method: Method;
  url: string;
  summary: string;
  tags: string[];
  schema: S;
  /** HTTP status of a successful answer (default 200; 204 sends no body). */
  status?: number;
  /** A public or expensive route counts its requests against this limit (limits/rate-limit.ts). */
  rateLimit?: RateLimitName;
  handler: (ctx: Ctx, input: RouteInput<S>) => Promise<unknown>;
};

/**
 * A route under /api/v1/tenants/{tenantId}. The pipeline is always:
 * authenticate (401) → resolve the membership for the path's tenant (404 when absent, so a foreign
 * tenant looks like a missing one) → check the role against the policy table (403) → validate the
 * input (400) → run the handler in one transaction scoped to the tenant under row-level security.
 */
export function tenantRoute<S extends Schemas>(
  app: FastifyInstance,
  services: Services,
  def: RouteDef<S, TenantContext> & { permission: Permission },
) {
  // A read learns the caller's role in the round trip that opens its transaction, so its input
  // errors are held back until then (a stranger still gets 404 and a weak role 403 before any 400).
  // Writes resolve the membership first: hooks may read their body (an upload) before the handler.
  const membershipInTransaction = def.method === 'GET';
  register(app, def, {
    secured: true,
    preValidation: membershipInTransaction ? authenticate(services) : resolveTenantAccess(services, def.permission),
    deferValidation: membershipInTransaction,
    run: async (request, input, reply) => {
      const session = request.tenantAccess?.session ?? request.userSession!;
      const tenantId = tenantIdOf(request);
      const actor = { ...auditActorFor(request, session.user), userId: session.user.id };
      const tasks: (() => Promise<void>)[] = [];
      const afterCommit = (task: () => Promise<void>) => void tasks.push(task);
      const handle = (tx: Tx, role: Role) =>
        def.handler({ tx, tenantId, role, session, actor, services, request, reply, afterCommit }, input);
      const result = membershipInTransaction
        ? await inMemberTransaction(
            services.db,
            { tenantId: memberTenantId(tenantId), userId: session.user.id },
            admit(request, def.permission),
            handle,
          )
        : await inTenantTransaction(services.db, tenantId, (tx) => handle(tx, request.tenantAccess!.role));
      for (const task of tasks) await task().catch((err) => request.log.error({ err }, 'after-commit task failed'));
      return result;
    },
  });
}

/**
 * A tenant read answered from one SELECT (the lead table, the busiest page): `select` builds the
 * statement from the input, `answer` makes the answer of its rows. The transaction, the caller's
 * role and the SELECT travel to PostgreSQL together (selectAsMember), so the policy check runs on
 * the role read alongside the SELECT, which reads nothing for a caller the policy refuses. As in
 * tenantRoute, a stranger gets 404 and a weak role 403 before any input error.
 */
export function tenantSelectRoute<S extends Schemas, Row>(
  app: FastifyInstance,
  services: Services,
  def: Omit<RouteDef<S, never>, 'handler'> & {
    permission: Permission;
    select: (tenantId: string, input: RouteInput<S>) => SQL;
    answer: (rows: Row[], input: RouteInput<S>) => unknown;
  },
) {
  const admitted = roles.filter((role) => can(role, def.permission));
  register(app, def, {
    secured: true,
    preValidation: authenticate(services),
    deferValidation: true,
    run: async (request, input) => {
      const userId = request.userSession!.user.id;
      const tenantId = memberTenantId(tenantIdOf(request));
      let statement: SQL;
      try {
        if (request.validationError) throw request.validationError;
        statement = def.select(tenantId, input);
      } catch (inputError) {
        authorize(await findRole(services.db, tenantId, userId), def.permission);
        throw inputError;
      }
      const { role, rows } = await selectAsMember<Row>(services.db, { tenantId, userId, roles: admitted }, statement);
      authorize(role, def.permission);
      return def.answer(rows, input);
    },
  });
}

/**
 * A tenant route whose answer is a long-lived stream (server-sent events). Same pipeline up to
 * the handler, but no transaction is held open while streaming: the handler opens short ones
 * with `inTenant` (on PGlite, one connection, a held transaction would block everyone).
 */
export function tenantStreamRoute<S extends Schemas>(
  app: FastifyInstance,
  services: Services,
  def: RouteDef<S, TenantStreamContext> & { permission: Permission },
) {
  register(app, def, {
    secured: true,
    preValidation: resolveTenantAccess(services, def.permission),
    run: async (request, input, reply) => {
      const { session, tenantId, role } = request.tenantAccess!;
      const inTenant = <T>(fn: (tx: Tx) => Promise<T>) => inTenantTransaction(services.db, tenantId, fn);
      return def.handler({ tenantId, role, session, services, request, reply, inTenant }, input);
    },
  });
}

/**
 * A tenant route whose handler waits on an outside service (Meta's Graph API): the same pipeline
 * as a stream's, so no transaction is held while it waits (on PGlite, one connection, a held one
 * would stop every other request); the handler opens short ones with `inTenant`.
 */
export const tenantOutsideCallRoute = tenantStreamRoute;

function authenticate(services: Services) {
  return async (request: FastifyRequest) => {
    request.userSession = await requireSession(services, request);
  };
}

function resolveTenantAccess(services: Services, permission: Permission) {
  return async (request: FastifyRequest) => {
    const session = await requireSession(services, request);
    const tenantId = memberTenantId(tenantIdOf(request));
    const role = authorize(await findRole(services.db, tenantId, session.user.id), permission);
    request.tenantAccess = { session, tenantId, role };
  };
}

/** After the role is known: the policy check, then the input errors fastify left on the request. */
const admit = (request: FastifyRequest, permission: Permission) => (role: Role | null) => {
  const admitted = authorize(role, permission);
  if (request.validationError) throw request.validationError;
  return admitted;
};

const tenantIdOf = (request: FastifyRequest) => (request.params as { tenantId?: string }).tenantId ?? '';
const notAMember = () => new AppError('NOT_FOUND', 'No such organization, or you are not a member of it.');

/** The path's tenant id when it is one a membership could name; anything else is answered like a tenant you are not in. */
function memberTenantId(tenantId: string): string {
  if (!isUuid(tenantId)) throw notAMember();
  return tenantId;
}

/** The one policy check of every tenant route: no membership is 404 (a foreign tenant looks like a missing one), a weak role 403. */
function authorize(role: Role | null, permission: Permission): Role {
  if (!role) throw notAMember();
  if (!can(role, permission)) throw new AppError('FORBIDDEN', `Your role (${role}) does not allow this.`);
  return role;
}

/** A route that needs a signed-in user but no tenant (e.g. /me, accepting an invite, creating a tenant). */
export function userRoute<S extends Schemas>(app: FastifyInstance, services: Services, def: RouteDef<S, UserContext>) {
  register(app, def, {
    secured: true,
    preValidation: authenticate(services),
    run: (request, input) => {
      const session = request.userSession!;
      const actor = { ...auditActorFor(request, session.user), userId: session.user.id };
      return def.handler({ session, actor, services, request }, input);
    },
  });
}

/** A route anyone may call (plan catalogue, invite preview, a shared report); `reply` is for answer headers only. */
export function publicRoute<S extends Schemas>(
  app: FastifyInstance,
  services: Services,
  def: RouteDef<S, { services: Services; request: FastifyRequest; reply: FastifyReply }>,
) {
  register(app, def, { secured: false, run: (request, input, reply) => def.handler({ services, request, reply }, input) });
}

/** The answer of a route that succeeds with 204, so the OpenAPI document shows that status and no body. */
const NoContent = z.null().describe('No content');

function register<S extends Schemas>(
  app: FastifyInstance,
  def: Omit<RouteDef<S, never>, 'handler'>,
  steps: {
    secured: boolean;
    preValidation?: (request: FastifyRequest) => Promise<void>;
    /** Input errors are left on `request.validationError` for `run` to throw at the right step. */
    deferValidation?: boolean;
    run: (request: FastifyRequest, input: RouteInput<S>, reply: FastifyReply) => Promise<unknown>;
  },
) {
  const options: RouteOptions = {
    method: def.method,
    url: def.url,
    schema: {
      summary: def.summary,
      tags: def.tags,
      ...def.schema,
      ...(def.status === 204 ? { response: { 204: NoContent, ...def.schema.response } } : {}),
      ...(steps.secured ? { security: [{ session: [] }] } : {}),
    },
    preValidation: steps.preValidation,
    ...(def.rateLimit ? { config: { rateLimit: routeRateLimit(def.rateLimit) } } : {}),
    attachValidation: steps.deferValidation ?? false,
    handler: async (request, reply) => {
      const input = { params: request.params, query: request.query, body: request.body } as RouteInput<S>;
      const result = await steps.run(request, input, reply);
      if (def.status === 204) return reply.status(204).send();
      return reply.status(def.status ?? 200).send(result);
    },
  };
  app.withTypeProvider<ZodTypeProvider>().route(options);
}

declare module 'fastify' {
  interface FastifyRequest {
    tenantAccess?: { session: Session; tenantId: string; role: Role };
    userSession?: Session;
  }
}

/** Marks the answer as a CSV file to download under `filename`. */
export function answerAsCsvDownload(reply: FastifyReply, filename: string) {
  reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`);
}

/** Marks the answer as a stream of server-sent events that no proxy should buffer. */
export function answerAsEventStream(reply: FastifyReply) {
  reply.header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-cache').header('x-accel-buffering', 'no');
}
