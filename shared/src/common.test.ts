import { describe, expect, it } from 'vitest';
import { IsoDate, Text, isRealDate, isStorableText, isUuid } from './common.js';

describe('the shared text type', () => {
  it.each([
    ['plain text', 'Riyadh Dental', true],
    ['Arabic with an emoji (a surrogate pair)', 'عيادة 😀', true],
    ['a NUL', 'a\0b', false],
    ['a lone high surrogate at the end', 'abc\ud83d', false],
    ['a lone low surrogate at the start', '\ude00abc', false],
    ['two high surrogates', '\ud83d\ud83d\ude00', false],
  ])('%s: storable %s', (_label, value, storable) => {
    expect(isStorableText(value)).toBe(storable);
    expect(Text.safeParse(value).success).toBe(storable);
  });
});

describe('dates', () => {
  it.each([
    ['2024-02-29T12:00:00Z', true],
    ['2025-02-29T12:00:00Z', false],
    ['2000-02-29T00:00:00Z', true],
    ['1900-02-29T00:00:00Z', false],
    ['0000-01-01T00:00:00Z', false],
    ['0001-01-01T00:00:00Z', true],
    ['2025-04-31T00:00:00Z', false],
    ['9999-99-99T99:99:99.999999Z', false],
  ])('%s exists: %s', (value, exists) => {
    expect(isRealDate(value)).toBe(exists);
    expect(IsoDate.safeParse(value).success).toBe(exists);
  });
});

it('one UUID check for ids outside a schema', () => {
  expect(isUuid('0bc6d0ca-9f3e-4c47-8d7e-5b1f6a2c9e10')).toBe(true);
  expect(isUuid('0BC6D0CA-9F3E-4C47-8D7E-5B1F6A2C9E10')).toBe(true);
  expect(isUuid("0bc6d0ca-9f3e-4c47-8d7e-5b1f6a2c9e10' or 1=1")).toBe(false);
  expect(isUuid(42)).toBe(false);
});
