import type { FieldRule } from '@optarget/shared';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;

type Field = { field: string; message: string; rule: FieldRule; params?: Record<string, string | number> };

/** The field a password refusal is about: the endpoints that set a new password call it `newPassword`. */
const passwordFieldOf = (path: string) => (path === '/reset-password' || path === '/change-password' ? 'newPassword' : 'password');

/** The rule a better-call validation message (zod's default English) stands for. */
function ruleOf(message: string): Pick<Field, 'rule' | 'params'> {
  if (/received undefined/.test(message)) return { rule: 'required' };
  if (/^Invalid input: expected/.test(message)) return { rule: 'wrongType' };
  if (/^Invalid email/.test(message)) return { rule: 'email' };
  if (/^Invalid URL/.test(message)) return { rule: 'url' };
  const small = /^Too small: expected string to have >=(\d+)/.exec(message);
  if (small) return Number(small[1]) === 1 ? { rule: 'required' } : { rule: 'tooShort', params: { min: Number(small[1]) } };
  const big = /^Too big: expected string to have <=(\d+)/.exec(message);
  if (big) return { rule: 'tooLong', params: { max: Number(big[1]) } };
  return { rule: 'invalid' };
}

/**
 * The fields a refused /api/auth request names, each with the rule the web words in the user's
 * language, read from better-auth's answer (a code and English message): `[]` when it names none.
 */
export function authRefusalFields(path: string, answer: { code?: unknown; message?: unknown }): Field[] {
  const message = typeof answer.message === 'string' ? answer.message : '';
  switch (answer.code) {
    case 'PASSWORD_TOO_SHORT':
      return [{ field: passwordFieldOf(path), message, rule: 'tooShort', params: { min: MIN_PASSWORD_LENGTH } }];
    case 'PASSWORD_TOO_LONG':
      return [{ field: passwordFieldOf(path), message, rule: 'tooLong', params: { max: MAX_PASSWORD_LENGTH } }];
    case 'INVALID_EMAIL':
      return [{ field: 'email', message, rule: 'email' }];
    case 'VALIDATION_ERROR':
      // better-call joins zod's issues as "[body.email] Invalid email address; [body.password] …".
      return message.split('; ').flatMap((issue) => {
        const found = /^\[(?:body|query)\.([^\]]+)\] (.*)$/.exec(issue);
        return found ? [{ field: found[1], message: found[2], ...ruleOf(found[2]) }] : [];
      });
    default:
      return [];
  }
}
