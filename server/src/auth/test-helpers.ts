import { createHmac } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { auditLogs, users } from '../db/schema/index.js';
import { Client, lastEmailTo, linkIn, PASSWORD, type TestApp } from '../test/harness.js';

/** A fresh browser signing in with email and password; the reply tells whether it worked. */
export async function signIn(t: TestApp, email: string, password = PASSWORD) {
  const client = new Client(t.app);
  const res = await client.post('/api/auth/sign-in/email', { email, password });
  return { client, res };
}

/** Every audit entry about this person (security events target the user), oldest first. */
export async function auditEntriesFor(t: TestApp, userId: string) {
  return t.database.db.select().from(auditLogs).where(eq(auditLogs.targetId, userId)).orderBy(asc(auditLogs.createdAt));
}

export async function auditActionsFor(t: TestApp, userId: string) {
  return (await auditEntriesFor(t, userId)).map((e) => e.action);
}

export async function userRow(t: TestApp, userId: string) {
  const [row] = await t.database.db.select().from(users).where(eq(users.id, userId));
  return row;
}

/**
 * Follows the link of the newest email to `email` the way a browser would and returns where it
 * ends up (better-auth answers the emailed links with a redirect).
 */
export async function followEmailLink(t: TestApp, email: string, client = new Client(t.app)) {
  const message = await lastEmailTo(t, email);
  const link = message && linkIn(message.text);
  if (!link) throw new Error(`no email with a link was sent to ${email}`);
  const res = await client.get(link.replace(t.config.publicUrl, ''));
  return { link, res, location: new URL(String(res.headers.location ?? ''), t.config.publicUrl) };
}

/** The password-reset token, as the web app's /reset-password page receives it after the emailed link's redirect. */
export async function resetTokenFromEmail(t: TestApp, email: string) {
  const { res, location } = await followEmailLink(t, email);
  if (res.status !== 302 || location.pathname !== '/reset-password')
    throw new Error(`unexpected reset redirect: ${res.status} ${location}`);
  const token = location.searchParams.get('token');
  if (!token) throw new Error(`no token in ${location}`);
  return token;
}

/** RFC 6238 TOTP (HMAC-SHA-1, 30-second steps, 6 digits) for the secret inside an otpauth:// URI. */
export function totpCode(totpUri: string, at = Date.now()) {
  const secret = new URL(totpUri).searchParams.get('secret');
  if (!secret) throw new Error('the TOTP URI has no secret');
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 1_000_000).padStart(6, '0');
}

function base32Decode(text: string) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    bits += index.toString(2).padStart(5, '0');
  }
  const bytes = bits.match(/.{8}/g) ?? [];
  return Buffer.from(bytes.map((b) => parseInt(b, 2)));
}

/** Asserts nothing secret leaked into audit metadata: no password, token or code string anywhere. */
export function secretsIn(entries: { metadata: Record<string, unknown> }[], secrets: string[]) {
  const dump = JSON.stringify(entries.map((e) => e.metadata));
  const keys = /"(password|newPassword|currentPassword|token|secret|code|backupCodes?)":/i;
  return { leakedValues: secrets.filter((s) => s && dump.includes(s)), hasSecretKeys: keys.test(dump) };
}
