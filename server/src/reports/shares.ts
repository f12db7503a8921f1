import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { reportAuditActions, type CreatedShare, type ReportView } from '@optarget/shared';
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/client.js';
import { reportShares, reportViews, reports } from '../db/schema/index.js';
import { inSystemTransaction, inTenantTransaction, type Tx } from '../db/transactions.js';
import { AppError, notFound } from '../errors/catalogue.js';
import type { TenantContext } from '../http/routes.js';
import { toShareDto } from './reports.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Share tokens are 256 random bits; only their SHA-256 is stored, so the table cannot open a report. */
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The public address of a shared report (served by public-routes.ts). */
export const shareUrl = (publicUrl: string, token: string) => `${publicUrl}/r/${token}`;

export async function createShare(ctx: TenantContext, reportId: string, expiresInDays: number): Promise<CreatedShare> {
  const [report] = await ctx.tx
    .select({ status: reports.status })
    .from(reports)
    .where(and(eq(reports.tenantId, ctx.tenantId), eq(reports.id, reportId)));
  if (!report) throw notFound('No such report.');
  if (report.status !== 'SUCCEEDED')
    throw new AppError('CONFLICT', 'Only a finished report can be shared.', { reason: 'reportNotFinished' });
  const token = randomBytes(32).toString('base64url');
  const share = await insertShare(ctx, reportId, { token, expiresInDays, channel: null });
  return { ...toShareDto(share), token, url: shareUrl(ctx.services.config.publicUrl, token) };
}

async function insertShare(
  ctx: TenantContext,
  reportId: string,
  s: { id?: string; token: string; expiresInDays: number; channel: 'whatsapp' | null },
) {
  const [share] = await ctx.tx
    .insert(reportShares)
    .values({
      ...(s.id ? { id: s.id } : {}),
      tenantId: ctx.tenantId,
      reportId,
      tokenHash: hashToken(s.token),
      expiresAt: new Date(Date.now() + s.expiresInDays * DAY_MS),
      channel: s.channel,
      createdByUserId: ctx.actor.userId,
    })
    .returning();
  await recordAudit(ctx.tx, ctx.tenantId, ctx.actor, {
    action: reportAuditActions.shared,
    targetType: 'report',
    targetId: reportId,
    metadata: { shareId: share.id, expiresAt: share.expiresAt.toISOString(), ...(s.channel ? { channel: s.channel } : {}) },
  });
  return share;
}

/** Links made for WhatsApp templates last 30 days and are reused while a week or more is left, so a recipient has time to open one. */
const WHATSAPP_SHARE_DAYS = 30;
const WHATSAPP_REUSE_MIN_MS = 7 * DAY_MS;
/** A WhatsApp link's token is the app secret's HMAC of its id: it can be sent again, and the table still holds only its hash. */
const derivedToken = (appSecret: string, shareId: string) =>
  createHmac('sha256', appSecret).update(`report-share:${shareId}`).digest('base64url');

/** The public link of a finished report for a template variable: an active WhatsApp link of it, or a new one (audited). */
export async function whatsappShareUrl(ctx: TenantContext, reportId: string): Promise<string> {
  const { appSecret, publicUrl } = ctx.services.config;
  const [live] = await ctx.tx
    .select({ id: reportShares.id })
    .from(reportShares)
    .where(
      and(
        eq(reportShares.tenantId, ctx.tenantId),
        eq(reportShares.reportId, reportId),
        eq(reportShares.channel, 'whatsapp'),
        isNull(reportShares.revokedAt),
        gt(reportShares.expiresAt, new Date(Date.now() + WHATSAPP_REUSE_MIN_MS)),
      ),
    )
    .orderBy(desc(reportShares.expiresAt))
    .limit(1);
  if (live) return shareUrl(publicUrl, derivedToken(appSecret, live.id));
  const id = randomUUID();
  const token = derivedToken(appSecret, id);
  await insertShare(ctx, reportId, { id, token, expiresInDays: WHATSAPP_SHARE_DAYS, channel: 'whatsapp' });
  return shareUrl(publicUrl, token);
}

/** Revokes a link at once; revoking a revoked link changes nothing and is not audited again. */
export async function revokeShare(ctx: TenantContext, reportId: string, shareId: string) {
  const where = and(eq(reportShares.tenantId, ctx.tenantId), eq(reportShares.reportId, reportId), eq(reportShares.id, shareId));
  const [share] = await ctx.tx.select().from(reportShares).where(where);
  if (!share) throw notFound('No such share link.');
  if (share.revokedAt) return toShareDto(share);
  const [revoked] = await ctx.tx.update(reportShares).set({ revokedAt: new Date() }).where(where).returning();
  await recordAudit(ctx.tx, ctx.tenantId, ctx.actor, {
    action: reportAuditActions.revoked,
    targetType: 'report',
    targetId: reportId,
    metadata: { shareId },
  });
  return toShareDto(revoked);
}

export async function findViews(tx: Tx, tenantId: string, reportId: string): Promise<{ items: ReportView[] }> {
  const [report] = await tx
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.tenantId, tenantId), eq(reports.id, reportId)));
  if (!report) throw notFound('No such report.');
  const rows = await tx
    .select()
    .from(reportViews)
    .where(and(eq(reportViews.tenantId, tenantId), eq(reportViews.reportId, reportId)))
    .orderBy(desc(reportViews.viewedAt))
    .limit(500);
  return { items: rows.map((v) => ({ id: v.id, viewedAt: v.viewedAt.toISOString(), device: v.device as ReportView['device'] })) };
}

export type OpenShare = { shareId: string; tenantId: string; reportId: string };

/**
 * The live link a token opens, looked up by its hash on the system path (the tenant is not known
 * yet). A malformed, unknown, revoked or expired token, or an unfinished report, is null: one 404.
 */
export async function resolveShare(db: Db, token: string): Promise<OpenShare | null> {
  if (!TOKEN.test(token)) return null;
  const [share] = await inSystemTransaction(db, (tx) =>
    tx
      .select({ shareId: reportShares.id, tenantId: reportShares.tenantId, reportId: reportShares.reportId })
      .from(reportShares)
      .innerJoin(reports, eq(reports.id, reportShares.reportId))
      .where(
        and(
          eq(reportShares.tokenHash, hashToken(token)),
          isNull(reportShares.revokedAt),
          gt(reportShares.expiresAt, new Date()),
          eq(reports.status, 'SUCCEEDED'),
        ),
      ),
  );
  return share ?? null;
}

/** A coarse device from the user agent: all a view keeps about who opened the report. */
export function deviceOf(userAgent: string | undefined): ReportView['device'] {
  const ua = userAgent ?? '';
  if (/iPad|Tablet|PlayBook|Silk/i.test(ua)) return 'tablet';
  if (/Mobi|iPhone|iPod|Android/i.test(ua)) return 'mobile';
  if (/Windows NT|Macintosh|X11|CrOS|Linux/i.test(ua)) return 'desktop';
  return 'other';
}

/** Records one view of a shared report and wakes the creator's live stream. */
export async function recordView(db: Db, share: OpenShare, userAgent: string | undefined) {
  await inTenantTransaction(db, share.tenantId, (tx) =>
    tx
      .insert(reportViews)
      .values({ tenantId: share.tenantId, reportId: share.reportId, shareId: share.shareId, device: deviceOf(userAgent) }),
  );
}
