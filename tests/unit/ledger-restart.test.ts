import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Ledger } from '../../lib/ledger/ledger';
const SITE = 'https://news.example';
const T0 = Date.parse('2026-05-14T10:00:00Z');
const USDC = { address: '0x036CbD53842c5426634e7929541eC2318f3dCF7e' as const, symbol: 'USDC', decimals: 6, usdPegged: true };
const inp = (now: number) => ({ site: SITE, requestOrigin: SITE, resourceUrl: SITE + '/a', network: 'eip155:84532', asset: USDC, amount: 1000n, payTo: '0x1111111111111111111111111111111111111111', expiresAt: now + 300_000, auto: true, now, policyCheck: () => ({ action: 'pay' as const }) });
describe('ledger: settlement steps and restart clean-up', () => {
  beforeEach(() => fakeBrowser.reset());
  it('commitWithUsage: concurrent commits see distinct settled steps', async () => {
    const l = new Ledger({ timeZone: 'UTC', clock: () => T0 + 1 });
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push((await l.reserve(inp(T0))).record!.id);
    const out = await Promise.all(ids.map((id) => l.commitWithUsage(id, { txHash: '0x' + 'a'.repeat(64), network: 'eip155:84532', payer: '0x' }, { timeZone: 'UTC' })));
    const steps = out.map((o) => [o.before!.site.usd.day, o.after!.site.usd.day].map(String).join('->')).sort();
    expect(new Set(steps).size).toBe(10);
    expect(out.map((o) => o.after!.site.usd.day).sort((a, b) => Number(a - b)).at(-1)).toBe(10_000n);
    const again = await l.commitWithUsage(ids[0]!, { txHash: '0x', network: 'x', payer: '' });
    expect(again.before).toBeUndefined();
  });
  it('releaseUnsigned releases only older unsigned reservations', async () => {
    const l = new Ledger({ timeZone: 'UTC', clock: () => T0 + 10 });
    const a = (await l.reserve(inp(T0))).record!.id;
    const b = (await l.reserve(inp(T0))).record!.id;
    await l.markSigned(b, { expiresAt: T0 + 60_000 });
    const c = (await l.reserve(inp(T0 + 20))).record!.id;
    const rel = await l.releaseUnsigned(T0 + 5);
    expect(rel.map((r) => r.id)).toEqual([a]);
    expect((await l.get(b))!.status).toBe('signed');
    expect((await l.get(c))!.status).toBe('reserved');
  });
});
