/**
 * Page API permission checks (lib/background/page-api.ts): off by default; allowed per site by
 * the user's site setting or the operator; top-level frame only; own-origin resources only;
 * capabilities without balances or addresses; pay goes through PaymentService.pay (the one path).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PageCapabilities } from '../../lib/messaging/contract';
import { railOfNetwork } from '../../lib/rails';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ManagedPolicySource } from '../../lib/background/managed';
import { PageApiService, originPattern } from '../../lib/background/page-api';
import { Settings } from '../../lib/background/settings';
import { PolicyStore } from '../../lib/policy/store';

const SITE = 'https://shop.example';
const sender = (over: Partial<{ tabUrl: string; frameUrl: string; frameId: number }> = {}) => ({
  tabId: 1,
  frameId: 0,
  frameUrl: `${SITE}/app`,
  tabUrl: `${SITE}/app`,
  ...over,
});

function setup(managed: Record<string, unknown> = {}) {
  const policies = new PolicyStore();
  const settings = new Settings();
  const pay = vi.fn(async (_req: unknown) => ({ action: 'retry' as const, headerName: 'PAYMENT-SIGNATURE', headerValue: 'abc', ticket: 't' }));
  const api = new PageApiService({ policies, settings, managed: new ManagedPolicySource(async () => managed), payments: { pay } });
  return { api, pay, policies };
}

const REQ = { x402Version: 2, resource: { url: `${SITE}/api` }, accepts: [] };

describe('page API', () => {
  beforeEach(() => fakeBrowser.reset());

  it('is off by default: capabilities and pay refused, nothing reaches the payment flow', async () => {
    const t = setup();
    expect(await t.api.capabilities(sender())).toEqual({ refused: expect.objectContaining({ code: 'page-api-not-allowed' }) });
    expect(await t.api.pay({ requirements: REQ, resource: `${SITE}/api` }, sender())).toMatchObject({ action: 'pass', code: 'page-api-not-allowed' });
    expect(t.pay).not.toHaveBeenCalled();
    expect(await t.api.allowedSites()).toEqual([]);
  });

  it('allowed by the user: pay goes through PaymentService.pay with the site from the browser and v2 requirements as the header', async () => {
    const t = setup();
    await t.policies.set({ site: SITE, mode: 'ask', caps: {}, pageApi: true, createdAt: 1, updatedAt: 1 });
    expect(await t.api.allowedSites()).toEqual([SITE]);
    const a = await t.api.pay({ requirements: REQ, resource: `${SITE}/api`, method: 'POST' }, sender());
    expect(a).toMatchObject({ action: 'retry', headerValue: 'abc' });
    const call = t.pay.mock.calls[0]![0] as unknown as { kind: string; site: string; url: string; method: string; sources: { header?: string } };
    expect(call).toMatchObject({ kind: 'page-api', site: SITE, url: `${SITE}/api`, method: 'POST' });
    expect(JSON.parse(atob(call.sources.header!))).toEqual(REQ);
    // v1 requirements go in as the JSON body, parsed by the same strict parser
    await t.api.pay({ requirements: { x402Version: 1, accepts: [] }, resource: `${SITE}/api` }, sender());
    expect((t.pay.mock.calls[1]![0] as unknown as { sources: { bodyText?: string } }).sources.bodyText).toBe('{"x402Version":1,"accepts":[]}');
  });

  it('the permission of one site never covers another, an iframe, or another origin’s resource', async () => {
    const t = setup();
    await t.policies.set({ site: SITE, mode: 'auto', caps: {}, pageApi: true, createdAt: 1, updatedAt: 1 });
    expect(await t.api.pay({ requirements: REQ, resource: 'https://evil.example/x' }, sender({ tabUrl: 'https://evil.example/', frameUrl: 'https://evil.example/' }))).toMatchObject({ code: 'page-api-not-allowed' });
    expect(await t.api.pay({ requirements: REQ, resource: `${SITE}/api` }, sender({ frameId: 3 }))).toMatchObject({ code: 'page-api-frame' });
    expect(await t.api.pay({ requirements: REQ, resource: 'https://other.example/api' }, sender())).toMatchObject({ code: 'cross-origin-resource' });
    expect(await t.api.pay({ requirements: REQ, resource: 'javascript:alert(1)' }, sender())).toMatchObject({ code: 'cross-origin-resource' });
    expect(await t.api.pay({ requirements: 'x'.repeat(20_000), resource: `${SITE}/api` }, sender())).toMatchObject({ code: 'malformed' });
    expect(await t.api.pay(null, sender())).toMatchObject({ code: 'malformed' });
    expect(t.pay).not.toHaveBeenCalled();
  });

  it('the operator can allow it, or turn it off over the user', async () => {
    expect(await setup({ sites: [{ site: SITE, mode: 'auto', dayUsd: '1', pageApi: true }] }).api.allowed(SITE)).toBe(true);
    const t = setup({ sites: [{ site: SITE, pageApi: false }] });
    await t.policies.set({ site: SITE, mode: 'auto', caps: {}, pageApi: true, createdAt: 1, updatedAt: 1 });
    expect(await t.api.allowed(SITE)).toBe(false);
  });

  it('capabilities: versions, schemes and networks only — no balances, no addresses', async () => {
    const t = setup({ sites: [{ site: SITE, pageApi: true }] });
    const c = await t.api.capabilities(sender());
    expect(Object.keys(c).sort()).toEqual(['networks', 'schemes', 'x402Versions']);
    expect(JSON.stringify(c)).not.toMatch(/0x[0-9a-fA-F]{40}/);
  });

  it("capabilities advertise every scheme the wallet signs on the listed networks (upto too), and only those", async () => {
    const t = setup({ sites: [{ site: SITE, pageApi: true }] });
    const c = (await t.api.capabilities(sender())) as PageCapabilities;
    expect(c.schemes).toContain('exact');
    expect(c.schemes).toContain('upto');
    expect(c.networks.some((n) => n.startsWith('eip155:'))).toBe(true);
    const signed = new Set(c.networks.flatMap((n) => railOfNetwork(n)!.schemes));
    expect([...c.schemes].sort()).toEqual([...signed].sort());
    if (c.networks.some((n) => n.startsWith('tron:'))) expect(c.schemes).toContain('exact_permit');
  });

  it('match patterns keep the port (Chromium) or the host only (Firefox never matches a pattern with a port)', () => {
    expect(originPattern('http://127.0.0.1:4020', true)).toBe('http://127.0.0.1:4020/*');
    expect(originPattern('https://shop.example', true)).toBe('https://shop.example/*');
    expect(originPattern('http://localhost:4020', false)).toBe('http://localhost/*');
  });
});
