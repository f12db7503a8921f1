import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { createAuth } from './auth/auth.js';
import { registerAuthRoutes } from './auth/routes.js';
import { startSessionInvalidation } from './auth/session-invalidation.js';
import { registerCrossSiteGuard, registerSecurityHeaders } from './http/security.js';
import { registerRateLimits } from './limits/rate-limit.js';
import type { Config } from './config/config.js';
import type { Database } from './db/client.js';
import { createMailer, type Mailer } from './email/mailer.js';
import { registerDevOutboxRoutes } from './email/dev-outbox-routes.js';
import { answerFrameworkError, registerProblemHandler } from './errors/problem.js';
import { registerHealthRoutes } from './health/routes.js';
import type { Services } from './http/services.js';
import { responseSerializerCompiler } from './http/serializer.js';
import { OneLinePerRequest } from './http/request-log.js';
import { registerAuditRoutes } from './audit/routes.js';
import { registerInviteRoutes } from './invites/routes.js';
import { registerPlanRoutes } from './plans/routes.js';
import { registerTeamRoutes } from './team/routes.js';
import { registerTenantRoutes } from './tenants/routes.js';
import { loggerOptions } from './logging.js';
import { registerLeadRoutes } from './leads/routes.js';
import { registerDashboardRoutes } from './dashboard/routes.js';
import { startJobQueue } from './jobs/queue.js';
import { registerJobs, registeredJobs } from './jobs/registry.js';
import { jobDefinitions } from './job-definitions.js';
import { closeCrawlerFor } from './enrichment/crawler/crawler.js';
import { registerJobRoutes } from './jobs/routes.js';
import { registerImportRoutes } from './imports/routes.js';
import { registerEnrichmentRoutes } from './enrichment/routes.js';
import { registerListRoutes } from './lists/routes.js';
import { registerLeadViewRoutes } from './lead-views/routes.js';
import { registerProspectingRoutes } from './prospecting/routes.js';
import { recomputeTenantScores } from './enrichment/score.js';
import { registerSettingsRoutes } from './settings/routes.js';
import { registerReportRoutes } from './reports/routes.js';
import { registerSharedReportRoutes } from './reports/public-routes.js';
import { registerCampaignRoutes } from './whatsapp/campaigns/routes.js';
import { registerWhatsappRoutes } from './whatsapp/routes.js';
import { registerWhatsappWebhookRoutes } from './whatsapp/webhook-routes.js';

export type BuildAppOptions = {
  config: Config;
  database: Database;
  /** Directory of the built web app to serve; omitted in API-only tests. */
  webDist?: string;
  mailer?: Mailer;
  logger?: Logger | false;
  /** Also encode every answer with its zod schema and fail on any difference (the tests set this). */
  checkResponses?: boolean;
};

export async function buildApp(opts: BuildAppOptions): Promise<{ app: FastifyInstance; services: Services }> {
  const { config, database } = opts;
  const app = Fastify({
    loggerInstance: opts.logger || undefined,
    logger: opts.logger === undefined ? loggerOptions(config) : false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: config.TRUST_PROXY ?? false,
    bodyLimit: 1024 * 1024,
    frameworkErrors: answerFrameworkError,
    logController: new OneLinePerRequest(),
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler({ check: opts.checkResponses ?? false }));
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });

  const log = app.log as unknown as Logger;
  const mailer = opts.mailer ?? createMailer(config, database.db, log);
  const auth = createAuth({ config, db: database.db, mailer });
  registerJobs(jobDefinitions);
  const queue = await startJobQueue(database, config, log, registeredJobs());
  const stopSessionInvalidation = await startSessionInvalidation({ auth, config, log });
  app.addHook('onClose', async () => {
    await stopSessionInvalidation();
    await queue.stop();
    await closeCrawlerFor(config);
  });
  const services: Services = { config, database, db: database.db, auth, mailer, queue, log };

  registerProblemHandler(app);
  await registerSecurityHeaders(app, config);
  registerCrossSiteGuard(app, config);
  await registerRateLimits(app, database.db);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OpTarget API',
        version: '1.0.0',
        description: 'Multi-tenant prospecting and outreach. Errors are application/problem+json.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'better-auth.session_token' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerHealthRoutes(app, services);
  registerAuthRoutes(app, services);
  registerDevOutboxRoutes(app, services);
  registerTenantRoutes(app, services);
  registerTeamRoutes(app, services);
  registerInviteRoutes(app, services);
  registerPlanRoutes(app, services);
  registerAuditRoutes(app, services);
  registerLeadRoutes(app, services);
  registerDashboardRoutes(app, services);
  registerJobRoutes(app, services);
  registerImportRoutes(app, services);
  registerListRoutes(app, services);
  registerLeadViewRoutes(app, services);
  registerProspectingRoutes(app, services);
  registerEnrichmentRoutes(app, services);
  registerSettingsRoutes(app, services, { rescoreLeads: recomputeTenantScores });
  registerReportRoutes(app, services);
  registerSharedReportRoutes(app, services);
  registerWhatsappRoutes(app, services);
  registerCampaignRoutes(app, services);
  registerWhatsappWebhookRoutes(app, services);

  if (opts.webDist && existsSync(opts.webDist)) {
    await app.register(fastifyStatic, {
      root: opts.webDist,
      wildcard: false,
      // The build writes .br and .gz beside each file (web/vite.config.ts); they are sent to browsers that accept them.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, filePath) => {
        // Hashed build files never change under their name; the page that names them is checked on every visit.
        const hashed = /[\\/]assets[\\/][^\\/]+-[\w-]{8,}(\.\w+)+$/.test(filePath);
        res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    // Client-side routes: any GET outside /api that is not a file gets the app shell.
    app.get('/*', { schema: { hide: true } }, (request, reply) => {
      if (request.url.startsWith('/api/')) return reply.callNotFound();
      return reply.sendFile('index.html');
    });
  }
  return { app, services };
}
