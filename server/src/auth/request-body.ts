import { isStorableText, type FieldRule } from '@optarget/shared';
import { AppError } from '../errors/catalogue.js';

/** better-auth's bodies are objects of a few fields, none nested this deep. */
const MAX_DEPTH = 4;

const refused = (path: string[], message: string, rule: FieldRule) => {
  const field = path.join('.') || 'body';
  return new AppError('VALIDATION_FAILED', `${field}: ${message}`, { fields: [{ field, message, rule }] });
};

function check(value: unknown, path: string[]): void {
  if (typeof value === 'string') {
    if (!isStorableText(value))
      throw refused(
        path,
        'must not contain the NUL character or broken Unicode (an unpaired surrogate)',
        value.includes('\0') ? 'noNul' : 'unicode',
      );
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (path.length >= MAX_DEPTH) throw refused(path, `is nested deeper than ${MAX_DEPTH} levels`, 'wrongType');
  for (const [key, item] of Object.entries(value)) check(item, [...path, isStorableText(key) ? key : '?']);
}

/**
 * The body of an /api/auth request, checked before it is copied, serialised again for better-auth
 * or reaches the database: a JSON object, nested a few levels at most, whose texts PostgreSQL can
 * store. Anything else is a 400 naming the field.
 */
export function authRequestBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw refused([], 'must be a JSON object', 'wrongType');
  check(body, []);
  return { ...(body as Record<string, unknown>) };
}
