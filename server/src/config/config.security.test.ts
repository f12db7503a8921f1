import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const secret = 'a'.repeat(40);

describe('APP_SECRET outside a local development setup', () => {
  it.each([
    ['production', { NODE_ENV: 'production' }, /APP_SECRET: is required when NODE_ENV=production/],
    [
      'a public address',
      { PUBLIC_URL: 'https://optarget.example.com' },
      /APP_SECRET: is required when PUBLIC_URL \(https:\/\/optarget\.example\.com\) is not a localhost address/,
    ],
    [
      'a public address with the development value',
      { PUBLIC_URL: 'https://optarget.example.com', APP_SECRET: 'optarget-development-secret-change-me-0000' },
      /APP_SECRET: is the public development value/,
    ],
  ])('refuses to start without a real secret on %s', (_, env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('refuses a short secret anywhere', () => {
    expect(() => loadConfig({ APP_SECRET: 'short-secret' })).toThrow(/APP_SECRET: must be at least 32 characters/);
    expect(() => loadConfig({ APP_SECRET: 'short-secret', PUBLIC_URL: 'https://optarget.example.com' })).toThrow(/APP_SECRET/);
  });

  it('starts with a real secret on a public address, and with none on localhost', () => {
    expect(loadConfig({ APP_SECRET: secret, PUBLIC_URL: 'https://optarget.example.com' }).appSecret).toBe(secret);
    expect(loadConfig({}).localDevelopment).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3000' }).localDevelopment).toBe(true);
  });
});

describe('development outbox configuration', () => {
  it('is on only for a local development setup without SMTP', () => {
    expect(loadConfig({}).devOutboxEnabled).toBe(true);
    expect(loadConfig({ SMTP_URL: 'smtp://mail.example.com' }).devOutboxEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: secret }).devOutboxEnabled).toBe(false);
    expect(loadConfig({ PUBLIC_URL: 'https://optarget.example.com', APP_SECRET: secret }).devOutboxEnabled).toBe(false);
  });

  it('refuses DEV_OUTBOX=true where the outbox could be reached by others', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', APP_SECRET: secret, DEV_OUTBOX: 'true' })).toThrow(
      /DEV_OUTBOX: .*only for a local setup/,
    );
    expect(() => loadConfig({ PUBLIC_URL: 'https://optarget.example.com', APP_SECRET: secret, DEV_OUTBOX: 'true' })).toThrow(/DEV_OUTBOX/);
  });
});
