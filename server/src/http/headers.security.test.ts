import { describe, expect, it } from 'vitest';
import { Client, startTestApp } from '../test/harness.js';

const t = await startTestApp();

/** The CSP as directive → sources. */
function csp(header: unknown) {
  return Object.fromEntries(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

describe('security headers', () => {
  it.each(['/api/v1/plans', '/healthz', '/api/auth/get-session', '/api/v1/no-such-route'])('are sent on %s', async (url) => {
    const res = await new Client(t.app).get(url);
    const policy = csp(res.headers['content-security-policy']);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['script-src-attr']).toEqual(["'none'"]);
    expect(policy['default-src']).toEqual(["'self'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    // Served over http (PUBLIC_URL http://localhost:3000): HSTS would be meaningless and is left out.
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(policy['upgrade-insecure-requests']).toBeUndefined();
  });

  it('allow no inline or foreign script anywhere', async () => {
    const policy = csp((await new Client(t.app).get('/healthz')).headers['content-security-policy']);
    for (const sources of Object.values<string[]>(policy)) {
      expect(sources).not.toContain("'unsafe-eval'");
      expect(sources).not.toContain('*');
    }
    expect(policy['script-src']).not.toContain("'unsafe-inline'");
  });

  it('serve the API documentation page with the same policy, its scripts all from this origin', async () => {
    const page = await new Client(t.app).get('/api/docs/');
    expect(page.status).toBe(200);
    expect(csp(page.headers['content-security-policy'])['script-src']).toEqual(["'self'"]);
    expect(page.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    const scripts = [...page.text.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src).toMatch(/^\.?\//);
      expect((await new Client(t.app).get(new URL(src, 'http://localhost:3000/api/docs/').pathname)).status).toBe(200);
    }
  });

  it('include HSTS when the app is served over https', async () => {
    const https = await startTestApp({ PUBLIC_URL: 'https://optarget.example.com', DEV_OUTBOX: 'false' });
    const res = await https.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(csp(res.headers['content-security-policy'])['upgrade-insecure-requests']).toEqual([]);
  }, 90_000);
});
