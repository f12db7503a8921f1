/**
 * Sessions this process has recently resolved through better-auth, by the signed cookie value
 * that resolved them. A hit skips better-auth's signature check and its two queries (session,
 * user); the value is the very string better-auth verified, so a hit proves what a lookup would.
 *
 * An entry lives SESSION_CACHE_MS at most and never past the session's expiry. Any auth call that
 * may change a session or its user (sign-out, revocation, password or 2FA change, profile update)
 * empties the cache of every API process at once (auth/session-invalidation.ts).
 */
export const SESSION_CACHE_MS = 15_000;
const MAX_ENTRIES = 10_000;

export class SessionCache<S> {
  private readonly entries = new Map<string, { session: S; until: number }>();
  /** Bumped by clear(): a lookup that began before a sign-out must not store what it read. */
  private generation = 0;
  /** While suspended nothing is served or kept (the process might miss another one's sign-out). */
  private suspended = false;

  constructor(private readonly ttlMs = SESSION_CACHE_MS) {}

  get(cookieValue: string): S | null {
    if (this.suspended) return null;
    const entry = this.entries.get(cookieValue);
    if (!entry) return null;
    if (entry.until > Date.now()) return entry.session;
    this.entries.delete(cookieValue);
    return null;
  }

  /** The moment a lookup starts, to hand back to set(). */
  mark(): number {
    return this.generation;
  }

  set(cookieValue: string, session: S, expiresAt: Date, mark: number) {
    const until = Math.min(Date.now() + this.ttlMs, expiresAt.getTime());
    if (this.suspended || mark !== this.generation || until <= Date.now()) return;
    // Bounded: past the cap the oldest entry goes (Map keeps insertion order).
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(cookieValue, { session, until });
  }

  clear() {
    this.generation++;
    this.entries.clear();
  }

  suspend() {
    this.suspended = true;
    this.clear();
  }

  resume() {
    this.clear();
    this.suspended = false;
  }
}

const caches = new WeakMap<object, SessionCache<unknown>>();

/** The cache that goes with one better-auth instance (one per app), made on first use. */
export function sessionCacheFor<S>(auth: object): SessionCache<S> {
  let cache = caches.get(auth);
  if (!cache) caches.set(auth, (cache = new SessionCache()));
  return cache as SessionCache<S>;
}

/**
 * The value of the one cookie named `name` in a Cookie header; null when it is absent or when
 * any session cookie appears more than once (better-auth decides which one counts, so such a
 * request is always resolved by better-auth and never cached).
 */
export function sessionCookieValue(cookieHeader: string | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  let value: string | null = null;
  let seen = 0;
  for (const pair of cookieHeader.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    const key = pair.slice(0, at).trim();
    if (!key.endsWith('session_token')) continue;
    seen++;
    if (key === name) value = pair.slice(at + 1).trim();
  }
  return seen === 1 ? value : null;
}
