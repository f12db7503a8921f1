import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TenantParams } from '@optarget/shared';
import { publicRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { answerHandshake, DeliveryIntake } from './ingest.js';

const URL = '/api/v1/webhooks/whatsapp/:tenantId';
const tags = ['whatsapp'];
/** Meta's deliveries are a few kilobytes; this leaves room for batches of many entries. */
const WEBHOOK_BODY_LIMIT = 512 * 1024;

const HandshakeQuery = z.object({
  'hub.mode': z.string().max(50),
  'hub.verify_token': z.string().max(200),
  'hub.challenge': z.string().max(200),
});

/** Meta calls these: the verification handshake (GET) and signed deliveries of events (POST). */
export function registerWhatsappWebhookRoutes(app: FastifyInstance, services: Services) {
  const intake = new DeliveryIntake(services);
  publicRoute(app, services, {
    method: 'GET',
    url: URL,
    summary: "Meta's verification handshake: answers hub.challenge when hub.verify_token is the tenant's",
    tags,
    schema: { params: TenantParams, querystring: HandshakeQuery },
    handler: ({ services }, { params, query }) =>
      answerHandshake(services, params.tenantId, query['hub.mode'], query['hub.verify_token'], query['hub.challenge']),
  });
  // Encapsulated: only this route reads its body as the exact bytes, which the signature covers.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));
    publicRoute(scope, services, {
      method: 'POST',
      url: URL,
      summary: 'Events from Meta, signed with X-Hub-Signature-256; stored and acknowledged at once, applied by a job',
      tags,
      schema: {
        params: TenantParams,
        body: z.custom<Buffer>((body) => Buffer.isBuffer(body), 'send the event as the request body').meta({ type: 'string' }),
        consumes: ['application/json'],
      },
      handler: async ({ request }, { params, body }) => {
        const signature = request.headers['x-hub-signature-256'];
        await intake.accept(params.tenantId, body, typeof signature === 'string' ? signature : undefined);
        return 'EVENT_RECEIVED';
      },
    });
  });
}
