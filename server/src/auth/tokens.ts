/**
 * better-auth puts session tokens in its JSON answers (sign-in, sign-up, 2FA, get-session,
 * list-sessions, change-password). A token in a body can be read by any script on the page and
 * ends up in logs and caches; the session lives in the httpOnly cookie alone. Every `token`
 * property, at any depth, is removed from the answers of /api/auth before they are sent.
 */
export function withoutSessionTokens(body: string): string {
  if (!body.includes('"token"')) return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  return JSON.stringify(strip(parsed));
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'token')
      .map(([key, v]) => [key, strip(v)]),
  );
}
