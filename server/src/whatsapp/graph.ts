// The one client of Meta's Graph API for WhatsApp: sending, reading the phone number, templates.
import { whatsappFailureNotes } from '@optarget/shared';
import type { Config } from '../config/config.js';
import type { WhatsappConnection } from '../settings/whatsapp.js';

/** Meta's error envelope, as a value the caller can branch on (see error-codes.ts). */
export class GraphError extends Error {
  constructor(
    readonly code: number,
    readonly title: string,
    readonly details: string | null,
    readonly httpStatus: number,
  ) {
    super(`WhatsApp answered error ${code}: ${title}${details ? ` (${details})` : ''}`);
  }
}

/** Meta could not be reached or answered something that is not its JSON. */
export const UNREACHABLE = -1;

type Envelope = { error?: { code?: number; message?: string; error_user_title?: string; error_data?: { details?: string } } };

const baseOf = (config: Config, conn: Pick<WhatsappConnection, 'graphVersion'>) =>
  `${config.WHATSAPP_GRAPH_URL.replace(/\/$/, '')}/${conn.graphVersion}`;

async function call<T>(
  url: string,
  token: string,
  init: { method: 'GET' | 'POST' | 'DELETE'; body?: unknown } = { method: 'GET' },
): Promise<T> {
  let res: Response;
  // A form goes as multipart with the boundary fetch chooses; anything else as JSON.
  const form = init.body instanceof FormData;
  try {
    res = await fetch(url, {
      method: init.method,
      headers: { authorization: `Bearer ${token}`, ...(init.body && !form ? { 'content-type': 'application/json' } : {}) },
      body: form ? (init.body as FormData) : init.body ? JSON.stringify(init.body) : undefined,
      signal: AbortSignal.timeout(20_000),
    });
  } catch (err) {
    throw new GraphError(UNREACHABLE, whatsappFailureNotes.unreachable, (err as Error).message, 0);
  }
  const text = await res.text();
  let parsed: T & Envelope;
  try {
    parsed = JSON.parse(text) as T & Envelope;
  } catch {
    throw new GraphError(UNREACHABLE, whatsappFailureNotes.notJson, text.slice(0, 200), res.status);
  }
  if (!res.ok || parsed.error) {
    const e = parsed.error ?? {};
    throw new GraphError(
      e.code ?? UNREACHABLE,
      e.error_user_title ?? e.message ?? `HTTP ${res.status}`,
      e.error_data?.details ?? null,
      res.status,
    );
  }
  return parsed;
}

export type SendAnswer = { waMessageId: string; held: boolean };

/** `POST /{version}/{phone-number-id}/messages`: accepted means queued by Meta, not delivered. */
export async function sendMessage(config: Config, conn: WhatsappConnection, body: Record<string, unknown>): Promise<SendAnswer> {
  const answer = await call<{ messages?: { id?: string; message_status?: string }[] }>(
    `${baseOf(config, conn)}/${conn.phoneNumberId}/messages`,
    conn.accessToken,
    { method: 'POST', body: { messaging_product: 'whatsapp', recipient_type: 'individual', ...body } },
  );
  const message = answer.messages?.[0];
  if (!message?.id) throw new GraphError(UNREACHABLE, whatsappFailureNotes.noMessageId, null, 200);
  return { waMessageId: message.id, held: message.message_status === 'held_for_quality_assessment' };
}

export type MediaFile = { bytes: Buffer; fileName: string; contentType: string };

/** `POST /{version}/{phone-number-id}/media` (multipart): Meta keeps the file 30 days and answers its id. */
export async function uploadMedia(config: Config, conn: WhatsappConnection, file: MediaFile): Promise<string> {
  const form = new FormData();
  form.append('messaging_product', 'whatsapp');
  form.append('type', file.contentType);
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.contentType }), file.fileName);
  const answer = await call<{ id?: string }>(`${baseOf(config, conn)}/${conn.phoneNumberId}/media`, conn.accessToken, {
    method: 'POST',
    body: form,
  });
  if (!answer.id) throw new GraphError(UNREACHABLE, 'WhatsApp accepted the file without giving its media id', null, 200);
  return answer.id;
}

export type PhoneNumberInfo = {
  display_phone_number?: string;
  verified_name?: string;
  quality_rating?: string;
  messaging_limit_tier?: string;
};

export function readPhoneNumber(config: Config, conn: WhatsappConnection): Promise<PhoneNumberInfo> {
  const fields = 'display_phone_number,verified_name,quality_rating,messaging_limit_tier';
  return call<PhoneNumberInfo>(`${baseOf(config, conn)}/${conn.phoneNumberId}?fields=${fields}`, conn.accessToken);
}

export type GraphTemplate = {
  id: string;
  name: string;
  language: string;
  category: string;
  status: string;
  rejected_reason?: string;
  components?: { type: string; text?: string }[];
};

/** Every template of the business account, following `paging.next` (at most 50 pages, against a loop). */
export async function listTemplates(config: Config, conn: WhatsappConnection): Promise<GraphTemplate[]> {
  const out: GraphTemplate[] = [];
  let url: string | undefined = `${baseOf(config, conn)}/${conn.businessAccountId}/message_templates?limit=100`;
  for (let pages = 0; url && pages < 50; pages++) {
    const page: { data?: GraphTemplate[]; paging?: { next?: string } } = await call(url, conn.accessToken);
    out.push(...(page.data ?? []));
    // The token goes with every page: follow only links to the Graph API itself.
    const next = page.paging?.next;
    url = next && new URL(next).origin === new URL(config.WHATSAPP_GRAPH_URL).origin ? next : undefined;
  }
  return out;
}

/** What Meta answers to a template submitted for review. */
export type CreatedGraphTemplate = { id: string; status?: string; category?: string };

/** `POST /{waba-id}/message_templates`: submits a template (the body in Meta's format); Meta reviews it. */
export async function createTemplate(
  config: Config,
  conn: WhatsappConnection,
  body: Record<string, unknown>,
): Promise<CreatedGraphTemplate> {
  const answer = await call<Partial<CreatedGraphTemplate>>(
    `${baseOf(config, conn)}/${conn.businessAccountId}/message_templates`,
    conn.accessToken,
    {
      method: 'POST',
      body,
    },
  );
  if (!answer.id) throw new GraphError(UNREACHABLE, 'WhatsApp accepted the template without giving its id', null, 200);
  return { id: String(answer.id), status: answer.status, category: answer.category };
}

/** `DELETE /{waba-id}/message_templates?hsm_id=…&name=…`: deletes this one template (one language), not its namesakes. */
export async function deleteTemplate(config: Config, conn: WhatsappConnection, template: { metaId: string; name: string }) {
  const query = new URLSearchParams({ hsm_id: template.metaId, name: template.name });
  await call<{ success?: boolean }>(`${baseOf(config, conn)}/${conn.businessAccountId}/message_templates?${query}`, conn.accessToken, {
    method: 'DELETE',
  });
}
