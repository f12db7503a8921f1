import { fieldRules, type FieldRule } from '@optarget/shared';

type Issue = { keyword: string; message?: string; params?: Record<string, unknown> };
type Ruled = { rule: FieldRule; params?: Record<string, string | number> };

const sized: Record<string, { small: FieldRule; big: FieldRule }> = {
  string: { small: 'tooShort', big: 'tooLong' },
  array: { small: 'tooFew', big: 'tooMany' },
  set: { small: 'tooFew', big: 'tooMany' },
};
const formats: Record<string, FieldRule> = { email: 'email', uuid: 'id', guid: 'id', url: 'url', datetime: 'date', date: 'date' };
const isRule = (value: unknown): value is FieldRule => typeof value === 'string' && (fieldRules as readonly string[]).includes(value);

/** The rule a zod issue (as fastify-type-provider-zod reports it) broke, with the numbers or names it needs. */
export function fieldRuleOf(issue: Issue): Ruled {
  const p = issue.params ?? {};
  switch (issue.keyword) {
    case 'invalid_type':
      return /received undefined/.test(issue.message ?? '') ? { rule: 'required' } : { rule: 'wrongType' };
    case 'too_small': {
      const min = Number(p.minimum);
      if (p.origin === 'string' && min === 1) return { rule: 'required' };
      return { rule: sized[String(p.origin)]?.small ?? 'tooSmall', params: { min } };
    }
    case 'too_big':
      return { rule: sized[String(p.origin)]?.big ?? 'tooBig', params: { max: Number(p.maximum) } };
    case 'invalid_format':
      return { rule: formats[String(p.format)] ?? 'format' };
    case 'invalid_value':
      return { rule: 'oneOf', params: { values: Array.isArray(p.values) ? p.values.map(String).join(', ') : '' } };
    case 'unrecognized_keys':
      return { rule: 'unknownField', params: { keys: Array.isArray(p.keys) ? p.keys.map(String).join(', ') : '' } };
    case 'custom': {
      const { rule, ...given } = (p.params ?? {}) as Record<string, unknown>;
      if (!isRule(rule)) return { rule: 'invalid' };
      const params = Object.fromEntries(
        Object.entries(given).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number'),
      );
      return Object.keys(params).length ? { rule, params } : { rule };
    }
    default:
      return { rule: 'invalid' };
  }
}
