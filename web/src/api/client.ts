import { currentLocale, t, tDynamic } from '../i18n';
import { problemDetail } from './problem-detail';

export interface FieldError {
  field: string;
  /** Why, in the user's language. */
  message: string;
}

/** Every failed request becomes an ApiError, whether it came from /api/v1 (problem+json) or /api/auth (better-auth). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  readonly body: unknown;

  constructor(status: number, code: string, message: string, fields: FieldError[] = [], body?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.body = body;
  }
}

export function isApiError(e: unknown, status?: number): e is ApiError {
  return e instanceof ApiError && (status === undefined || e.status === status);
}

/** A message fit for showing to the user. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message || t('errors.generic');
  if (e instanceof Error && e.message) return e.message;
  return t('errors.generic');
}

/** One page of a keyset-paginated list, as every list endpoint answers. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The base path of everything a tenant owns. */
export const tenantPath = (tenantId: string) => `/api/v1/tenants/${encodeURIComponent(tenantId)}`;

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

function toFields(raw: unknown): FieldError[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((f): f is { field?: unknown; path?: unknown; message?: unknown } => typeof f === 'object' && f !== null)
    .map((f) => ({
      field: typeof f.field === 'string' ? f.field : Array.isArray(f.path) ? f.path.join('.') : '',
      message: fieldMessage(f),
    }));
}

/**
 * A refused field's reason in the user's language: in English the server's own words, which name the
 * exact value and case; in another language the server's rule worded here, else a general reason,
 * never English there.
 */
export function fieldMessage(f: { message?: unknown; rule?: unknown; params?: unknown }): string {
  if (currentLocale() === 'en' && typeof f.message === 'string' && f.message) return f.message;
  const params = typeof f.params === 'object' && f.params !== null ? (f.params as Record<string, string | number>) : undefined;
  const worded = typeof f.rule === 'string' ? tDynamic(`validation.rule.${f.rule}`, '', params) : '';
  return worded || t('validation.rule.invalid');
}

/**
 * The message of a failed request: a refused form says which fields and why; another error says what
 * the server said when that is in the user's language (English), else what its code means.
 */
function problemMessage(code: string, status: number, obj: Record<string, unknown>, fields: FieldError[], data: unknown): string {
  // better-auth's refusals name their fields too, under codes of their own (PASSWORD_TOO_SHORT).
  if (fields.length) return fields.map((f) => f.message).join(' · ');
  const detail = typeof obj.detail === 'string' && obj.detail ? obj.detail : null;
  if (detail && currentLocale() === 'en' && code !== 'INTERNAL') return detail;
  const specific = problemDetail(code, obj);
  return (
    (specific && t(specific.key, specific.params)) ||
    tDynamic(`errors.code.${code}`, '') ||
    (status === 503 && t('errors.unavailable')) ||
    (currentLocale() === 'en' &&
      ((typeof obj.message === 'string' && obj.message) ||
        (typeof obj.title === 'string' && obj.title) ||
        (typeof data === 'string' && data.length < 300 && data))) ||
    (status === 403 ? t('errors.forbidden') : status === 404 ? t('errors.notFound') : t('errors.generic'))
  );
}

async function parseBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, query, signal } = opts;
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  // Forms and files go as they are (the browser sets their content type); anything else as JSON.
  const isForm = (typeof FormData !== 'undefined' && body instanceof FormData) || (typeof Blob !== 'undefined' && body instanceof Blob);
  if (body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), {
      method,
      credentials: 'same-origin',
      headers,
      body: isForm ? body : body !== undefined ? JSON.stringify(body) : undefined,
      signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK_ERROR', t('errors.network'));
  }
  if (res.status === 204) return undefined as T;
  const data = await parseBody(res);
  if (!res.ok) {
    const obj = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
    const code = typeof obj.code === 'string' && obj.code ? obj.code : `HTTP_${res.status}`;
    const fields = toFields(obj.fields ?? obj.errors);
    throw new ApiError(res.status, code, problemMessage(code, res.status, obj, fields, data), fields, data);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>(path, { query, signal }),
  post: <T>(path: string, body: unknown = {}) => request<T>(path, { method: 'POST', body }),
  put: <T>(path: string, body: unknown = {}) => request<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body: unknown = {}) => request<T>(path, { method: 'PATCH', body }),
  del: <T = void>(path: string) => request<T>(path, { method: 'DELETE' }),
  /** multipart/form-data upload (the browser sets the boundary). */
  upload: <T>(path: string, form: FormData) => request<T>(path, { method: 'POST', body: form }),
  /** A file as the whole request body. */
  putFile: <T>(path: string, file: Blob) => request<T>(path, { method: 'PUT', body: file }),
};
