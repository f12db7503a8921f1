import type { FastifyInstance } from 'fastify';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { CreateJobBody, Job, JobLogPage, JobPage, JobParams, JobStatus, PageQuery, TenantParams, Text } from '@optarget/shared';
import { firstPageTotal } from '../db/count.js';
import { jobLogs, jobs, users } from '../db/schema/index.js';
import { tenantRoute, tenantStreamRoute } from '../http/routes.js';
import { streamJobEvents } from './events.js';
import type { Services } from '../http/services.js';
import { afterTimeCursor, exactTime, toPage } from '../http/cursor.js';
import { findJobForTenant, requestCancel, rerunJob, startedJobDto, toJobDto, toJobLogDto } from './service.js';
import { startJob } from './start.js';

const tags = ['jobs'];
const JobListQuery = PageQuery.extend({ status: JobStatus.optional(), type: Text.max(50).optional() });

export function registerJobRoutes(app: FastifyInstance, services: Services) {
  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/jobs',
    summary: 'Background jobs of the tenant, newest first',
    tags,
    permission: 'data.read',
    schema: { params: TenantParams, querystring: JobListQuery, response: { 200: JobPage } },
    handler: async ({ tx, tenantId }, { query }) => {
      const matching = and(
        eq(jobs.tenantId, tenantId),
        query.status ? eq(jobs.status, query.status) : undefined,
        query.type ? eq(jobs.type, query.type) : undefined,
      );
      const rows = await tx
        .select({ job: jobs, creatorName: users.name, at: exactTime(jobs.createdAt), id: jobs.id })
        .from(jobs)
        .leftJoin(users, eq(users.id, jobs.createdByUserId))
        .where(and(matching, afterTimeCursor(query.cursor, jobs.createdAt, jobs.id, 'desc')))
        .orderBy(desc(jobs.createdAt), desc(jobs.id))
        .limit(query.limit + 1);
      const total = await firstPageTotal(tx, query.cursor, () =>
        tx
          .select({ one: sql`1` })
          .from(jobs)
          .where(matching),
      );
      const page = toPage(rows, query.limit, (r) =>
        toJobDto(r.job, r.job.createdByUserId ? { id: r.job.createdByUserId, name: r.creatorName ?? '' } : null),
      );
      return { ...page, total };
    },
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/jobs',
    rateLimit: 'jobStart',
    summary: 'Start a background job',
    tags,
    permission: 'data.write',
    status: 202,
    schema: { params: TenantParams, body: CreateJobBody, response: { 202: Job } },
    handler: async (ctx, { body }) => startedJobDto(ctx, await startJob(ctx, body.type, body.input)),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/jobs/:jobId',
    summary: 'One job with its progress and result',
    tags,
    permission: 'data.read',
    schema: { params: JobParams, response: { 200: Job } },
    handler: ({ tx, tenantId }, { params }) => findJobForTenant(tx, tenantId, params.jobId),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/jobs/:jobId/logs',
    summary: "A job's log lines, oldest first",
    tags,
    permission: 'data.read',
    schema: { params: JobParams, querystring: PageQuery, response: { 200: JobLogPage } },
    handler: async ({ tx, tenantId }, { params, query }) => {
      await findJobForTenant(tx, tenantId, params.jobId);
      const rows = await tx
        .select({ log: jobLogs, at: exactTime(jobLogs.createdAt), id: jobLogs.id })
        .from(jobLogs)
        .where(
          and(
            eq(jobLogs.tenantId, tenantId),
            eq(jobLogs.jobId, params.jobId),
            afterTimeCursor(query.cursor, jobLogs.createdAt, jobLogs.id, 'asc'),
          ),
        )
        .orderBy(asc(jobLogs.createdAt), asc(jobLogs.id))
        .limit(query.limit + 1);
      return toPage(rows, query.limit, ({ log }) => toJobLogDto(log));
    },
  });

  tenantStreamRoute(app, services, {
    method: 'GET',
    url: '/api/v1/tenants/:tenantId/jobs/:jobId/events',
    summary: 'Live updates of a job as server-sent events (job, log, end)',
    tags,
    permission: 'data.read',
    schema: { params: JobParams },
    handler: (ctx, { params }) => streamJobEvents(ctx, params.jobId),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/jobs/:jobId/cancel',
    summary: 'Ask a job to stop',
    tags,
    permission: 'data.write',
    schema: { params: JobParams, response: { 200: Job } },
    handler: (ctx, { params }) => requestCancel(ctx, params.jobId),
  });

  tenantRoute(app, services, {
    method: 'POST',
    url: '/api/v1/tenants/:tenantId/jobs/:jobId/rerun',
    summary: 'Start an ended job again with the same input',
    tags,
    permission: 'data.write',
    status: 202,
    schema: { params: JobParams, response: { 202: Job } },
    handler: (ctx, { params }) => rerunJob(ctx, params.jobId),
  });
}
