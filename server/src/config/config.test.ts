import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('runs with no variables at all: embedded database, port 3000, local URL', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DATA_DIR).toBe('./data');
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.devOutboxEnabled).toBe(true);
  });

  it('names every bad value with a clear message', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SMTP_URL: 'http://mail', APP_SECRET: 'short' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT: /);
    expect(message).toMatch(/DATABASE_URL: must start with postgres:\/\//);
    expect(message).toMatch(/SMTP_URL: must start with smtp:\/\//);
    expect(message).toMatch(/APP_SECRET: must be at least 32 characters/);
  });

  it('requires APP_SECRET in production and turns the development outbox off there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/APP_SECRET: is required when NODE_ENV=production/);
    const config = loadConfig({ NODE_ENV: 'production', APP_SECRET: 'x'.repeat(32) });
    expect(config.devOutboxEnabled).toBe(false);
  });

  it('reads the database timeouts, with limits by default, and refuses values that are not milliseconds', () => {
    expect(loadConfig({}).databaseTimeouts).toEqual({ connectMs: 3000, statementMs: 30_000, idleInTransactionMs: 60_000 });
    const config = loadConfig({
      DATABASE_CONNECT_TIMEOUT_MS: '1500',
      DATABASE_STATEMENT_TIMEOUT_MS: '0',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '5000',
    });
    expect(config.databaseTimeouts).toEqual({ connectMs: 1500, statementMs: 0, idleInTransactionMs: 5000 });
    expect(() => loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: '0', DATABASE_STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(
      /DATABASE_CONNECT_TIMEOUT_MS: [\s\S]*DATABASE_STATEMENT_TIMEOUT_MS: /,
    );
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).DATABASE_URL).toBeUndefined();
  });
});
