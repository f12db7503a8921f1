import type {
  ConversationPage,
  CreateTemplateBody,
  MessagePage,
  RecordConsentBody,
  SendMessageBody,
  UpdateWhatsappSettingsBody,
  WhatsappConnectionCheck,
  WhatsappConsent,
  WhatsappMessage,
  WhatsappSettings,
  WhatsappTemplate,
  WhatsappThread,
} from '@optarget/shared';
import { api } from '../api/client';

const tenant = (tenantId: string) => `/api/v1/tenants/${encodeURIComponent(tenantId)}`;
const lead = (tenantId: string, leadId: string) => `${tenant(tenantId)}/leads/${encodeURIComponent(leadId)}/whatsapp`;

export const whatsappApi = {
  settings: (tenantId: string) => api.get<WhatsappSettings>(`${tenant(tenantId)}/settings/whatsapp`),
  saveSettings: (tenantId: string, body: UpdateWhatsappSettingsBody) =>
    api.patch<WhatsappSettings>(`${tenant(tenantId)}/settings/whatsapp`, body),
  disconnect: (tenantId: string) => api.del<WhatsappSettings>(`${tenant(tenantId)}/settings/whatsapp`),
  newVerifyToken: (tenantId: string) => api.post<WhatsappSettings>(`${tenant(tenantId)}/settings/whatsapp/verify-token`),
  checkConnection: (tenantId: string) => api.post<WhatsappConnectionCheck>(`${tenant(tenantId)}/whatsapp/connection-check`),

  templates: (tenantId: string) => api.get<{ items: WhatsappTemplate[] }>(`${tenant(tenantId)}/whatsapp/templates`),
  createTemplate: (tenantId: string, body: CreateTemplateBody) =>
    api.post<WhatsappTemplate>(`${tenant(tenantId)}/whatsapp/templates`, body),
  deleteTemplate: (tenantId: string, templateId: string) =>
    api.del(`${tenant(tenantId)}/whatsapp/templates/${encodeURIComponent(templateId)}`),
  olderMessages: (tenantId: string, leadId: string, cursor: string) =>
    api.get<MessagePage>(`${lead(tenantId, leadId)}/messages`, { cursor, limit: 100 }),
  syncTemplates: (tenantId: string) =>
    api.post<{ fetched: number; created: number; updated: number }>(`${tenant(tenantId)}/whatsapp/templates/sync`),

  conversations: (tenantId: string, query: { cursor?: string; unread?: 'true'; assigned?: string }) =>
    api.get<ConversationPage>(`${tenant(tenantId)}/whatsapp/conversations`, { ...query, limit: 50 }),
  eventsUrl: (tenantId: string) => `${tenant(tenantId)}/whatsapp/events`,

  thread: (tenantId: string, leadId: string) => api.get<WhatsappThread>(lead(tenantId, leadId)),
  send: (tenantId: string, leadId: string, body: SendMessageBody) => api.post<WhatsappMessage>(`${lead(tenantId, leadId)}/messages`, body),
  recordConsent: (tenantId: string, leadId: string, body: RecordConsentBody) =>
    api.post<WhatsappConsent>(`${lead(tenantId, leadId)}/consent`, body),
  markRead: (tenantId: string, leadId: string) => api.post<WhatsappThread>(`${lead(tenantId, leadId)}/read`),
  assign: (tenantId: string, leadId: string, assignedUserId: string | null) =>
    api.put<WhatsappThread>(`${lead(tenantId, leadId)}/assignee`, { assignedUserId }),
};

export const whatsappKeys = {
  all: (tenantId: string) => ['tenant', tenantId, 'whatsapp'] as const,
  settings: (tenantId: string) => ['tenant', tenantId, 'whatsapp', 'settings'] as const,
  templates: (tenantId: string) => ['tenant', tenantId, 'whatsapp', 'templates'] as const,
  conversations: (tenantId: string, filter: string) => ['tenant', tenantId, 'whatsapp', 'conversations', filter] as const,
  thread: (tenantId: string, leadId: string) => ['tenant', tenantId, 'whatsapp', 'thread', leadId] as const,
};
