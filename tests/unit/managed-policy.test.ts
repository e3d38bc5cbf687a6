/**
 * The operator policy (lib/policy/managed.ts): hostile input fails closed, the version, the
 * merge rule (operator wins; the user may only tighten), loosening checks, allowed networks/tokens.
 */
import { describe, expect, it } from 'vitest';
import { loosensGlobal, loosensSite, managedVersion, mergeGlobal, mergeSite, optionAllowed, parseManaged, MANAGED_LIMITS } from '../../lib/policy/managed';
import type { SitePolicy } from '../../lib/policy/types';
import { addressKey } from '../../lib/policy/units';
import { managedNetworkId } from '../../lib/background/managed';

const known = { network: managedNetworkId };
const usd = (amount: bigint) => ({ unit: 'usd' as const, amount });
const SITE = 'https://shop.example';
const user = (over: Partial<SitePolicy> = {}): SitePolicy => ({ site: SITE, mode: 'auto', caps: {}, createdAt: 1, updatedAt: 1, ...over });

describe('parseManaged', () => {
  it('no policy: null for empty, missing or non-object input', () => {
    for (const raw of [undefined, null, {}, [], 'x', 42]) expect(parseManaged(raw)).toBeNull();
  });

  it('parses a full policy', () => {
    const p = parseManaged(
      {
        version: 'ops-7',
        agentMode: true,
        globalDailyUsd: '5.00',
        sites: [{ site: 'https://Shop.example/path', mode: 'auto', perPaymentUsd: '0.05', dayUsd: '1', ratePerMinute: 30, pageApi: true }],
        allowedNetworks: ['eip155:31337', 'base-sepolia'],
        allowedTokens: [{ network: 'eip155:31337', address: '0xABC' }],
        autoLockMinutes: 0,
        notifications: false,
      },
      known,
    )!;
    expect(p.errors).toEqual([]);
    expect(p.version).toBe('ops-7');
    expect(p.agentMode).toBe(true);
    expect(p.globalDailyUsd).toBe(5_000_000n);
    expect(p.sites[SITE]).toEqual({ site: SITE, mode: 'auto', caps: { perPayment: 50_000n, day: 1_000_000n }, ratePerMinute: 30, pageApi: true });
    // v1 names are compared as their CAIP-2 id
    expect(p.allowedNetworks).toEqual(['eip155:31337', 'eip155:84532']);
    expect(p.autoLockMinutes).toBe(0);
    expect(p.notifications).toBe(false);
  });

  it('hostile caps fail closed: a negative / exponent / non-string cap blocks the site; a bad global cap is $0', () => {
    for (const bad of ['-1', '1e9', 5, '', '$-3', '0x10', '1,000', '9'.repeat(40)]) {
      const p = parseManaged({ sites: [{ site: SITE, mode: 'auto', dayUsd: bad }], globalDailyUsd: bad })!;
      expect(p.sites[SITE]).toEqual({ site: SITE, mode: 'block', caps: {} });
      expect(p.globalDailyUsd).toBe(0n);
      expect(p.errors.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('unknown modes, bad rates and duplicated sites block the site; non-origins are reported and skipped', () => {
    const p = parseManaged({
      sites: [
        { site: SITE, mode: 'pay-everything' },
        { site: 'https://b.example', ratePerMinute: -3 },
        { site: 'https://c.example', dayUsd: '1' },
        { site: 'https://c.example', dayUsd: '100' },
        { site: 'javascript:alert(1)' },
        'nope',
      ],
    })!;
    expect(p.sites[SITE]!.mode).toBe('block');
    expect(p.sites['https://b.example']!.mode).toBe('block');
    expect(p.sites['https://c.example']!.mode).toBe('block');
    expect(Object.keys(p.sites)).toHaveLength(3);
    expect(p.errors.join('\n')).toMatch(/javascript/);
  });

  it('unknown networks are not allowed; huge lists allow nothing', () => {
    const p = parseManaged({ allowedNetworks: ['eip155:31337', 'dogechain:1', 'made-up'], allowedTokens: [{ network: 'moon:1', address: 'x' }] }, known)!;
    expect(p.allowedNetworks).toEqual(['eip155:31337']);
    expect(p.allowedTokens).toEqual([]);
    expect(p.errors).toHaveLength(3);
    const huge = parseManaged({
      allowedNetworks: Array.from({ length: MANAGED_LIMITS.networks + 1 }, () => 'eip155:1'),
      allowedTokens: Array.from({ length: MANAGED_LIMITS.tokens + 1 }, () => ({ network: 'eip155:1', address: '0x1' })),
      sites: Array.from({ length: MANAGED_LIMITS.sites + 1 }, (_, i) => ({ site: `https://s${i}.example`, mode: 'auto', dayUsd: '1' })),
    })!;
    expect(huge.allowedNetworks).toEqual([]);
    expect(huge.allowedTokens).toEqual([]);
    expect(huge.sites).toEqual({});
    expect(optionAllowed(huge, 'eip155:1', '0x1', addressKey).ok).toBe(false);
  });

  it('agentMode that is not a boolean is taken as on; bad auto-lock becomes 5 minutes; unknown fields are reported', () => {
    const p = parseManaged({ agentMode: 'yes', autoLockMinutes: -1, notifications: 'loud', extra: 1 })!;
    expect(p.agentMode).toBe(true);
    expect(p.autoLockMinutes).toBe(5);
    expect(p.notifications).toBeUndefined();
    expect(p.errors).toHaveLength(4);
  });

  it('errors are bounded', () => {
    const p = parseManaged({ sites: Array.from({ length: 400 }, () => 'x') })!;
    expect(p.errors.length).toBeLessThanOrEqual(51);
  });
});

describe('managedVersion', () => {
  it('the explicit version, else a stable hash independent of key order', () => {
    expect(managedVersion({ version: 'v1', a: 1 })).toBe('v1');
    const a = managedVersion({ agentMode: true, globalDailyUsd: '1' });
    expect(a).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(managedVersion({ globalDailyUsd: '1', agentMode: true })).toBe(a);
    expect(managedVersion({ globalDailyUsd: '2', agentMode: true })).not.toBe(a);
    // unprintable or overlong versions are not used as is
    expect(managedVersion({ version: 'a\nb' })).toMatch(/^sha256:/);
    expect(managedVersion({ version: 'x'.repeat(65) })).toMatch(/^sha256:/);
  });
});

describe('the merge rule', () => {
  const m = parseManaged({ globalDailyUsd: '2', sites: [{ site: SITE, mode: 'auto', perPaymentUsd: '0.05', dayUsd: '1', ratePerMinute: 10 }] })!;
  const ms = m.sites[SITE]!;

  it('no operator entry: the user policy as is', () => {
    expect(mergeSite(user({ caps: { day: usd(9n) } }), undefined)).toEqual(user({ caps: { day: usd(9n) } }));
    expect(mergeSite(undefined, undefined)).toBeUndefined();
  });

  it('operator only: its mode and caps', () => {
    const p = mergeSite(undefined, ms, 5)!;
    expect(p).toMatchObject({ site: SITE, mode: 'auto', caps: { day: usd(1_000_000n) }, perPaymentCap: usd(50_000n), ratePerMinute: 10 });
  });

  it('a user cap above the operator’s is lowered to it; one below is kept; user-only caps stay; mode is the operator’s', () => {
    const p = mergeSite(user({ mode: 'ask', perPaymentCap: usd(10_000n), caps: { day: usd(50_000_000n), week: usd(3_000_000n) }, ratePerMinute: 100 }), ms)!;
    expect(p.mode).toBe('auto');
    expect(p.caps.day).toEqual(usd(1_000_000n));
    expect(p.caps.week).toEqual(usd(3_000_000n));
    expect(p.perPaymentCap).toEqual(usd(10_000n));
    expect(p.ratePerMinute).toBe(10);
  });

  it('a user’s block always stands (it only tightens); saving block on a managed site is not loosening', () => {
    expect(mergeSite(user({ mode: 'block' }), ms)!.mode).toBe('block');
    expect(loosensSite(user({ mode: 'block', perPaymentCap: usd(50_000n), caps: { day: usd(1n) }, ratePerMinute: 1 }), ms)).toBeNull();
  });

  it('a user token cap cannot be compared with dollars: the operator’s dollar cap applies', () => {
    const p = mergeSite(user({ caps: { day: { unit: 'token', network: 'eip155:1', asset: '0x' + '1'.repeat(40), amount: 10n ** 30n } } }), ms)!;
    expect(p.caps.day).toEqual(usd(1_000_000n));
  });

  it('global: the lower of the two', () => {
    expect(mergeGlobal({}, m).dailyCap).toEqual(usd(2_000_000n));
    expect(mergeGlobal({ dailyCap: usd(1n) }, m).dailyCap).toEqual(usd(1n));
    expect(mergeGlobal({ dailyCap: usd(10n ** 12n) }, m).dailyCap).toEqual(usd(2_000_000n));
    expect(mergeGlobal({ dailyCap: usd(7n) }, null).dailyCap).toEqual(usd(7n));
  });

  it('loosening is refused, keeping or tightening is not', () => {
    const ok = user({ mode: 'auto', perPaymentCap: usd(50_000n), caps: { day: usd(500_000n) }, ratePerMinute: 5 });
    expect(loosensSite(ok, ms)).toBeNull();
    expect(loosensSite({ ...ok, caps: { day: usd(1_000_001n) } }, ms)).toMatch(/daily cap .* managed by your organisation/);
    expect(loosensSite({ ...ok, caps: {} }, ms)).toMatch(/daily cap/);
    expect(loosensSite({ ...ok, perPaymentCap: undefined }, ms)).toMatch(/per-payment/);
    expect(loosensSite({ ...ok, mode: 'ask' }, ms)).toMatch(/mode/);
    expect(loosensSite({ ...ok, ratePerMinute: undefined }, ms)).toMatch(/rate limit/);
    expect(loosensSite(ok, undefined)).toBeNull();
    expect(loosensGlobal(usd(2_000_000n), m)).toBeNull();
    expect(loosensGlobal(usd(1n), m)).toBeNull();
    expect(loosensGlobal(undefined, m)).toMatch(/managed by your organisation/);
    expect(loosensGlobal(usd(2_000_001n), m)).toMatch(/\$2\.00/);
  });
});

describe('optionAllowed', () => {
  it('networks and tokens (EVM addresses case-insensitively)', () => {
    const m = parseManaged({ allowedNetworks: ['eip155:31337'], allowedTokens: [{ network: 'eip155:31337', address: '0xAbC' }] })!;
    expect(optionAllowed(m, 'eip155:31337', '0xabc', addressKey)).toEqual({ ok: true });
    expect(optionAllowed(m, 'eip155:8453', '0xabc', addressKey)).toMatchObject({ ok: false, code: 'network-not-allowed' });
    expect(optionAllowed(m, 'eip155:31337', '0xdef', addressKey)).toMatchObject({ ok: false, code: 'token-not-allowed' });
    expect(optionAllowed(null, 'eip155:8453', '0xdef', addressKey)).toEqual({ ok: true });
  });
});
