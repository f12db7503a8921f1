import { describe, expect, it } from 'vitest';
import { signUp, startTestApp } from '../test/harness.js';

const t = await startTestApp();

const outbox = (headers: Record<string, string> = {}, remoteAddress?: string) =>
  t.app.inject({ method: 'GET', url: '/api/dev/outbox', headers, ...(remoteAddress ? { remoteAddress } : {}) });

describe('development outbox reachability', () => {
  it('answers the developer on this machine, over IPv4 and IPv6 loopback', async () => {
    await signUp(t);
    expect((await outbox({}, '127.0.0.1')).statusCode).toBe(200);
    expect((await outbox({}, '::1')).statusCode).toBe(200);
    expect((await outbox({}, '::ffff:127.0.0.1')).statusCode).toBe(200);
  });

  it.each([
    ['a client on the network', {}, '192.0.2.10'],
    ['a remote client claiming to be local in X-Forwarded-For', { 'x-forwarded-for': '127.0.0.1' }, '192.0.2.10'],
    ['a remote client forwarded by a proxy on this machine', { 'x-forwarded-for': '198.51.100.7' }, '127.0.0.1'],
    ['a client behind a chain of proxies', { 'x-forwarded-for': '198.51.100.7, 127.0.0.1' }, '127.0.0.1'],
    ['a remote client in a Forwarded header', { forwarded: 'for=198.51.100.7;proto=https' }, '127.0.0.1'],
    ['a remote client in X-Real-IP', { 'x-real-ip': '198.51.100.7' }, '127.0.0.1'],
  ])('is an unknown route to %s, and shows no email', async (_, headers, remoteAddress) => {
    const res = await outbox(headers, remoteAddress);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
    expect(res.body).not.toMatch(/token|@example\.test/);
  });

  it('does not serve the web page for it to anyone but this machine', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/dev/outbox', remoteAddress: '192.0.2.10' })).statusCode).toBe(404);
  });

  it('does not exist at all on a public address, even from this machine', async () => {
    const exposed = await startTestApp({ PUBLIC_URL: 'https://optarget.example.com', DEV_OUTBOX: 'false' });
    expect((await exposed.app.inject({ method: 'GET', url: '/api/dev/outbox' })).statusCode).toBe(404);
    expect(exposed.config.devOutboxEnabled).toBe(false);
  }, 90_000);
});
