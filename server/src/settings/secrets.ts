import type { SecretMask } from '@optarget/shared';
import { decryptSecret, encryptSecret } from '../crypto/secrets.js';

/** Secrets kept in settings, each sealed under its own purpose (see crypto/secrets.ts). */
export type SettingsSecret = 'google-places-key' | 'whatsapp-access-token' | 'whatsapp-app-secret' | 'whatsapp-verify-token';

export const sealSecret = (appSecret: string, kind: SettingsSecret, plaintext: string) => encryptSecret(appSecret, kind, plaintext);

export const openSecret = (appSecret: string, kind: SettingsSecret, sealed: string | null) =>
  sealed === null ? null : decryptSecret(appSecret, kind, sealed);

/**
 * How every answer and every audit entry shows a secret: whether one is saved and, for a secret
 * long enough that four characters give nothing away, its last four characters.
 */
export function maskSecret(secret: string | null): SecretMask {
  return { configured: secret !== null, last4: secret !== null && secret.length >= 16 ? secret.slice(-4) : null };
}
