import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  BrandingSettings,
  GeneralSettings,
  GooglePlacesKeyBody,
  LOGO_MAX_BYTES,
  ProspectingSettings,
  ScoringWeights,
  TenantParams,
  UpdateBrandingBody,
  UpdateGeneralSettingsBody,
  UpdateScoringWeightsBody,
  UpdateWhatsappRatesBody,
  UpdateWhatsappSettingsBody,
  WhatsappRates,
  WhatsappSettings,
} from '@optarget/shared';
import { notFound } from '../errors/catalogue.js';
import { tenantRoute } from '../http/routes.js';
import type { Services } from '../http/services.js';
import { getBrandingSettings, removeLogo, saveLogo, updateBranding } from './branding.js';
import { getGeneralSettings, updateGeneralSettings } from './general.js';
import { logoTooLarge } from './logo-check.js';
import { getProspectingSettings, setGooglePlacesKey } from './prospecting.js';
import { getScoringSettings, updateScoringWeights, type RescoreLeads } from './scoring.js';
import { readLogo } from './store.js';
import { getWhatsappRates, updateWhatsappRates } from './whatsapp-rates.js';
import { disconnectWhatsapp, getWhatsappSettings, regenerateVerifyToken, updateWhatsappSettings } from './whatsapp.js';

const BASE = '/api/v1/tenants/:tenantId/settings';
const tags = ['settings'];

/** What the settings feature needs done elsewhere when a section changes, wired by the composition root (app.ts). */
export type SettingsHooks = { rescoreLeads: RescoreLeads };

/**
 * Every settings section, each read with `settings.read` and changed with `settings.manage`:
 * general, prospecting, scoring, branding and the WhatsApp connection. A new section gets its view
 * and change functions in a file of its own beside these and its routes here.
 */
export function registerSettingsRoutes(app: FastifyInstance, services: Services, hooks: SettingsHooks) {
  tenantRoute(app, services, {
    method: 'GET',
    url: `${BASE}/general`,
    summary: 'General settings: the default country for phone numbers',
    tags,
    permission: 'settings.read',
    schema: { params: TenantParams, response: { 200: GeneralSettings } },
    handler: ({ tx, tenantId }) => getGeneralSettings(tx, tenantId),
  });
  tenantRoute(app, services, {
    method: 'PATCH',
    url: `${BASE}/general`,
    summary: 'Change the default country used to read phone numbers without a country code',
    tags,
    permission: 'settings.manage',
    schema: { params: TenantParams, body: UpdateGeneralSettingsBody, response: { 200: GeneralSettings } },
    handler: (ctx, { body }) => updateGeneralSettings(ctx, body),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: `${BASE}/prospecting`,
    summary: 'Prospecting settings: whether a Google Places API key is saved (masked, never the key)',
    tags,
    permission: 'settings.read',
    schema: { params: TenantParams, response: { 200: ProspectingSettings } },
    handler: ({ tx, tenantId }) => getProspectingSettings(tx, tenantId, services.config.appSecret),
  });
  tenantRoute(app, services, {
    method: 'PUT',
    url: `${BASE}/prospecting/google-places-key`,
    summary: 'Save the Google Places API key (stored encrypted, never returned)',
    tags,
    permission: 'settings.manage',
    schema: { params: TenantParams, body: GooglePlacesKeyBody, response: { 200: ProspectingSettings } },
    handler: (ctx, { body }) => setGooglePlacesKey(ctx, body.apiKey),
  });
  tenantRoute(app, services, {
    method: 'DELETE',
    url: `${BASE}/prospecting/google-places-key`,
    summary: 'Remove the saved Google Places API key',
    tags,
    permission: 'settings.manage',
    schema: { params: TenantParams, response: { 200: ProspectingSettings } },
    handler: (ctx) => setGooglePlacesKey(ctx, null),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: `${BASE}/scoring`,
    summary: 'The evidence weights of the opportunity score: defaults, overrides and those in force',
    tags,
    permission: 'settings.read',
    schema: { params: TenantParams, response: { 200: ScoringWeights } },
    handler: ({ tx, tenantId }) => getScoringSettings(tx, tenantId),
  });
  tenantRoute(app, services, {
    method: 'PUT',
    url: `${BASE}/scoring`,
    summary: "Replace the tenant's weight overrides and rescore every enriched lead",
    tags,
    permission: 'settings.manage',
    schema: { params: TenantParams, body: UpdateScoringWeightsBody, response: { 200: ScoringWeights } },
    handler: (ctx, { body }) => updateScoringWeights(ctx, body.weights, hooks.rescoreLeads),
  });

  tenantRoute(app, services, {
    method: 'GET',
    url: `${BASE}/branding`,
    summary: 'Branding of reports: display name, logo, colour, contact line, report language and digits',
    tags,
    permission: 'settings.read',
    schema: { params: TenantParams, response: { 200: BrandingSettings } },
    handler: ({ tx, tenantId }) => getBrandingSettings(tx, tenantId),
  });
  tenantRoute(app, services, {
    method: 'PATCH',
    url: `${BASE}/branding`,
    summary: 'Change branding fields; fields left out stay as they are, an empty text clears its field',
    tags,
    permission: 'settings.manage',
    schema: { params: TenantParams, body: UpdateBrandingBody, response: { 200: BrandingSettings } },
    handler: (ctx, { body }) => updateBranding(ctx, body),
  });
  registerLogoRoutes(app, services);
  registerWhatsappSettingsRoutes(app, services);
}

/** The WhatsApp Cloud API connection: ids, sealed credentials, the Graph API version and the webhook's verify token. */
function registerWhatsappSettingsRoutes(app: FastifyInstance, services: Services) {
  const url = `${BASE}/whatsapp`;
  const schema = { params: TenantParams, response: { 200: WhatsappSettings } };
  tenantRoute(app, services, {
    method: 'GET',
    url,
    summary: 'The WhatsApp connection: ids, masked credentials, the webhook URL (and its verify token for admins)',
    tags,
    permission: 'settings.read',
    schema,
    handler: (ctx) => getWhatsappSettings(ctx),
  });
  tenantRoute(app, services, {
    method: 'PATCH',
    url,
    summary: 'Save connection fields; the access token and app secret are stored encrypted and never returned',
    tags,
    permission: 'settings.manage',
    schema: { ...schema, body: UpdateWhatsappSettingsBody },
    handler: (ctx, { body }) => updateWhatsappSettings(ctx, body),
  });
  tenantRoute(app, services, {
    method: 'DELETE',
    url,
    summary: 'Remove the WhatsApp connection and every credential of it',
    tags,
    permission: 'settings.manage',
    schema,
    handler: (ctx) => disconnectWhatsapp(ctx),
  });
  tenantRoute(app, services, {
    method: 'POST',
    url: `${url}/verify-token`,
    summary: 'Generate a new webhook verify token (paste it into Meta again)',
    tags,
    permission: 'settings.manage',
    schema,
    handler: (ctx) => regenerateVerifyToken(ctx),
  });
  tenantRoute(app, services, {
    method: 'GET',
    url: `${BASE}/whatsapp-rates`,
    summary: "The tenant's WhatsApp message rates by country and template category, used for campaign cost estimates",
    tags,
    permission: 'settings.read',
    schema: { params: TenantParams, response: { 200: WhatsappRates } },
    handler: ({ tx, tenantId }) => getWhatsappRates(tx, tenantId),
  });
  tenantRoute(app, services, {
    method: 'PUT',
    url: `${BASE}/whatsapp-rates`,
    summary: "Replace the rate table (copy it from Meta's current rate card; OpTarget ships no rates)",
    tags,
    permission: 'settings.manage',
    schema: { params: TenantParams, body: UpdateWhatsappRatesBody, response: { 200: WhatsappRates } },
    handler: (ctx, { body }) => updateWhatsappRates(ctx, body),
  });
}

/** The logo file: sent as the raw request body, whatever its declared type, and served back to members. */
function registerLogoRoutes(app: FastifyInstance, services: Services) {
  const url = `${BASE}/branding/logo`;
  tenantRoute(app, services, {
    method: 'GET',
    url,
    summary: "The tenant's logo, for previews (served with nosniff and a CSP that lets no script run)",
    tags,
    permission: 'settings.read',
    schema: { params: TenantParams },
    handler: async ({ tx, tenantId, reply }) => {
      const logo = await readLogo(tx, tenantId);
      if (!logo) throw notFound('This organization has no logo.');
      const extension = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/svg+xml': 'svg' }[logo.contentType] ?? 'bin';
      reply
        .header('content-type', logo.contentType)
        .header('x-content-type-options', 'nosniff')
        // Opened on its own, an SVG is a document: nothing in it may run or load anything.
        .header('content-security-policy', "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox")
        .header('content-disposition', `inline; filename="logo.${extension}"`)
        .header('cross-origin-resource-policy', 'same-origin')
        .header('cache-control', 'private, no-cache')
        .header('last-modified', logo.updatedAt.toUTCString());
      return logo.bytes;
    },
  });
  tenantRoute(app, services, {
    method: 'DELETE',
    url,
    summary: 'Remove the logo',
    tags,
    permission: 'settings.manage',
    schema: { params: TenantParams, response: { 200: BrandingSettings } },
    handler: (ctx) => removeLogo(ctx),
  });
  // Encapsulated: only this route reads its body as bytes.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (request, payload, done) => {
      readAtMost(payload, Number(request.headers['content-length'] ?? 0), LOGO_MAX_BYTES).then((bytes) => done(null, bytes), done);
    });
    tenantRoute(scope, services, {
      method: 'PUT',
      url,
      summary: 'Upload the logo: a PNG, JPEG or SVG of at most 1 MB, sent as the request body and checked by its content',
      tags,
      permission: 'settings.manage',
      schema: {
        params: TenantParams,
        body: z
          .custom<Buffer>((body) => Buffer.isBuffer(body), 'send the image file as the request body')
          .meta({ type: 'string', format: 'binary' }),
        consumes: ['application/octet-stream', 'image/png', 'image/jpeg', 'image/svg+xml'],
        response: { 200: BrandingSettings },
      },
      handler: (ctx, { body }) => saveLogo(ctx, body),
    });
  });
}

/**
 * The request body, refused with a 413 past `limit` bytes: at once when its declared length is
 * larger, otherwise once it has been read to its end (dropping the bytes past the limit), so the
 * client still receives the answer.
 */
async function readAtMost(stream: Readable, declaredLength: number, limit: number): Promise<Buffer> {
  if (declaredLength > limit) throw logoTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw logoTooLarge();
  return Buffer.concat(chunks);
}
