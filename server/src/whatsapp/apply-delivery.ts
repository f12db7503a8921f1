import type { Tx } from '../db/transactions.js';
import { changeConsent, viaWhatsapp } from './consent.js';
import { applyInbound, leadFor } from './inbound.js';
import { applyStatus } from './statuses.js';
import { applyTemplateDecision } from './templates.js';
import {
  Contact,
  Delivery,
  InboundMessage,
  MessagesValue,
  StatusUpdate,
  TemplateCategoryValue,
  TemplateStatusValue,
  UserPreferencesValue,
} from './webhook-payload.js';

/** Whose deliveries these are: the ids Meta routes by. */
export type Receiver = { tenantId: string; phoneNumberId: string | null; businessAccountId: string | null };

/**
 * Applies one stored delivery: every entry and every change in it. What cannot be applied
 * (malformed, another phone number or business account, an unknown message) is skipped with a
 * note, never an error, so one bad part neither stops the rest nor makes Meta retry for days.
 */
export async function applyDelivery(tx: Tx, receiver: Receiver, raw: string): Promise<string[]> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return ['body is not JSON'];
  }
  const delivery = Delivery.safeParse(json);
  if (!delivery.success) return ['body is not a WhatsApp Business Account delivery'];
  const notes: string[] = [];
  for (const entry of delivery.data.entry) {
    for (const change of entry.changes) {
      const note = await applyChange(tx, receiver, entry.id, change.field, change.value);
      notes.push(...note);
    }
  }
  return notes;
}

async function applyChange(tx: Tx, receiver: Receiver, entryId: string | undefined, field: string, value: unknown): Promise<string[]> {
  const { tenantId } = receiver;
  switch (field) {
    case 'messages': {
      const v = MessagesValue.safeParse(value);
      if (!v.success) return ['malformed messages change'];
      if (v.data.metadata.phone_number_id !== receiver.phoneNumberId) return [`unknown phone number id ${v.data.metadata.phone_number_id}`];
      const notes: string[] = [];
      for (const item of v.data.messages ?? []) {
        const m = InboundMessage.safeParse(item);
        if (!m.success) notes.push('malformed inbound message');
        else await applyInbound(tx, tenantId, m.data, contactOf(v.data.contacts, m.data.from));
      }
      for (const item of v.data.statuses ?? []) {
        const s = StatusUpdate.safeParse(item);
        const note = s.success ? await applyStatus(tx, tenantId, s.data) : 'malformed status';
        if (note) notes.push(note);
      }
      return notes;
    }
    // Template changes carry no phone number id: they are routed by the business account (the entry's id).
    case 'message_template_status_update': {
      if (entryId !== receiver.businessAccountId) return [`unknown business account ${entryId ?? '(none)'}`];
      const v = TemplateStatusValue.safeParse(value);
      if (!v.success) return [`malformed ${field}`];
      const { event, reason, message_template_category: category, message_template_id: id } = v.data;
      return (await applyTemplateDecision(tx, tenantId, String(id), { status: event, reason, category })) ? [] : [`unknown template ${id}`];
    }
    case 'template_category_update': {
      if (entryId !== receiver.businessAccountId) return [`unknown business account ${entryId ?? '(none)'}`];
      const v = TemplateCategoryValue.safeParse(value);
      if (!v.success) return [`malformed ${field}`];
      const id = v.data.message_template_id;
      return (await applyTemplateDecision(tx, tenantId, String(id), { category: v.data.new_category })) ? [] : [`unknown template ${id}`];
    }
    case 'user_preferences': {
      const v = UserPreferencesValue.safeParse(value);
      if (!v.success) return ['malformed user_preferences change'];
      if (v.data.metadata.phone_number_id !== receiver.phoneNumberId) return [`unknown phone number id ${v.data.metadata.phone_number_id}`];
      for (const p of v.data.user_preferences.filter((p) => p.value === 'stop')) {
        const leadId = await leadFor(tx, tenantId, p.wa_id, null);
        await changeConsent(tx, tenantId, leadId, viaWhatsapp, {
          state: 'OPTED_OUT',
          source: 'USER_PREFERENCES',
          reason: `The person stopped ${p.category ?? 'marketing'} messages in WhatsApp`,
        });
      }
      return [];
    }
    default:
      return [`field ${field} is not one OpTarget applies`];
  }
}

const contactOf = (contacts: Contact[] | undefined, waId: string) => contacts?.find((c) => c.wa_id === waId) ?? contacts?.[0];
