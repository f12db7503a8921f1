import { describe, expect, it } from 'vitest';
import { runs } from './runs.js';

describe('report text runs', () => {
  it('sets numbers, phones, URLs and e-mails inside Arabic as left-to-right runs, with Arabic-Indic digits only in numbers and phones', () => {
    const text = 'اتصل على +966 11 456 7890 أو hello@a1.example خلال 4.2 ثانية عبر https://a1.example/x2';
    expect(runs(text, 'ar', 'arabic-indic')).toEqual([
      { t: 'اتصل على ' },
      { t: '+٩٦٦\u200e ١١\u200e ٤٥٦\u200e ٧٨٩٠', ltr: true },
      { t: ' أو ' },
      { t: 'hello@a1.example', ltr: true },
      { t: ' خلال ' },
      { t: '٤٫٢', ltr: true },
      { t: ' ثانية عبر ' },
      { t: 'https://a1.example/x2', ltr: true },
    ]);
    expect(runs(text, 'ar', 'latin').map((r) => r.t)).toContain('+966 11 456 7890');
  });

  it('leaves English text whole, digits included, whatever the digits setting', () => {
    expect(runs('Took 4.2 seconds', 'en', 'arabic-indic')).toEqual([{ t: 'Took 4.2 seconds' }]);
  });
});
