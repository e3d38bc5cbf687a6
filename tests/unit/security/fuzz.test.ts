/**
 * Property-based fuzzing (fast-check) of every parser and validator that sees untrusted input:
 * the v2 PAYMENT-REQUIRED header, the v1 body, the settlement header, the requirements per
 * scheme (EVM exact, Solana exact, TRON exact_permit), policy input (stored site policy, the
 * operator policy, the site editor's draft), the vault record, the import phrase / key, and the
 * options page's settings. Each gets ≥ 10,000 generated inputs (`RUNS`, counted). Properties:
 * never throws anything but its own documented error, never yields a signable option from an
 * input an independent oracle calls invalid, and stays bounded in time per input.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { mnemonicToSeedSync } from '@scure/bip39';
import { playgroundAsset, Settings } from '../../../lib/background/settings';
import { decodeSettlement, encodeBase64Utf8, evaluateOptions, parsePaymentRequired, MAX_UINT256, type PayableOption } from '../../../lib/x402';
import { createRegistry, type Registry } from '../../../lib/x402/registry';
import { decodeSitePolicy } from '../../../lib/policy/codec';
import { parseManaged } from '../../../lib/policy/managed';
import { policyFromDraft, type SiteDraft } from '../../../lib/ui/sitePolicy';
import { parseVaultRecord, VaultError } from '../../../lib/custody/vault';
import { validateMnemonic, validatePrivateKey } from '../../../lib/custody/mnemonic';
import { deriveSolanaKey } from '../../../lib/rails/svm/accounts';
import { localSvmPlaygroundAsset } from '../../../lib/rails/svm/assets';
import { SOLANA_DEVNET } from '../../../lib/rails/networks';
import { TRON_MAINNET } from '../../../lib/rails/tron/networks';

export const RUNS = 10_000;
/** generated inputs per target, reported by the security summary */
export const counted: Record<string, number> = {};
const count = (k: string) => (counted[k] = (counted[k] ?? 0) + 1);
/** a single input taking longer than this is a hang (generous: 4 sessions share 2 cores here) */
const MAX_MS_PER_INPUT = 2_000;
/** the slowest single input per target, reported with the counts */
export const slowest: Record<string, number> = {};
vi.setConfig({ testTimeout: 600_000 });

function timed<T>(k: string, fn: () => T): T {
  count(k);
  const t0 = performance.now();
  const out = fn();
  const ms = performance.now() - t0;
  slowest[k] = Math.max(slowest[k] ?? 0, Math.round(ms));
  if (ms > MAX_MS_PER_INPUT) throw new Error(`${k}: one input took ${ms.toFixed(0)} ms`);
  return out;
}

/** Hostile JSON values: deep, huge, odd numbers, prototype keys, control characters. */
const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.string({ maxLength: 300 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e6',
    '0x10',
    '01',
    '1.5',
    '١٢٣',
    '10000 ',
    ' 10000',
    '115792089237316195423570985008687907853269984665640564039457584007913129639936',
    '__proto__',
    'constructor',
    '\u0000',
    '\u202e',
    'javascript:alert(1)',
    '0x0000000000000000000000000000000000000000',
    'x'.repeat(5000),
  ),
  fc.integer(),
  fc.double(),
  fc.bigInt().map(String),
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 5 }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'name', 'version', 'feePayer', 'fee', 'x'), fc.jsonValue({ maxDepth: 2 })),
);

const b64 = (doc: unknown) => encodeBase64Utf8(typeof doc === 'string' ? doc : JSON.stringify(doc) ?? 'null');

// ---------------------------------------------------------------- valid base offers per rail

const EVM_TOKEN = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
const EVM_PAY_TO = '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720';
const seed = mnemonicToSeedSync('test test test test test test test test test test test junk');
const SVM_USER = deriveSolanaKey(seed, 0).address;
const SVM_MERCHANT = deriveSolanaKey(seed, 5).address;
const SVM_FEE_PAYER = deriveSolanaKey(seed, 6).address;
const SVM_MINT = deriveSolanaKey(seed, 9).address;
const USDT_MAIN = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const TRON_PAYEE = 'TPjjvMwjPoDC32V2dGDYTkLH4E5LAtBZ6C';

const BASES: Record<'evm' | 'svm' | 'tron', Record<string, unknown>> = {
  evm: { scheme: 'exact', network: 'eip155:31337', amount: '10000', asset: EVM_TOKEN, payTo: EVM_PAY_TO, maxTimeoutSeconds: 60, extra: { name: 'USD Coin', version: '2' } },
  svm: { scheme: 'exact', network: SOLANA_DEVNET, amount: '10000', asset: SVM_MINT, payTo: SVM_MERCHANT, maxTimeoutSeconds: 60, extra: { feePayer: SVM_FEE_PAYER } },
  tron: { scheme: 'exact_permit', network: TRON_MAINNET, amount: '1500000', asset: USDT_MAIN, payTo: TRON_PAYEE, maxTimeoutSeconds: 600 },
};

let registry: Registry;
beforeAll(async () => {
  registry = createRegistry([playgroundAsset({ chainId: 31337, address: EVM_TOKEN }), localSvmPlaygroundAsset({ network: SOLANA_DEVNET, address: SVM_MINT, label: 'Local Solana' })]);
});

/** what an x402-tron server issues next to an exact_permit offer */
export function tronPermitContext() {
  const now = Math.floor(Date.now() / 1000);
  return { paymentPermitContext: { meta: { kind: 'PAYMENT_ONLY', paymentId: '0x' + 'ab'.repeat(16), nonce: '123456789012345678901234567890', validAfter: now - 5, validBefore: now + 300 } } };
}

function doc(accepts: unknown[], over: Record<string, unknown> = {}) {
  return { x402Version: 2, resource: { url: 'https://shop.example/api' }, accepts, extensions: tronPermitContext(), ...over };
}

function evaluate(d: unknown): { payable: PayableOption[]; rejected: unknown[] } | null {
  const p = parsePaymentRequired({ status: 402, headers: { 'PAYMENT-REQUIRED': b64(d) } });
  if (!p.ok) return null;
  return evaluateOptions(p.value, registry, { self: { svm: SVM_USER } });
}

/** Invariants every signable option must hold, whatever the input was. */
function assertSignable(o: PayableOption, raw: Record<string, unknown>) {
  const trusted = registry.lookup(o.network, o.asset.address);
  expect(trusted, 'asset from the trusted table').toBeTruthy();
  expect(trusted!.decimals).toBe(o.asset.decimals);
  expect(typeof raw.amount === 'string' && /^[1-9][0-9]*$/.test(raw.amount)).toBe(true);
  expect(o.amount).toBe(BigInt(raw.amount as string));
  expect(o.amount > 0n && o.amount <= MAX_UINT256).toBe(true);
  expect(o.maxTimeoutSeconds >= 10 && o.maxTimeoutSeconds <= 600).toBe(true);
  expect(raw.maxTimeoutSeconds).toSatisfy((t: unknown) => Number.isSafeInteger(t) && (t as number) >= 10);
  expect(o.payTo).toBe(raw.payTo);
  expect(o.network).toBe(raw.network);
}

describe('fuzz: parsers', () => {
  it(`v2 PAYMENT-REQUIRED header: ${RUNS} inputs (random documents, random text, random base64) never throw`, () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ x402Version: fc.oneof(fc.constant(2), nasty), resource: nasty, accepts: fc.oneof(fc.array(nasty, { maxLength: 25 }), nasty), extensions: nasty }, { requiredKeys: [] }).map(b64),
          fc.string({ maxLength: 2000 }),
          fc.base64String({ maxLength: 2000 }),
          fc.uint8Array({ maxLength: 1500 }).map((u) => Buffer.from(u).toString('base64')),
        ),
        (h) => {
          const r = timed('v2 header', () => parsePaymentRequired({ status: 402, headers: { 'payment-required': h } }));
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
          else expect(r.value.version).toBe(2);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`v1 JSON body: ${RUNS} inputs never throw; v1 never parses from a header`, () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ x402Version: fc.oneof(fc.constant(1), nasty), accepts: fc.oneof(fc.array(fc.oneof(nasty, fc.record({ scheme: nasty, network: nasty, maxAmountRequired: nasty, resource: nasty, description: nasty, mimeType: nasty, payTo: nasty, maxTimeoutSeconds: nasty, asset: nasty, extra: nasty }, { requiredKeys: [] })), { maxLength: 25 }), nasty), error: nasty }, { requiredKeys: [] }).map((d) => JSON.stringify(d) ?? ''),
          fc.string({ maxLength: 2000 }),
          fc.integer({ min: 60_000, max: 140_000 }).map((n) => `{"x402Version":1,"accepts":[],"pad":"${'x'.repeat(n)}"}`),
        ),
        (body) => {
          const r = timed('v1 body', () => parsePaymentRequired({ status: 402, headers: {}, bodyText: body }));
          if (r.ok) expect(r.value.version).toBe(1);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`settlement header: ${RUNS} inputs never throw; success always has a transaction`, () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ success: nasty, transaction: nasty, network: nasty, payer: nasty, errorReason: nasty }, { requiredKeys: [] }).map(b64),
          fc.string({ maxLength: 20_000 }),
          fc.base64String({ maxLength: 3000 }),
        ),
        (h) => {
          const r = timed('settlement header', () => decodeSettlement(h));
          if (r.ok && r.value.success) expect(typeof r.value.transaction === 'string' && r.value.transaction.length > 0).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

/** One field of a valid offer replaced (or removed) by something hostile. */
function mutation(rail: keyof typeof BASES) {
  const base = BASES[rail];
  const fields = [...Object.keys(base), 'extra.name', 'extra.version', 'extra.feePayer', 'extra.fee', 'extra.assetTransferMethod', 'extra.memo', 'extra.computeUnitPrice'];
  return fc.record({ field: fc.constantFrom(...fields), value: fc.oneof(nasty, fc.constant('__delete__')), second: fc.option(fc.record({ field: fc.constantFrom(...fields), value: nasty })) });
}

function apply(base: Record<string, unknown>, m: { field: string; value: unknown }) {
  const out: Record<string, unknown> = JSON.parse(JSON.stringify(base));
  const [top, sub] = m.field.split('.') as [string, string | undefined];
  if (sub) {
    const e = (typeof out.extra === 'object' && out.extra && !Array.isArray(out.extra) ? { ...(out.extra as object) } : {}) as Record<string, unknown>;
    if (m.value === '__delete__') delete e[sub];
    else e[sub] = m.value;
    out.extra = e;
  } else if (m.value === '__delete__') delete out[top];
  else out[top] = m.value;
  return out;
}

/** The oracle: a value the wallet must never sign, for fields whose rule is simple enough to state independently. */
function clearlyInvalid(rail: keyof typeof BASES, raw: Record<string, unknown>): string | null {
  const base = BASES[rail];
  if (raw.scheme !== base.scheme) return 'scheme';
  if (raw.network !== base.network) return 'network';
  if (typeof raw.amount !== 'string' || !/^[1-9][0-9]{0,77}$/.test(raw.amount) || BigInt(raw.amount) > MAX_UINT256) return 'amount';
  const sameAsset = rail === 'evm' ? typeof raw.asset === 'string' && raw.asset.toLowerCase() === (base.asset as string).toLowerCase() : raw.asset === base.asset;
  if (!sameAsset) return 'asset';
  if (!Number.isSafeInteger(raw.maxTimeoutSeconds) || (raw.maxTimeoutSeconds as number) < 10) return 'timeout';
  if (typeof raw.payTo !== 'string') return 'payTo';
  if (rail === 'evm') {
    if (!/^0x[0-9a-fA-F]{40}$/.test(raw.payTo) || /^0x0{40}$/.test(raw.payTo)) return 'payTo';
    const e = raw.extra as Record<string, unknown> | undefined;
    if (!e || e.name !== 'USD Coin' || e.version !== '2') return 'eip712';
  }
  if (rail === 'svm') {
    const e = raw.extra as Record<string, unknown> | undefined;
    if (!e || typeof e.feePayer !== 'string' || e.feePayer === SVM_USER) return 'feePayer';
    if (rail === 'svm' && BigInt(raw.amount) >= 1n << 64n) return 'amount';
  }
  return null;
}

describe('fuzz: requirements per scheme', () => {
  for (const rail of ['evm', 'svm', 'tron'] as const) {
    it(`${rail} ${BASES[rail].scheme}: the base offer is payable (the property below is not vacuous)`, () => {
      const ev = evaluate(doc([BASES[rail]]));
      expect(ev?.rejected).toEqual([]);
      expect(ev?.payable).toHaveLength(1);
    });

    it(`${rail} ${BASES[rail].scheme}: ${RUNS} mutated offers — never throw, never signable when invalid, invariants hold when payable`, () => {
      let refused = 0;
      fc.assert(
        fc.property(mutation(rail), fc.integer({ min: 0, max: 3 }), (m, extraOptions) => {
          let raw = apply(BASES[rail], m);
          if (m.second) raw = apply(raw, m.second);
          // a few more (valid) options next to it: the invalid one must not hide among them
          const accepts = [raw, ...Array.from({ length: extraOptions }, () => BASES[rail])];
          const ev = timed(`requirements ${rail}`, () => evaluate(doc(accepts)));
          if (!ev) {
            refused++; // refused by the parser
            return;
          }
          const mine = ev.payable.filter((o) => o.index === 0);
          const why = clearlyInvalid(rail, raw);
          if (why) {
            expect(mine, `signable although ${why} is invalid: ${JSON.stringify(raw).slice(0, 300)}`).toEqual([]);
            refused++;
          }
          for (const o of ev.payable) assertSignable(o, accepts[o.index] as Record<string, unknown>);
          expect(ev.payable.length + ev.rejected.length).toBe(accepts.length);
        }),
        { numRuns: RUNS },
      );
      expect(refused).toBeGreaterThan(RUNS / 4);
    });
  }
});

describe('fuzz: policy input, vault record, import, options', () => {
  it(`stored site policy: ${RUNS} records — decoded and valid, or refused with an Error`, () => {
    fc.assert(
      fc.property(
        fc.record({ site: nasty, mode: fc.oneof(fc.constantFrom('ask', 'auto', 'block'), nasty), caps: fc.oneof(nasty, fc.dictionary(fc.constantFrom('day', 'week', 'month', 'lifetime', '__proto__'), fc.oneof(nasty, fc.record({ unit: fc.oneof(fc.constantFrom('usd', 'token'), nasty), amount: nasty, network: nasty, asset: nasty })))), perPaymentCap: nasty, ratePerMinute: nasty, expiresAt: nasty, paused: nasty, pageApi: nasty, embeddedPay: nasty, createdAt: nasty, updatedAt: nasty }, { requiredKeys: [] }),
        (v) => {
          count('policy record');
          try {
            const p = decodeSitePolicy(v);
            expect(['ask', 'auto', 'block']).toContain(p.mode);
            for (const c of Object.values(p.caps)) if (c) expect(c.amount >= 0n).toBe(true);
            if (p.embeddedPay !== undefined) expect(p.embeddedPay).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(Error);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`operator policy: ${RUNS} inputs — parsed, or null (fail closed), never a throw`, () => {
    fc.assert(
      fc.property(
        fc.oneof(nasty, fc.record({ version: nasty, agentMode: nasty, sites: fc.oneof(nasty, fc.array(fc.record({ site: nasty, mode: nasty, perPaymentUsd: nasty, dayUsd: nasty, pageApi: nasty }, { requiredKeys: [] }), { maxLength: 5 })), allowedNetworks: nasty, allowedTokens: nasty, globalDailyUsd: nasty, keystore: nasty }, { requiredKeys: [] })),
        (raw) => {
          const r = timed('operator policy', () => parseManaged(raw));
          if (r) expect(typeof r.agentMode).toBe('boolean');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`site editor draft: ${RUNS} drafts — a policy with parsed amounts, or field errors`, () => {
    const caps = fc.oneof(fc.constant(''), fc.string({ maxLength: 30 }), fc.double().map(String), fc.constantFrom('1', '0', '-1', '1e9', '0.000001', '1,000', '$5', '99999999999999999999'));
    fc.assert(
      fc.property(
        fc.record({ site: fc.constant('https://shop.example'), mode: fc.constantFrom('ask', 'auto', 'block'), paused: fc.boolean(), pageApi: fc.boolean(), embeddedPay: fc.boolean(), perPaymentUsd: caps, dayUsd: caps, weekUsd: caps, monthUsd: caps, lifetimeUsd: caps, ratePerMinute: caps, expiresOn: fc.oneof(fc.constant(''), fc.string({ maxLength: 12 })) }),
        (d) => {
          const r = timed('policy draft', () => policyFromDraft(d as SiteDraft));
          if (r.ok) for (const k of ['perPaymentUsd', 'dayUsd', 'weekUsd', 'monthUsd', 'lifetimeUsd'] as const) if (r.policy[k] !== undefined) expect(r.policy[k]).toMatch(/^\d+(\.\d+)?$/);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`vault record: ${RUNS} records — parsed, or VaultError, nothing else; no KDF below the floor`, () => {
    const salt = fc.uint8Array({ minLength: 0, maxLength: 40 }).map((u) => Buffer.from(u).toString('base64'));
    fc.assert(
      fc.property(
        fc.oneof(
          nasty,
          fc.record({ version: fc.oneof(fc.constant(1), nasty), kdf: fc.oneof(nasty, fc.record({ name: fc.oneof(fc.constant('PBKDF2'), nasty), hash: fc.oneof(fc.constant('SHA-256'), nasty), iterations: fc.oneof(fc.integer({ min: -1, max: 20_000_000 }), nasty), salt: fc.oneof(salt, nasty) }, { requiredKeys: [] })), cipher: fc.oneof(nasty, fc.record({ name: fc.oneof(fc.constant('AES-GCM'), nasty), iv: fc.oneof(salt, nasty) }, { requiredKeys: [] })), ciphertext: fc.oneof(salt, nasty) }, { requiredKeys: [] }),
        ),
        (v) => {
          count('vault record');
          try {
            const p = parseVaultRecord(v);
            expect(p.record.kdf.iterations).toBeGreaterThanOrEqual(600_000);
            expect(p.salt.length).toBe(16);
            expect(p.iv.length).toBe(12);
          } catch (e) {
            expect(e).toBeInstanceOf(VaultError);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`import phrase: ${RUNS} inputs — valid only with a BIP-39 checksum`, () => {
    const words = ['abandon', 'ability', 'zoo', 'test', 'junk', 'wrong', 'about', 'legal', 'winner', 'thank', 'year', 'wave', 'sausage', 'worth', 'useful'];
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.array(fc.constantFrom(...words), { minLength: 0, maxLength: 25 }).map((w) => w.join(fc.sample(fc.constantFrom(' ', '  ', '\n', '\t', '\u3000'), 1)[0]))), (s) => {
        const r = timed('import phrase', () => validateMnemonic(s));
        if (r.ok) expect([12, 15, 18, 21, 24]).toContain(r.phrase.split(' ').length);
      }),
      { numRuns: RUNS },
    );
  });

  it(`import key: ${RUNS} inputs — valid only as 32 bytes in (0, n)`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 100 }), fc.uint8Array({ minLength: 30, maxLength: 34 }).map((u) => (Math.random() < 0.5 ? '0x' : '') + Buffer.from(u).toString('hex')), fc.constantFrom('0x' + '0'.repeat(64), '0x' + 'f'.repeat(64), '0x' + 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141')), (s) => {
        const r = timed('import key', () => validatePrivateKey(s));
        if (r.ok) {
          const n = BigInt(r.key);
          expect(n > 0n && n < 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`options page settings: ${RUNS} patches — stored valid, or refused with an Error, never half-applied`, async () => {
    fakeBrowser.reset();
    const settings = new Settings();
    await fc.assert(
      fc.asyncProperty(
        fc.record({ notifications: nasty, showTestnets: nasty, allowedSites: nasty, rpcUrls: fc.oneof(nasty, fc.dictionary(fc.oneof(fc.constantFrom('8453', 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1', 'tron:nile'), fc.string({ maxLength: 10 })), fc.oneof(fc.constantFrom('https://rpc.example', 'http://127.0.0.1:8545', 'javascript:1', 'https://u:p@x.example'), nasty))), playgroundTokens: fc.oneof(nasty, fc.array(fc.record({ chainId: nasty, address: nasty, rpcUrl: nasty, label: nasty, network: nasty }, { requiredKeys: [] }), { maxLength: 3 })) }, { requiredKeys: [] }),
        async (patch) => {
          count('settings');
          const before = JSON.stringify(await settings.get());
          try {
            await settings.update(patch as never);
          } catch (e) {
            expect(e).toBeInstanceOf(Error);
            expect(JSON.stringify(await settings.get())).toBe(before);
          }
          const s = await settings.get();
          expect(typeof s.showTestnets).toBe('boolean');
          for (const u of Object.values(s.rpcUrls ?? {})) expect(String(u)).toMatch(/^https?:\/\//);
        },
      ),
      { numRuns: RUNS },
    );
  }, 300_000);

  it('every target got at least 10,000 generated inputs', () => {
    for (const [k, n] of Object.entries(counted)) expect(n, k).toBeGreaterThanOrEqual(RUNS);
    expect(Object.keys(counted).sort()).toEqual(
      ['import key', 'import phrase', 'operator policy', 'policy draft', 'policy record', 'requirements evm', 'requirements svm', 'requirements tron', 'settings', 'settlement header', 'v1 body', 'v2 header', 'vault record'].sort(),
    );
    console.log(`[security] fuzz inputs: ${JSON.stringify(counted)}; slowest single input (ms): ${JSON.stringify(slowest)}`);
  });
});
