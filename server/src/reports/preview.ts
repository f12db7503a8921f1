import type { ReportLanguage } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';
import type { TenantStreamContext } from '../http/routes.js';
import { getBranding } from '../settings/branding.js';
import { documentFrame, logoOf } from './frame.js';
import { reportLabels } from './labels.js';
import { reportRenderer } from './render/shared-renderer.js';
import { runsFor } from './runs.js';

/** The business a preview's cover names, in each language. */
const sample = {
  en: { name: 'Example Dental Clinic', place: 'Dentist · Riyadh' },
  ar: { name: 'عيادة الأسنان النموذجية', place: 'طبيب أسنان · الرياض' },
} as const;

/**
 * A report's cover as typst prints it with the tenant's saved branding, as SVG: the same template
 * and fonts as the PDF, so the preview is what the business owner will see. Read in a short
 * transaction; no transaction is held while typst renders.
 */
export async function brandingPreview(ctx: TenantStreamContext, language: ReportLanguage | undefined) {
  const branding = await ctx.inTenant((tx) => getBranding(tx, ctx.tenantId));
  const chosen = language ?? branding.reportLanguage;
  const r = runsFor(chosen, branding.digits);
  const data = {
    ...documentFrame(branding, chosen, new Date(), reportLabels[chosen].title, sample[chosen].name),
    subject: { name: r(sample[chosen].name), facts: [r(sample[chosen].place)] },
    osm: false,
  };
  let svg: string;
  try {
    svg = await reportRenderer().renderSvg('cover', data, logoOf(branding));
  } catch {
    throw new AppError('INTERNAL', 'The preview could not be laid out.');
  }
  ctx.reply
    .header('content-type', 'image/svg+xml; charset=utf-8')
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  return svg;
}
