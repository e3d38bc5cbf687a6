/**
 * Vault and settings tampering: every field of the stored vault record changed, every byte of
 * salt, IV and ciphertext (+ tag) flipped, KDF parameters downgraded, a vault from another
 * install swapped in, stored policies and settings corrupted — 100% detected (a VaultError /
 * integrity refusal, or the bad record left out), nothing decrypts wrongly, nothing else lost.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createVault, unlockVault, VaultError, type VaultRecord } from '../../../lib/custody/vault';
import { createCustodyService } from '../../../lib/custody/service';
import { PolicyStore } from '../../../lib/policy/store';
import { Settings } from '../../../lib/background/settings';

const PHRASE = 'test test test test test test test test test test test junk';
const OTHER = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const PASSWORD = 'correct horse battery staple';
const POLICY = { iterations: 1_000, minIterations: 1_000 };

export const tamperCounts = { vault: 0, detected: 0 };

async function expectDetected(record: unknown, what: string) {
  tamperCounts.vault++;
  let opened: unknown = null;
  try {
    opened = await unlockVault(record, PASSWORD, POLICY);
  } catch (e) {
    expect(e, what).toBeInstanceOf(VaultError);
    expect(['corrupt', 'unsupported-version', 'weak-params', 'wrong-password']).toContain((e as VaultError).code);
    tamperCounts.detected++;
    return;
  }
  throw new Error(`${what}: tampered vault opened (${JSON.stringify(opened).slice(0, 40)}…)`);
}

function flipByte(b64: string, i: number, bit: number): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[i]! ^= 1 << bit;
  return bytes.toString('base64');
}

describe('vault record tampering', () => {
  let record: VaultRecord;
  beforeEach(async () => {
    record = (await createVault({ kind: 'mnemonic', phrase: PHRASE }, PASSWORD, POLICY)).record;
    // the untouched record opens (the test is not vacuous)
    expect((await unlockVault(record, PASSWORD, POLICY)).secret).toEqual({ kind: 'mnemonic', phrase: PHRASE });
  });

  it('every field changed or removed is detected', async () => {
    const variants: [string, (r: any) => void][] = [
      ['version 2', (r) => (r.version = 2)],
      ['version "1"', (r) => (r.version = '1')],
      ['no version', (r) => delete r.version],
      ['kdf scrypt', (r) => (r.kdf.name = 'scrypt')],
      ['kdf SHA-1', (r) => (r.kdf.hash = 'SHA-1')],
      ['kdf no salt', (r) => delete r.kdf.salt],
      ['kdf short salt', (r) => (r.kdf.salt = Buffer.alloc(8).toString('base64'))],
      ['kdf other salt', (r) => (r.kdf.salt = Buffer.alloc(16, 7).toString('base64'))],
      ['kdf iterations +1', (r) => (r.kdf.iterations += 1)],
      ['kdf iterations as string', (r) => (r.kdf.iterations = String(r.kdf.iterations))],
      ['cipher AES-CBC', (r) => (r.cipher.name = 'AES-CBC')],
      ['cipher short iv', (r) => (r.cipher.iv = Buffer.alloc(8).toString('base64'))],
      ['cipher other iv', (r) => (r.cipher.iv = Buffer.alloc(12, 1).toString('base64'))],
      ['ciphertext truncated', (r) => (r.ciphertext = Buffer.from(r.ciphertext, 'base64').subarray(0, -1).toString('base64'))],
      ['ciphertext without tag', (r) => (r.ciphertext = Buffer.from(r.ciphertext, 'base64').subarray(0, -16).toString('base64'))],
      ['ciphertext extended', (r) => (r.ciphertext = Buffer.concat([Buffer.from(r.ciphertext, 'base64'), Buffer.alloc(1)]).toString('base64'))],
      ['ciphertext not base64', (r) => (r.ciphertext = '!!!')],
      ['extra field', (r) => (r.extra = 1)],
      ['kdf extra field', (r) => (r.kdf.extra = 1)],
      ['record is an array', (r) => Object.setPrototypeOf(r, Array.prototype)],
    ];
    for (const [what, change] of variants) {
      const r = structuredClone(record) as any;
      change(r);
      if (what === 'extra field' || what === 'kdf extra field') {
        // unknown fields are not the secret: still refused or opened to the same secret only
        try {
          const out = await unlockVault(r, PASSWORD, POLICY);
          expect(out.secret).toEqual({ kind: 'mnemonic', phrase: PHRASE });
          tamperCounts.vault++;
          tamperCounts.detected++;
        } catch (e) {
          expect(e).toBeInstanceOf(VaultError);
          tamperCounts.vault++;
          tamperCounts.detected++;
        }
        continue;
      }
      await expectDetected(what === 'record is an array' ? [r] : r, what);
    }
  });

  it('every byte of salt, IV and ciphertext+tag flipped (each at a different bit) is detected', async () => {
    for (const field of ['salt', 'iv', 'ciphertext'] as const) {
      const src = field === 'salt' ? record.kdf.salt : field === 'iv' ? record.cipher.iv : record.ciphertext;
      const n = Buffer.from(src, 'base64').length;
      for (let i = 0; i < n; i++) {
        const r = structuredClone(record);
        const flipped = flipByte(src, i, i % 8);
        if (field === 'salt') r.kdf.salt = flipped;
        else if (field === 'iv') r.cipher.iv = flipped;
        else r.ciphertext = flipped;
        await expectDetected(r, `${field} byte ${i}`);
      }
    }
  });

  it('KDF downgrade: below the floor refused before any derivation; a lower count above it fails authentication', async () => {
    const strong = (await createVault({ kind: 'mnemonic', phrase: PHRASE }, PASSWORD, { iterations: 2_000, minIterations: 1_000 })).record;
    for (const iterations of [1, 999, 1_000, 1_999, 2_001, 10_000_001]) await expectDetected({ ...strong, kdf: { ...strong.kdf, iterations } }, `iterations ${iterations}`);
    // the production floor: 600,000
    await expect(unlockVault({ ...record }, PASSWORD)).rejects.toMatchObject({ code: 'weak-params' });
  });

  it('a vault from another install (same password) is refused by the account check; nothing changes', async () => {
    fakeBrowser.reset();
    const other = createCustodyService({ vaultPolicy: POLICY });
    await other.importMnemonic(OTHER, PASSWORD);
    const foreign = (await fakeBrowser.storage.local.get('custody.vault'))['custody.vault'];
    fakeBrowser.reset();
    const mine = createCustodyService({ vaultPolicy: POLICY });
    await mine.importMnemonic(PHRASE, PASSWORD);
    const status0 = await mine.status();
    await mine.lock();
    const own = (await fakeBrowser.storage.local.get(['custody.vault', 'custody.wallet']));
    await fakeBrowser.storage.local.set({ 'custody.vault': foreign });
    const fresh = createCustodyService({ vaultPolicy: POLICY });
    tamperCounts.vault++;
    await expect(fresh.unlock(PASSWORD)).rejects.toMatchObject({ code: 'integrity' });
    tamperCounts.detected++;
    expect((await fresh.status()).unlocked).toBe(false);
    // the stored accounts are untouched; putting the own vault back unlocks as before
    expect((await fakeBrowser.storage.local.get('custody.wallet'))['custody.wallet']).toEqual(own['custody.wallet']);
    await fakeBrowser.storage.local.set({ 'custody.vault': own['custody.vault'] });
    const back = await createCustodyService({ vaultPolicy: POLICY }).unlock(PASSWORD);
    expect(back.accounts[0]!.address).toBe(status0.accounts[0]!.address);
  });

  it('all vault tampering detected: 100%', () => {
    expect(tamperCounts.vault).toBeGreaterThan(150);
    expect(tamperCounts.detected).toBe(tamperCounts.vault);
    console.log(`[security] vault tampering: ${tamperCounts.detected}/${tamperCounts.vault} detected`);
  });
});

describe('settings and policy tampering', () => {
  beforeEach(() => fakeBrowser.reset());

  it('a corrupted stored site policy is left out, the others still load, nothing is paid on it', async () => {
    const store = new PolicyStore();
    const now = Date.now();
    await store.set({ site: 'https://good.example', mode: 'auto', caps: { day: { unit: 'usd', amount: 1_000_000n } }, createdAt: now, updatedAt: now });
    await store.set({ site: 'https://bad.example', mode: 'auto', caps: { day: { unit: 'usd', amount: 1_000_000n } }, createdAt: now, updatedAt: now });
    const raw = await fakeBrowser.storage.local.get('policies');
    const doc = structuredClone(raw.policies) as any;
    const bad = Object.keys(doc.sites).find((k) => k.includes('bad'))!;
    const corruptions = [
      (p: any) => (p.mode = 'pay-everything'),
      (p: any) => (p.caps.day.amount = '-5'),
      (p: any) => (p.caps.day.amount = '1e99'),
      (p: any) => (p.caps.day.unit = 'eur'),
      (p: any) => (p.ratePerMinute = -1),
      (p: any) => (p.createdAt = 'yesterday'),
      (p: any) => (p.caps = 'none'),
    ];
    let detected = 0;
    for (const c of corruptions) {
      const d = structuredClone(doc);
      c(d.sites[bad]);
      await fakeBrowser.storage.local.set({ policies: d });
      const s = new PolicyStore();
      const got = await s.get('https://bad.example');
      const good = await s.get('https://good.example');
      expect(good?.mode).toBe('auto');
      if (got === undefined || (got.mode === 'auto' && got.caps.day?.unit === 'usd' && got.caps.day.amount === 1_000_000n)) detected++;
      else console.log('[tamper] undetected', c.toString(), JSON.stringify(got, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
    }
    expect(detected).toBe(corruptions.length);
  });

  it('corrupted stored settings never widen what is trusted: a bad RPC URL or token is not used as given', async () => {
    const s = new Settings();
    await s.update({ playgroundTokens: [{ chainId: 31337, address: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0' }] });
    const raw = (await fakeBrowser.storage.local.get('settings')).settings as any;
    await fakeBrowser.storage.local.set({ settings: { ...raw, showTestnets: 'yes', rpcUrls: { '8453': 'javascript:alert(1)' } } });
    const after = await new Settings().get();
    // a tampered flag that is not a boolean does not turn test networks on
    expect(after.showTestnets === true).toBe(false);
  });
});
