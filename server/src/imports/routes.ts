import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyMultipart from '@fastify/multipart';
import { ImportErrorsQuery, ImportUpload, ImportUploadParams, Job, JobParams, StartImportBody, TenantParams } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import { answerAsCsvDownload, tenantRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { startedJobDto } from '../jobs/service.js';
import { startJob } from '../jobs/start.js';
import { findImportJob, streamErrorReport } from './error-report.js';
import { MAX_UPLOAD_BYTES, receiveUpload, tooLarge } from './upload.js';
import { findUploadForTenant, toImportUploadDto } from './uploads.js';

const tags = ['imports'];

const UPLOAD_URL = '/api/v1/tenants/:tenantId/imports';
type SpooledFile = { filename: string; dir: string; file: string | null; truncated: boolean };
const receivedFiles = new WeakMap<FastifyRequest, SpooledFile>();

/**
 * The one file of a multipart upload, spooled to a temporary file (at most 50 MB: past that busboy
 * stops and marks it truncated), so memory holds one piece of it at a time, never the whole file.
 * A body that breaks off counts as no file, as an empty one would. The caller removes `dir`.
 */
async function spoolCsvFile(request: FastifyRequest): Promise<SpooledFile> {
  if (!request.isMultipart()) {
    throw new AppError('VALIDATION_FAILED', 'Send the CSV file as multipart/form-data.', {
      fields: [{ field: 'file', message: 'upload the file as multipart/form-data', rule: 'fileForm' }],
    });
  }
  const part = await request.file().catch((err: Error & { statusCode?: number }) => {
    // busboy's own errors (no boundary, a malformed header) carry no status: the body is not a form.
    if (err.statusCode) throw err;
    throw new AppError('VALIDATION_FAILED', `The upload is not a readable multipart/form-data body (${err.message}).`, {
      fields: [{ field: 'file', message: 'upload the file as multipart/form-data', rule: 'fileForm' }],
    });
  });
  if (!part)
    throw new AppError('VALIDATION_FAILED', 'Choose a CSV file to upload.', {
      fields: [{ field: 'file', message: 'is required', rule: 'required' }],
    });
  // A declared size far past the limit is refused at once; the body is still read so the answer arrives.
  if (Number(request.headers['content-length']) > MAX_UPLOAD_BYTES + 1024 * 1024) {
    part.file.resume();
    await new Promise((resolve) => part.file.on('end', resolve).on('close', resolve));
    throw tooLarge();
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'optarget-upload-'));
  const file = path.join(dir, 'upload.csv');
  const received = await pipeline(part.file, createWriteStream(file)).then(
    () => true,
    () => false,
  );
  return { filename: part.filename, dir, file: received ? file : null, truncated: part.file.truncated };
}

/** The spooled file as a stream of 64 KB pieces, the size the upload is decoded in. */
const readSpooled = ({ file, truncated }: SpooledFile) =>
  Object.assign(file ? createReadStream(file, { highWaterMark: 64 * 1024 }) : Readable.from([]), { truncated });

async function removeSpooled(request: FastifyRequest) {
  const spooled = receivedFiles.get(request);
  if (!spooled) return;
  receivedFiles.delete(request);
  await rm(spooled.dir, { recursive: true, force: true });
}

export function registerImportRoutes(app: FastifyInstance, services: Services) {
  // Encapsulated: multipart parsing applies to these routes only.
  void app.register(async (scope) => {
    await scope.register(fastifyMultipart, {
      // The file may be up to 50 MB; past that busboy stops storing and discards the rest (answered with 413).
      limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, parts: 11 },
      throwFileSizeLimit: false,
    });
    // The file is received before the route's transaction opens: a slow upload must not hold a database
    // connection (on the embedded database, the only one) while its bytes trickle in.
    scope.addHook('preHandler', async (request) => {
      if (request.method === 'POST' && request.routeOptions.url === UPLOAD_URL) receivedFiles.set(request, await spoolCsvFile(request));
    });
    // Whatever the answer, or none if the client went away, the temporary file goes.
    scope.addHook('onResponse', removeSpooled);
    scope.addHook('onRequestAbort', removeSpooled);
    tenantRoute(scope, services, {
      method: 'POST',
      url: UPLOAD_URL,
      summary: 'Upload a CSV file (multipart, one file field, up to 50 MB) for import; answers what was found in it',
      tags,
      permission: 'data.write',
      status: 201,
      schema: { params: TenantParams, response: { 201: ImportUpload } },
      handler: async (ctx) => {
        const spooled = receivedFiles.get(ctx.request)!;
        return receiveUpload(ctx, spooled.filename, readSpooled(spooled));
      },
    });

    tenantRoute(scope, services, {
      method: 'GET',
      url: '/api/v1/tenants/:tenantId/imports/:uploadId',
      summary: 'An uploaded file: encoding, delimiter, headers, preview and suggested mapping',
      tags,
      permission: 'data.read',
      schema: { params: ImportUploadParams, response: { 200: ImportUpload } },
      handler: async ({ tx, tenantId }, { params }) => toImportUploadDto(await findUploadForTenant(tx, tenantId, params.uploadId)),
    });

    tenantRoute(scope, services, {
      method: 'POST',
      url: '/api/v1/tenants/:tenantId/imports/:uploadId/start',
      rateLimit: 'jobStart',
      summary: 'Start importing an uploaded file as an IMPORT_LEADS job',
      tags,
      permission: 'data.write',
      status: 202,
      schema: { params: ImportUploadParams, body: StartImportBody, response: { 202: Job } },
      handler: async (ctx, { params, body }) =>
        startedJobDto(ctx, await startJob(ctx, 'IMPORT_LEADS', { ...body, uploadId: params.uploadId })),
    });

    tenantRoute(scope, services, {
      method: 'GET',
      url: '/api/v1/tenants/:tenantId/imports/jobs/:jobId/errors.csv',
      summary: "The rows an import could not take, with the reason (a code and words) and the row's original cells, as CSV",
      tags,
      permission: 'data.read',
      schema: { params: JobParams, querystring: ImportErrorsQuery },
      handler: async ({ tx, tenantId, reply }, { params, query }) => {
        const { upload } = await findImportJob(tx, tenantId, params.jobId);
        answerAsCsvDownload(reply, `import-errors-${upload.fileName.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_')}.csv`);
        return streamErrorReport(services.db, tenantId, params.jobId, upload.headers, query.lang);
      },
    });
  });
}
