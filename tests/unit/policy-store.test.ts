import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PolicyValidationError } from '../../lib/policy/codec';
import { createPoliciesItem, PolicyStore } from '../../lib/policy/store';
import type { SitePolicy } from '../../lib/policy/types';

const T0 = Date.parse('2026-05-14T10:00:00Z');
const WETH = '0x4200000000000000000000000000000000000006' as const;

function pol(over: Partial<SitePolicy> = {}): SitePolicy {
  return {
    site: 'https://news.example',
    mode: 'auto',
    perPaymentCap: { unit: 'usd', amount: 50_000n },
    caps: { day: { unit: 'usd', amount: 1_000_000n }, lifetime: { unit: 'token', network: 'eip155:8453', asset: WETH, amount: 10n ** 30n } },
    ratePerMinute: 5,
    expiresAt: T0 + 86_400_000,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('PolicyStore', () => {
  it('set/get round-trips bigint caps exactly and persists them as strings', async () => {
    const s = new PolicyStore(createPoliciesItem(), () => T0);
    await s.set(pol());
    expect(await s.get('https://news.example')).toEqual(pol());
    const raw = (await fakeBrowser.storage.local.get('policies')) as { policies: { sites: Record<string, { caps: { lifetime: { amount: unknown } } }> } };
    expect(raw.policies.sites['https://news.example']?.caps.lifetime.amount).toBe('1000000000000000000000000000000');
    expect(await fakeBrowser.storage.local.get('policies$')).toEqual({ policies$: { v: 1 } });
  });

  it('keys by origin: a URL with a path or upper case maps to the same site', async () => {
    const s = new PolicyStore(createPoliciesItem(), () => T0);
    await s.set(pol({ site: 'https://News.Example/some/page' }));
    expect((await s.get('https://news.example'))?.site).toBe('https://news.example');
    expect(await s.get('https://evil.example')).toBeUndefined();
  });

  it('list, delete, and a fresh store instance sees the same data (restart)', async () => {
    const s = new PolicyStore(createPoliciesItem(), () => T0);
    await s.set(pol({ site: 'https://b.example' }));
    await s.set(pol({ site: 'https://a.example' }));
    const s2 = new PolicyStore(createPoliciesItem(), () => T0);
    expect((await s2.list()).map((p) => p.site)).toEqual(['https://a.example', 'https://b.example']);
    expect(await s2.delete('https://a.example')).toBe(true);
    expect(await s2.delete('https://a.example')).toBe(false);
    expect((await s.list()).map((p) => p.site)).toEqual(['https://b.example']);
  });

  it('setMode updates an existing policy and creates an empty one if absent', async () => {
    let now = T0;
    const s = new PolicyStore(createPoliciesItem(), () => now);
    await s.set(pol());
    now = T0 + 5;
    const blocked = await s.setMode('https://news.example', 'block');
    expect(blocked).toMatchObject({ mode: 'block', createdAt: T0, updatedAt: T0 + 5, ratePerMinute: 5 });
    expect((await s.get('https://news.example'))?.mode).toBe('block');
    const created = await s.setMode('https://new.example', 'auto');
    expect(created).toEqual({ site: 'https://new.example', mode: 'auto', caps: {}, createdAt: T0 + 5, updatedAt: T0 + 5 });
  });

  it('concurrent updates are serialized (no lost writes)', async () => {
    const s = new PolicyStore(createPoliciesItem(), () => T0);
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.setMode(`https://s${i}.example`, 'auto')));
    expect(await s.list()).toHaveLength(20);
  });

  it('rejects invalid policies', async () => {
    const s = new PolicyStore(createPoliciesItem(), () => T0);
    expect(() => s.set(pol({ mode: 'yolo' as never }))).toThrow(PolicyValidationError);
    expect(() => s.set(pol({ perPaymentCap: { unit: 'usd', amount: -1n } }))).toThrow(PolicyValidationError);
    expect(() => s.set(pol({ ratePerMinute: 1.5 }))).toThrow(PolicyValidationError);
    expect(() => s.set(pol({ caps: { day: { unit: 'token', network: 'eip155:1', asset: '0x12', amount: 1n } } }))).toThrow(PolicyValidationError);
    expect(await s.list()).toEqual([]);
  });

  it('a corrupted stored policy reads as no policy, and migrate() drops it', async () => {
    await fakeBrowser.storage.local.set({
      policies: {
        sites: {
          'https://ok.example': { site: 'https://ok.example', mode: 'auto', caps: { day: { unit: 'usd', amount: '100' } }, createdAt: 1, updatedAt: 1 },
          'https://bad.example': { site: 'https://bad.example', mode: 'auto', caps: { day: { unit: 'usd', amount: '1e9' } }, createdAt: 1, updatedAt: 1 },
        },
        global: { dailyCap: { unit: 'usd', amount: '5000000' } },
      },
    });
    const s = new PolicyStore(createPoliciesItem(), () => T0);
    expect(await s.get('https://bad.example')).toBeUndefined();
    expect((await s.get('https://ok.example'))?.caps.day).toEqual({ unit: 'usd', amount: 100n });
    expect(await s.migrate()).toBe(1);
    expect((await s.list()).map((p) => p.site)).toEqual(['https://ok.example']);
    expect(await s.getGlobal()).toEqual({ dailyCap: { unit: 'usd', amount: 5_000_000n } });
  });

  it('global policy get/set', async () => {
    const s = new PolicyStore(createPoliciesItem(), () => T0);
    expect(await s.getGlobal()).toEqual({});
    await s.setGlobal({ dailyCap: { unit: 'usd', amount: 2_000_000n } });
    expect(await new PolicyStore(createPoliciesItem()).getGlobal()).toEqual({ dailyCap: { unit: 'usd', amount: 2_000_000n } });
    await s.setGlobal({});
    expect(await s.getGlobal()).toEqual({});
  });
});
