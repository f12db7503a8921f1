import { describe, expect, it } from 'vitest';
import { joinAs } from '../leads/test-helpers.js';
import { signUp, startTestApp } from '../test/harness.js';

const t = await startTestApp();
const previewUrl = (tenantId: string, query = '') => `/api/v1/tenants/${tenantId}/settings/branding/preview.svg${query}`;

describe('the branding preview', () => {
  it('is the cover as typst prints it with the saved branding: one page of SVG that follows each change', async () => {
    const owner = await signUp(t, { name: 'Preview Owner' });
    const first = await owner.client.request('GET', previewUrl(owner.tenantId, '?language=en'));
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(first.headers['content-security-policy']).toContain("default-src 'none'");
    const before = first.raw.toString('utf8');
    expect(before).toMatch(/^<svg[^>]* viewBox="0 0 596\.000 842\.000"/);
    expect(before).not.toMatch(/<script/i);
    expect(before).toContain('fill="#1c7ed6"');
    expect(before).toContain('Example Dental Clinic');

    const saved = await owner.client.patch(`/api/v1/tenants/${owner.tenantId}/settings/branding`, {
      displayName: 'Crimson Growth',
      brandColor: '#c92a2a',
      reportLanguage: 'ar',
    });
    expect(saved.status).toBe(200);
    // Without a language the tenant's report language is used: the Arabic cover, in the new colour and name.
    const after = (await owner.client.request('GET', previewUrl(owner.tenantId))).raw.toString('utf8');
    expect(after).toContain('fill="#c92a2a"');
    expect(after).not.toContain('fill="#1c7ed6"');
    expect(after).toContain('Crimson Growth');
    expect(after).toContain('الحضور');
  });

  it('is readable by any member, refuses an unknown language (400) and hides another tenant (404)', async () => {
    const owner = await signUp(t);
    const viewer = await joinAs(t, owner, 'VIEWER');
    expect((await viewer.client.request('GET', previewUrl(owner.tenantId, '?language=ar'))).status).toBe(200);
    const bad = await owner.client.request('GET', previewUrl(owner.tenantId, '?language=fr'));
    expect(bad.status).toBe(400);
    const stranger = await signUp(t);
    expect((await stranger.client.request('GET', previewUrl(owner.tenantId))).status).toBe(404);
  });
});
