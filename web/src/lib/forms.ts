import type { UseFormReturnType } from '@mantine/form';
import { ApiError, errorMessage } from '../api/client';
import { t } from '../i18n';

export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const validators = {
  email: (v: string) => (EMAIL_RE.test(v.trim()) ? null : t('validation.emailInvalid')),
  password: (v: string) => (v.length >= 8 && v.length <= 128 ? null : t('validation.passwordLength')),
  passwordRequired: (v: string) => (v.length > 0 ? null : t('validation.passwordRequired')),
  name: (v: string) => (v.trim().length > 0 ? null : t('validation.nameRequired')),
  tenantName: (v: string) => (v.trim().length >= 2 && v.trim().length <= 100 ? null : t('validation.tenantNameLength')),
  code: (v: string) => (v.trim().length > 0 ? null : t('validation.codeRequired')),
};

/**
 * Puts the server's field errors on the matching form fields (field names such as `body.email`
 * or `email` both map to `email`; `aliases` maps server names to form names).
 * Returns the message to show above the form, or null when every error landed on a field.
 */
export function applyServerErrors<V extends Record<string, unknown>>(
  form: UseFormReturnType<V>,
  error: unknown,
  aliases: Record<string, keyof V & string> = {},
): string | null {
  if (!(error instanceof ApiError)) return errorMessage(error);
  const known = Object.keys(form.values);
  let unplaced = 0;
  for (const f of error.fields) {
    const last = f.field.split(/[./]/).filter(Boolean).pop() ?? f.field;
    const target = aliases[f.field] ?? aliases[last] ?? (known.includes(f.field) ? f.field : known.includes(last) ? last : null);
    if (target) form.setFieldError(target, f.message);
    else unplaced++;
  }
  if (error.fields.length > 0 && unplaced === 0) return null;
  return error.message;
}

/** Only follow redirects inside this app. */
export function safeRedirect(target: string | undefined | null, fallback = '/'): string {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback;
  return target;
}
