import type {
  CampaignPage,
  CampaignPreview,
  CreateCampaignBody,
  LeadList,
  RecipientPage,
  RecipientStatus,
  UpdateWhatsappRatesBody,
  WhatsappCampaign,
  WhatsappRates,
} from '@optarget/shared';
import { api } from '../../api/client';
import type { Locale } from '../../i18n';

const tenant = (tenantId: string) => `/api/v1/tenants/${encodeURIComponent(tenantId)}`;
const campaigns = (tenantId: string) => `${tenant(tenantId)}/whatsapp/campaigns`;
const one = (tenantId: string, id: string) => `${campaigns(tenantId)}/${encodeURIComponent(id)}`;

export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel';

export const campaignApi = {
  list: (tenantId: string, cursor?: string) => api.get<CampaignPage>(campaigns(tenantId), { cursor, limit: 25 }),
  get: (tenantId: string, id: string) => api.get<WhatsappCampaign>(one(tenantId, id)),
  create: (tenantId: string, body: CreateCampaignBody) => api.post<WhatsappCampaign>(campaigns(tenantId), body),
  preview: (tenantId: string, id: string) => api.get<CampaignPreview>(`${one(tenantId, id)}/preview`),
  act: (tenantId: string, id: string, action: CampaignAction) => api.post<WhatsappCampaign>(`${one(tenantId, id)}/${action}`),
  recipients: (tenantId: string, id: string, status: RecipientStatus | undefined, cursor?: string) =>
    api.get<RecipientPage>(`${one(tenantId, id)}/recipients`, { status, cursor, limit: 50 }),
  /** Every recipient with the outcome and reason in words, in the given language. */
  recipientsCsvUrl: (tenantId: string, id: string, lang: Locale) => `${one(tenantId, id)}/recipients.csv?lang=${lang}`,
  lists: (tenantId: string) => api.get<{ items: LeadList[] }>(`${tenant(tenantId)}/lists`, { limit: 200 }),
  rates: (tenantId: string) => api.get<WhatsappRates>(`${tenant(tenantId)}/settings/whatsapp-rates`),
  saveRates: (tenantId: string, body: UpdateWhatsappRatesBody) =>
    api.put<WhatsappRates>(`${tenant(tenantId)}/settings/whatsapp-rates`, body),
};

/** Under the WhatsApp keys, so the live WhatsApp events refresh campaigns too. */
export const campaignKeys = {
  all: (tenantId: string) => ['tenant', tenantId, 'whatsapp', 'campaigns'] as const,
  one: (tenantId: string, id: string) => ['tenant', tenantId, 'whatsapp', 'campaigns', id] as const,
  recipients: (tenantId: string, id: string, status: string) =>
    ['tenant', tenantId, 'whatsapp', 'campaigns', id, 'recipients', status] as const,
  rates: (tenantId: string) => ['tenant', tenantId, 'settings', 'whatsapp-rates'] as const,
};

export const isLive = (c: Pick<WhatsappCampaign, 'status'>) => c.status === 'RUNNING' || c.status === 'SCHEDULED';

/** The badge colour of each campaign status. */
export const statusColor: Record<WhatsappCampaign['status'], string> = {
  DRAFT: 'gray',
  SCHEDULED: 'blue',
  RUNNING: 'teal',
  PAUSED: 'yellow',
  COMPLETED: 'green',
  STOPPED: 'red',
  CANCELLED: 'gray',
};
