import { describe, expect, it } from 'vitest';
import { draftReader } from './row-to-draft.js';
import { refusalDetail } from './refusal-detail.js';

const read = draftReader(['Name', 'Lat', 'Reviews', 'Status'], { '0': 'name', '1': 'lat', '2': 'reviewCount', '3': 'status' });
const errorOf = (cells: string[]) => {
  const refused = read(cells);
  if (!('error' in refused)) throw new Error('the row was accepted');
  return refused.error;
};

describe('a refused row, explained in the report language', () => {
  // The English is what the import writes; matching it is what keeps the Arabic report free of English.
  it.each([
    [['Cafe', '1'], 'عدد الأعمدة المتوقع 4، والموجود 2'],
    [['', '', '', ''], 'الاسم مطلوب'],
    [['Cafe', 'north', '', ''], 'Lat: "north" ليس رقمًا'],
    [['Cafe', '95', '', ''], 'Lat: 95 خارج النطاق من -90 إلى 90'],
    [['Cafe', '', '', 'maybe'], 'Status: "maybe" ليس واحدًا من: NEW, CONTACTED'],
  ])('%j', (cells, arabic) => {
    const error = errorOf(cells);
    expect(refusalDetail(error, 'en')).toBe(error);
    expect(refusalDetail(error, 'ar').startsWith(arabic)).toBe(true);
    expect(refusalDetail(error, 'ar')).toMatch(/[\u0600-\u06FF]/);
  });

  it('an unreadable row and a detail of a form it does not know', () => {
    expect(refusalDetail('the row could not be read as CSV (check its quotes)', 'ar')).toBe(
      'تعذّرت قراءة الصف كـ CSV (تحقق من علامات الاقتباس فيه)',
    );
    expect(refusalDetail('something new', 'ar')).toBe('something new');
  });
});
