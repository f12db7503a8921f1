import { describe, expect, it } from 'vitest';
import { campaignStopCodes, whatsappFailureNotes } from '@optarget/shared';
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
      expect(en[`whatsapp.failure.note.${note}`].replace(/\.$/, '')).toBe(whatsappFailureNotes[note]);
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
});
