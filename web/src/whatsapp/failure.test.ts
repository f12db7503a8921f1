import { describe, expect, it } from 'vitest';
import { campaignStopCodes, campaignStopJobText, campaignStopReasons, metaStopReason, whatsappFailureNotes } from '@optarget/shared';
import { formatMessage } from '../i18n/format';
import { ar } from '../i18n/ar';
import { en } from '../i18n/en';
import { locales } from '../i18n/locales';

const inArabic = (key: keyof typeof ar, params: Record<string, string | number> = {}) =>
  formatMessage(ar[key], params, locales.ar.intl, 'rtl');

describe('WhatsApp failures and campaign stops in Arabic', () => {
  it('words every failure reason OpTarget writes, in Arabic letters only', () => {
    for (const note of Object.keys(whatsappFailureNotes) as (keyof typeof whatsappFailureNotes)[]) {
      const text = inArabic(`whatsapp.failure.note.${note}`);
      expect(text, note).toMatch(/[\u0600-\u06FF]/);
      expect(text.replace(/JSON/, ''), note).not.toMatch(/[A-Za-z]{3,}/);
    }
  });

  it('names the code of an error Meta answered with, around Meta’s own title', () => {
    const text = inArabic('whatsapp.failure.meta', { code: 131000 });
    expect(text).toContain('131000');
    expect(text).toMatch(/[\u0600-\u06FF]/);
    expect(inArabic('whatsapp.failure.upstream')).toBe('التفاصيل:');
  });

  it('words every reason a campaign stops for, keeping the values it names', () => {
    const params = { metaCode: 135000, template: 'spring_sale', status: 'PAUSED' };
    for (const code of campaignStopCodes) {
      const text = inArabic(`campaigns.stop.${code}`, params);
      expect(text, code).toMatch(/[\u0600-\u06FF]/);
      const rest = Object.values(params).reduce<string>((t, v) => t.replace(String(v), ''), text);
      expect(rest.replace(/Meta|OpTarget/g, ''), code).not.toMatch(/[{}]|[A-Za-z]{3,}/);
    }
  });

  it('words the job log line of a stopped campaign from its case, keeping Meta’s title as it came', () => {
    const title = 'Business portfolio paused';
    const reasons: [number | null, string][] = [
      [135000, metaStopReason(135000, title)],
      [132015, metaStopReason(132015, title)],
      [132016, metaStopReason(132016, title)],
      [190, metaStopReason(190, title)],
      [null, campaignStopReasons.disconnected],
      [null, campaignStopReasons.templateDeleted],
      [null, campaignStopReasons.templateNotApproved('spring_sale', 'PAUSED')],
    ];
    for (const [metaCode, reason] of reasons) {
      const line = campaignStopJobText(metaCode, reason);
      expect(line.code, reason).not.toBe('log.campaignStopped');
      const params = line.params ?? {};
      // The English rendering is the sentence the server has always stored.
      expect(formatMessage(en[`jobText.${line.code}`], params, locales.en.intl, 'ltr')).toBe(`The campaign stopped: ${reason}`);
      const text = inArabic(`jobText.${line.code}`, params);
      expect(text, reason).toMatch(/[\u0600-\u06FF]/);
      const rest = [title, 'spring_sale', 'PAUSED', String(metaCode)].reduce((t, v) => t.replace(v, ''), text);
      expect(rest.replace(/Meta/g, ''), reason).not.toMatch(/[{}]|[A-Za-z]{3,}/);
      if (metaCode !== null) expect(text).toContain(title);
    }
    // Each of Meta's stops is worded as its own case, not as the general refusal.
    expect(inArabic('jobText.log.campaignStoppedByMeta', { stop: 'templatePaused', metaCode: 132015, title })).toContain('لانخفاض جودته');
    // A reason OpTarget did not word stays as it was.
    expect(campaignStopJobText(null, 'something else')).toEqual({ code: 'log.campaignStopped', params: { reason: 'something else' } });
  });
});
