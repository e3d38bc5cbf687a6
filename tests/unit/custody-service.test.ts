import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { recoverTypedDataAddress, verifyMessage, type Address } from 'viem';
import { ExactEvmScheme } from '@x402/evm/exact/client';
import type { ClientEvmSigner } from '@x402/evm';
import {
  AUTOLOCK_ALARM,
  CustodyError,
  createCustodyService,
  lockoutDelayMs,
  type CustodyService,
} from '../../lib/custody/service';
import { guardItem, sessionItem, vaultItem, walletItem } from '../../lib/custody/store';
import { base64ToBytes, bytesToBase64 } from '../../lib/custody/encoding';
import { verifyEd25519 } from '../../lib/rails/svm/accounts';
import { hexToTron } from '../../lib/rails/tron/address';
import type { VaultPolicy, VaultRecord } from '../../lib/custody/vault';

const PHRASE = 'test test test test test test test test test test test junk';
const ADDR0: Address = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const ADDR1: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
/** m/44'/501'/1'/0' of the same phrase (Phantom's derivation) */
const SOL1 = 'AqynRZwvVqUPRwRJXvm6odUb3t93fDjnWe3p6BeuUFxD';
const SOL0 = 'oeYf6KAJkLYhBuR8CiGc6L4D4Xtfepr85fuDgA9kq96';
/** m/44'/195'/0'/0/0 and /1 of the same phrase (TronLink's path; checked against TronWeb in tron-rail.test.ts) */
const TRON0 = 'TWer2Ygk5TEheHp3TPuYeqxmB6SsGZmaL6';
const TRON1 = 'TPjjvMwjPoDC32V2dGDYTkLH4E5LAtBZ6C';
/** KEY0 (a raw key) in TRON's form: the same 20 bytes as ADDR0 */
const TRON_OF_KEY0 = 'TYBNgWfhGuNzdLtjKtxXTfskAhTbMcqbaG';
const KEY0 = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const KEY1 = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const PW = 'hunter2-but-longer';
const FAST: VaultPolicy = { iterations: 2_000, minIterations: 1_000 };
const MIN = 60_000;

let now = 1_700_000_000_000;
const clock = () => now;
const service = (policy: VaultPolicy = FAST): CustodyService =>
  createCustodyService({ vaultPolicy: policy, now: clock });

async function expectCustodyError(p: Promise<unknown>, code: string): Promise<CustodyError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, `expected CustodyError(${code})`).toBeInstanceOf(CustodyError);
  expect((e as CustodyError).code).toBe(code);
  expect((e as CustodyError).message.length).toBeGreaterThan(5);
  return e as CustodyError;
}

const TYPED = {
  domain: { name: 'USD Coin', version: '2', chainId: 84532, verifyingContract: '0x036CbD53842c5426634e7929541eC2318f3dCF7e' },
  types: {
    TransferWithAuthorization: [
      { name: 'from', type: 'address' },
      { name: 'to', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'validAfter', type: 'uint256' },
      { name: 'validBefore', type: 'uint256' },
      { name: 'nonce', type: 'bytes32' },
    ],
  },
  primaryType: 'TransferWithAuthorization',
  message: {
    from: ADDR0,
    to: '0x0000000000000000000000000000000000000402',
    value: 1000n,
    validAfter: 0n,
    validBefore: 1_900_000_000n,
    nonce: `0x${'11'.repeat(32)}`,
  },
} as const;

beforeEach(() => {
  fakeBrowser.reset();
  now = 1_700_000_000_000;
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('create / import', () => {
  it('creates from a mnemonic, unlocked, with account 0', async () => {
    const s = await service().createFromMnemonic(PHRASE, PW);
    expect(s).toMatchObject({
      initialized: true,
      unlocked: true,
      kind: 'mnemonic',
      accounts: [{ index: 0, name: 'Account 1', address: ADDR0 }],
      activeIndex: 0,
      activeAddress: ADDR0,
      autoLock: 15,
      lockDeadline: now + 15 * MIN,
      failedAttempts: 0,
    });
    // the password and phrase are nowhere in storage
    const dump = JSON.stringify([
      await fakeBrowser.storage.local.get(),
      await fakeBrowser.storage.session.get(),
    ]);
    expect(dump).not.toContain(PW);
    expect(dump).not.toContain('test test');
  });

  it('forgives whitespace and case in an imported phrase', async () => {
    const svc = service();
    await svc.importMnemonic(`  ${PHRASE.toUpperCase().replace(/ /g, '\n ')}  `, PW);
    expect(await svc.reveal(PW, 'mnemonic')).toBe(PHRASE);
  });

  it('refuses a second wallet until reset', async () => {
    const svc = service();
    await svc.importMnemonic(PHRASE, PW);
    await expectCustodyError(svc.importPrivateKey(KEY0, PW), 'already-initialized');
    await expectCustodyError(service().createFromMnemonic(PHRASE, PW), 'already-initialized');
  });

  it('enforces the password policy and validates input with clear messages', async () => {
    const svc = service();
    await expectCustodyError(svc.importMnemonic(PHRASE, 'short'), 'weak-password');
    const e = await expectCustodyError(svc.importMnemonic('test test test', PW), 'invalid-mnemonic');
    expect(e.message).toContain('you entered 3 words');
    await expectCustodyError(svc.importPrivateKey('0x1234', PW), 'invalid-private-key');
    expect((await svc.status()).initialized).toBe(false);
  });

  it('imports a private key; such a wallet cannot derive more accounts or reveal a phrase', async () => {
    const svc = service();
    const s = await svc.importPrivateKey(KEY0.slice(2).toUpperCase(), PW);
    expect(s).toMatchObject({ kind: 'privateKey', activeAddress: ADDR0, unlocked: true });
    await expectCustodyError(svc.addAccount(), 'not-mnemonic');
    await expectCustodyError(svc.reveal(PW, 'mnemonic'), 'not-mnemonic');
    expect(await svc.reveal(PW, 'privateKey')).toBe(KEY0);
    const sig = await svc.signMessage('hello');
    expect(await verifyMessage({ address: ADDR0, message: 'hello', signature: sig })).toBe(true);
  });
});

describe('signing and restarts', () => {
  it('signs typed data and messages with the active account', async () => {
    const svc = service();
    await svc.importMnemonic(PHRASE, PW);
    const sig = await svc.signTypedData(TYPED);
    expect(await recoverTypedDataAddress({ ...TYPED, signature: sig })).toBe(ADDR0);
    await svc.addAccount('Spending');
    await svc.selectAccount(1);
    const sig1 = await svc.signMessage({ raw: '0xdeadbeef' });
    expect(await verifyMessage({ address: ADDR1, message: { raw: '0xdeadbeef' }, signature: sig1 })).toBe(true);
  });

  it('stays unlocked across a worker restart (fresh instance over the same storage) and still signs', async () => {
    await service().importMnemonic(PHRASE, PW);
    const session = await sessionItem.getValue();
    expect(session?.key).toBeTruthy();
    expect(JSON.stringify(session)).not.toContain(PW);

    const restarted = service();
    expect(await restarted.restore()).toMatchObject({ unlocked: true, activeAddress: ADDR0 });
    const sig = await restarted.signTypedData(TYPED);
    expect(await recoverTypedDataAddress({ ...TYPED, signature: sig })).toBe(ADDR0);
    const msgSig = await restarted.signMessage('after restart');
    expect(await verifyMessage({ address: ADDR0, message: 'after restart', signature: msgSig })).toBe(true);
  });

  it('a browser restart (storage.session cleared) leaves it locked; unlock works again', async () => {
    await service().importMnemonic(PHRASE, PW);
    await fakeBrowser.storage.session.clear();
    const restarted = service();
    expect((await restarted.restore()).unlocked).toBe(false);
    await expectCustodyError(restarted.signMessage('x'), 'locked');
    expect((await restarted.unlock(PW)).unlocked).toBe(true);
    expect(await verifyMessage({ address: ADDR0, message: 'x', signature: await restarted.signMessage('x') })).toBe(true);
  });

  it('lock() stops signing, in this instance and in a restarted one', async () => {
    const svc = service();
    await svc.importMnemonic(PHRASE, PW);
    await svc.lock();
    expect((await svc.status()).unlocked).toBe(false);
    await expectCustodyError(svc.signTypedData(TYPED), 'locked');
    await expectCustodyError(service().signMessage('x'), 'locked');
    expect(await sessionItem.getValue()).toBeNull();
  });

  it('a session key that no longer opens the vault counts as locked', async () => {
    await service().importMnemonic(PHRASE, PW);
    await sessionItem.setValue({ key: bytesToBase64(new Uint8Array(32).fill(7)), deadline: null });
    await expectCustodyError(service().signMessage('x'), 'locked');
    expect(await sessionItem.getValue()).toBeNull();
  });

  it('getSigner() works with @x402/evm ExactEvmScheme and stays pinned to its account', async () => {
    const svc = service();
    await svc.importMnemonic(PHRASE, PW);
    await svc.addAccount();
    const signer: ClientEvmSigner = await svc.getSigner(); // type-level compatibility too
    expect(signer.address).toBe(ADDR0);
    await svc.selectAccount(1); // must not switch the pinned signer to another key

    const requirements = {
      scheme: 'exact',
      network: 'eip155:84532' as const,
      asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e',
      amount: '1000',
      payTo: '0x0000000000000000000000000000000000000402',
      maxTimeoutSeconds: 60,
      extra: { name: 'USDC', version: '2' },
    };
    const result = await new ExactEvmScheme(signer).createPaymentPayload(2, requirements);
    const payload = result.payload as {
      signature: `0x${string}`;
      authorization: { from: Address; to: Address; value: string; validAfter: string; validBefore: string; nonce: `0x${string}` };
    };
    expect(payload.authorization.from).toBe(ADDR0);
    const a = payload.authorization;
    const recovered = await recoverTypedDataAddress({
      domain: { name: 'USDC', version: '2', chainId: 84532, verifyingContract: requirements.asset as Address },
      types: TYPED.types,
      primaryType: 'TransferWithAuthorization',
      message: { ...a, value: BigInt(a.value), validAfter: BigInt(a.validAfter), validBefore: BigInt(a.validBefore) },
      signature: payload.signature,
    });
    expect(recovered).toBe(ADDR0);

    await svc.lock();
    await expectCustodyError(signer.signTypedData(TYPED), 'locked');
  });
});

describe('TRON accounts in custody', () => {
  const PERMIT = {
    domain: { name: 'PaymentPermit', chainId: 728126428, verifyingContract: '0xc2a7f3a95d6b6ad4e1a2a8b0c8d4e0e0c9b1a2d3' },
    types: { Fee: [{ name: 'feeTo', type: 'address' }, { name: 'feeAmount', type: 'uint256' }] },
    primaryType: 'Fee',
    message: { feeTo: '0x0000000000000000000000000000000000000001', feeAmount: 5n },
  };

  it('a phrase wallet has a TRON address per account; the TRON signer signs TIP-712 in the background, pinned to its account', async () => {
    const svc = service();
    const s = await svc.importMnemonic(PHRASE, PW);
    expect(s.activeTronAddress).toBe(TRON0);
    const signer = await svc.getSigner('tron');
    expect(signer).toMatchObject({ rail: 'tron', address: TRON0 });
    await svc.addAccount();
    await svc.selectAccount(1);
    expect((await svc.status()).activeTronAddress).toBe(TRON1);
    const sig = await signer.signTypedData(PERMIT); // still account 0's key
    const recovered = await recoverTypedDataAddress({ ...PERMIT, signature: sig } as never);
    expect(hexToTron(recovered)).toBe(TRON0);
    await svc.lock();
    await expectCustodyError(signer.signTypedData(PERMIT), 'locked');
  });

  it('a raw secp256k1 key has a TRON account: the same key in TRON form', async () => {
    const svc = service();
    const s = await svc.importPrivateKey(KEY0, PW);
    expect(s.accounts[0]!.tronAddress).toBe(TRON_OF_KEY0);
    const signer = await svc.getSigner('tron');
    const recovered = await recoverTypedDataAddress({ ...PERMIT, signature: await signer.signTypedData(PERMIT) } as never);
    expect(recovered).toBe(ADDR0);
  });

  it('older records get their TRON address on unlock; a wrong one refuses to unlock', async () => {
    await service().importMnemonic(PHRASE, PW);
    const meta = (await walletItem.getValue())!;
    await walletItem.setValue({ ...meta, accounts: [{ index: 0, name: 'Account 1', address: ADDR0, svmAddress: SOL0 }] });
    const svc = service();
    await svc.lock();
    await expectCustodyError(svc.getSigner('tron'), 'locked');
    const s = await svc.unlock(PW);
    expect(s.accounts[0]!.tronAddress).toBe(TRON0);
    expect((await walletItem.getValue())!.accounts[0]!.tronAddress).toBe(TRON0);
    await svc.lock();
    await walletItem.setValue({ ...meta, accounts: [{ index: 0, name: 'Account 1', address: ADDR0, svmAddress: SOL0, tronAddress: TRON1 }] });
    await expectCustodyError(service().unlock(PW), 'integrity');
  });
});

describe('Solana accounts in custody', () => {
  it('a phrase wallet has both addresses per account; the Solana signer signs in the background and stays pinned', async () => {
    const svc = service();
    const s = await svc.importMnemonic(PHRASE, PW);
    expect(s.accounts[0]).toEqual({ index: 0, name: 'Account 1', address: ADDR0, svmAddress: SOL0, tronAddress: TRON0 });
    expect(s.activeSvmAddress).toBe(SOL0);
    const signer = await svc.getSigner('svm');
    expect(signer).toMatchObject({ rail: 'svm', address: SOL0 });
    await svc.addAccount();
    await svc.selectAccount(1);
    expect((await svc.status()).activeSvmAddress).toBe(SOL1);
    const msg = new TextEncoder().encode('a transaction message');
    const sig = await signer.signMessageBytes(msg); // still account 0's key
    expect(verifyEd25519(sig, msg, SOL0)).toBe(true);
    await svc.lock();
    await expectCustodyError(signer.signMessageBytes(msg), 'locked');
  });

  it('survives a worker restart: a fresh instance signs with the same Solana key', async () => {
    await service().importMnemonic(PHRASE, PW);
    const signer = await service().getSigner('svm');
    const msg = Uint8Array.of(1, 2, 3);
    expect(verifyEd25519(await signer.signMessageBytes(msg), msg, SOL0)).toBe(true);
  });

  it('a raw-key wallet has no Solana account and says so', async () => {
    const svc = service();
    const s = await svc.importPrivateKey(KEY0, PW);
    expect(s.accounts[0]!.svmAddress).toBeUndefined();
    expect(s.activeSvmAddress).toBeNull();
    await expectCustodyError(svc.getSigner('svm'), 'unknown-account');
  });

  it('older account records (EVM only) get their Solana address on unlock; a wrong one refuses to unlock', async () => {
    await service().importMnemonic(PHRASE, PW);
    const meta = (await walletItem.getValue())!;
    await walletItem.setValue({ ...meta, accounts: [{ index: 0, name: 'Account 1', address: ADDR0 }] });
    const svc = service();
    await svc.lock();
    expect((await svc.unlock(PW)).accounts[0]!.svmAddress).toBe(SOL0);
    expect((await walletItem.getValue())!.accounts[0]!.svmAddress).toBe(SOL0);

    await walletItem.setValue({ ...meta, accounts: [{ index: 0, name: 'Account 1', address: ADDR0, svmAddress: SOL1 }] });
    await svc.lock();
    await expectCustodyError(svc.unlock(PW), 'integrity');
  });
});

describe('unlock, lockout and tampering', () => {
  it('rejects a wrong password and unlocks with the right one', async () => {
    const svc = service();
    await svc.importMnemonic(PHRASE, PW);
    await svc.lock();
    await expectCustodyError(svc.unlock('wrong password'), 'wrong-password');
    expect((await svc.status()).failedAttempts).toBe(1);
    expect(await svc.unlock(PW)).toMatchObject({ unlocked: true, failedAttempts: 0 });
  });

  it('unlock on an empty wallet says so', async () => {
    await expectCustodyError(service().unlock(PW), 'not-initialized');
  });

  it('lockoutDelayMs: free attempts, then 1s, 2s, 4s … capped at 5 min', () => {
    expect([0, 1, 2].map(lockoutDelayMs)).toEqual([0, 0, 0]);
    expect([3, 4, 5, 6].map(lockoutDelayMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(lockoutDelayMs(11)).toBe(256_000);
    expect(lockoutDelayMs(12)).toBe(300_000);
    expect(lockoutDelayMs(1000)).toBe(300_000);
  });

  it('progressive lockout, refused without running the KDF, persisted across restarts', async () => {
    await service().importMnemonic(PHRASE, PW);
    let svc = service();
    await svc.lock();
    const derive = vi.spyOn(globalThis.crypto.subtle, 'deriveBits');

    await expectCustodyError(svc.unlock('bad-1-password'), 'wrong-password');
    await expectCustodyError(svc.unlock('bad-2-password'), 'wrong-password');
    const third = await expectCustodyError(svc.unlock('bad-3-password'), 'wrong-password');
    expect(third.retryAfterMs).toBe(1000);
    expect(derive).toHaveBeenCalledTimes(3);

    // even the right password is refused during the lockout, and no KDF runs
    const out = await expectCustodyError(svc.unlock(PW), 'locked-out');
    expect(out.retryAfterMs).toBe(1000);
    expect(derive).toHaveBeenCalledTimes(3);

    // a worker restart does not reset it
    svc = service();
    const status = await svc.status();
    expect(status.lockoutUntil).toBe(now + 1000);
    expect(status.failedAttempts).toBe(3);
    await expectCustodyError(svc.unlock(PW), 'locked-out');
    await expectCustodyError(svc.reveal(PW, 'mnemonic'), 'locked-out'); // reveal shares the guard

    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      now += 5 * MIN;
      delays.push((await expectCustodyError(svc.unlock(`bad-again-${i}`), 'wrong-password')).retryAfterMs!);
    }
    expect(delays).toEqual([2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000]);
    now += 299_999;
    await expectCustodyError(service().unlock(PW), 'locked-out');
    now += 1;
    expect(await service().unlock(PW)).toMatchObject({ unlocked: true, failedAttempts: 0 });
    expect(await guardItem.getValue()).toEqual({ failures: 0, lockoutUntil: 0 });
  });

  it('parallel guesses are serialized: only the free attempts reach the KDF', async () => {
    await service().importMnemonic(PHRASE, PW);
    const svc = service();
    await svc.lock();
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => svc.unlock(`guess-number-${i}`)));
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as CustodyError).code : 'ok'));
    expect(codes.filter((c) => c === 'wrong-password')).toHaveLength(3);
    expect(codes.filter((c) => c === 'locked-out')).toHaveLength(5);
  });

  it('a tampered stored vault fails to unlock with a clear error and storage is left unchanged', async () => {
    await service().importMnemonic(PHRASE, PW);
    const genuine = (await vaultItem.getValue())!;
    const flip = (b64: string) => {
      const b = base64ToBytes(b64)!;
      b[0] = b[0]! ^ 1;
      return bytesToBase64(b);
    };
    const cases: Array<[string, VaultRecord | unknown, string]> = [
      ['salt', { ...genuine, kdf: { ...genuine.kdf, salt: flip(genuine.kdf.salt) } }, 'wrong-password'],
      ['iv', { ...genuine, cipher: { ...genuine.cipher, iv: flip(genuine.cipher.iv) } }, 'wrong-password'],
      ['ciphertext', { ...genuine, ciphertext: flip(genuine.ciphertext) }, 'wrong-password'],
      ['iterations lowered below minimum', { ...genuine, kdf: { ...genuine.kdf, iterations: 10 } }, 'vault-weak-params'],
      ['iterations lowered above minimum', { ...genuine, kdf: { ...genuine.kdf, iterations: 1_500 } }, 'wrong-password'],
      ['hash SHA-1', { ...genuine, kdf: { ...genuine.kdf, hash: 'SHA-1' } }, 'vault-weak-params'],
      ['hash name unknown', { ...genuine, kdf: { ...genuine.kdf, hash: 'MD5' } }, 'vault-corrupt'],
      ['version', { ...genuine, version: 9 }, 'vault-unsupported-version'],
      ['garbage', { hello: 'world' }, 'vault-corrupt'],
      ['string', 'not a vault', 'vault-corrupt'],
    ];
    for (const [label, tampered, code] of cases) {
      await fakeBrowser.storage.session.clear();
      await guardItem.removeValue();
      await vaultItem.setValue(tampered as VaultRecord);
      const before = JSON.stringify(await fakeBrowser.storage.local.get());
      const svc = service();
      const e = await expectCustodyError(svc.unlock(PW), code);
      if (code.startsWith('vault-')) expect(e.message, label).toMatch(/reset|Update/);
      expect(JSON.stringify(await fakeBrowser.storage.local.get().then((all) => ({ ...all, 'custody.unlockGuard': undefined })))).toBe(
        JSON.stringify({ ...JSON.parse(before), 'custody.unlockGuard': undefined }),
      );
      expect(await vaultItem.getValue(), label).toEqual(tampered);
      expect((await svc.status()).unlocked, label).toBe(false);
      expect(await sessionItem.getValue(), label).toBeNull();
    }
    // restoring the genuine record makes it work again
    await guardItem.removeValue();
    await vaultItem.setValue(genuine);
    expect((await service().unlock(PW)).unlocked).toBe(true);
  });

  it('refuses to unlock when the vault does not match the stored account addresses', async () => {
    await service().importMnemonic(PHRASE, PW);
    const meta = (await walletItem.getValue())!;
    await walletItem.setValue({ ...meta, accounts: [{ ...meta.accounts[0]!, address: ADDR1 }] });
    const svc = service();
    await svc.lock();
    await expectCustodyError(svc.unlock(PW), 'integrity');
    expect((await svc.status()).unlocked).toBe(false);
  });

  it('rebuilds missing account metadata on unlock', async () => {
    await service().importMnemonic(PHRASE, PW);
    await walletItem.removeValue();
    const svc = service();
    await svc.lock();
    expect(await svc.unlock(PW)).toMatchObject({ unlocked: true, activeAddress: ADDR0, kind: 'mnemonic' });
  });

  it('upgrades vault parameters on unlock and keeps working after a restart', async () => {
    const OLD: VaultPolicy = { iterations: 1_000, minIterations: 1_000 };
    const NEW: VaultPolicy = { iterations: 3_000, minIterations: 1_000 };
    await service(OLD).importMnemonic(PHRASE, PW);
    const before = (await vaultItem.getValue())!;
    expect(before.kdf.iterations).toBe(1_000);

    const svc = service(NEW);
    await svc.lock();
    await svc.unlock(PW);
    const after = (await vaultItem.getValue())!;
    expect(after.kdf.iterations).toBe(3_000);
    expect(after.kdf.salt).not.toBe(before.kdf.salt);

    const restarted = service(NEW);
    const sig = await restarted.signMessage('upgraded');
    expect(await verifyMessage({ address: ADDR0, message: 'upgraded', signature: sig })).toBe(true);
    await restarted.lock();
    await restarted.unlock(PW);
    expect((await vaultItem.getValue())!.ciphertext).toBe(after.ciphertext); // no second upgrade
  });

  it('production parameters (600k PBKDF2) end to end', async () => {
    const svc = createCustodyService({ now: clock });
    await svc.importPrivateKey(KEY0, PW);
    expect((await vaultItem.getValue())!.kdf.iterations).toBe(600_000);
    await svc.lock();
    await expectCustodyError(svc.unlock('not the password'), 'wrong-password');
    expect((await svc.unlock(PW)).unlocked).toBe(true);
    const sig = await createCustodyService({ now: clock }).signMessage('prod');
    expect(await verifyMessage({ address: ADDR0, message: 'prod', signature: sig })).toBe(true);
  });
});

describe('auto-lock', () => {
  it('schedules the alarm at the idle deadline; the alarm locks once it has passed', async () => {
    const svc = service();
    await svc.importMnemonic(PHRASE, PW);
    expect((await fakeBrowser.alarms.get(AUTOLOCK_ALARM))?.scheduledTime).toBe(now + 15 * MIN);
    expect(await svc.onAlarm('something-else')).toBe(false);

    now += 10 * MIN;
    expect(await svc.onAlarm(AUTOLOCK_ALARM)).toBe(false); // fired early: not yet
    expect((await svc.status()).unlocked).toBe(true);

    now += 5 * MIN;
    expect(await service().onAlarm(AUTOLOCK_ALARM)).toBe(true); // fresh instance: no memory needed
    expect((await svc.status()).unlocked).toBe(false);
    expect(await sessionItem.getValue()).toBeNull();
    await expectCustodyError(svc.signMessage('x'), 'locked');
  });

  it('touch() extends the deadline and re-arms the alarm', async () => {
    const svc = service();
    await svc.importMnemonic(PHRASE, PW);
    now += 10 * MIN;
    expect(await svc.touch()).toBe(true);
    expect((await sessionItem.getValue())?.deadline).toBe(now + 15 * MIN);
    expect((await fakeBrowser.alarms.get(AUTOLOCK_ALARM))?.scheduledTime).toBe(now + 15 * MIN);
    now += 10 * MIN; // 20 min after unlock, 10 after activity
    expect(await svc.onAlarm(AUTOLOCK_ALARM)).toBe(false);
    expect((await svc.status()).unlocked).toBe(true);
    now += 6 * MIN;
    expect(await svc.touch()).toBe(false); // too late: locks instead of extending
    expect((await svc.status()).unlocked).toBe(false);
  });

  it('refuses to sign after the deadline even if the alarm never fired', async () => {
    const svc = service();
    await svc.importMnemonic(PHRASE, PW);
    await svc.signMessage('warm the cache');
    now += 15 * MIN;
    await expectCustodyError(svc.signMessage('late'), 'locked');
    expect(await sessionItem.getValue()).toBeNull();
  });

  it('never deadlocks when a session expires in the middle of an exclusive operation', async () => {
    const svc = service();
    await svc.importMnemonic(PHRASE, PW);
    await svc.setAutoLock(1);
    await svc.lock();
    // a clock that jumps past the 1-minute deadline between any two readings
    const jumpy = createCustodyService({ vaultPolicy: FAST, now: () => (now += 2 * MIN) });
    const result = await Promise.race([
      jumpy.unlock(PW),
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 3_000)),
    ]);
    expect(result).not.toBe('timeout');
    expect((result as { unlocked: boolean }).unlocked).toBe(false);
  });

  it('touch() does not rewrite storage for trivial extensions', async () => {
    const svc = service();
    await svc.importMnemonic(PHRASE, PW);
    const deadline = (await sessionItem.getValue())?.deadline;
    now += 5_000;
    expect(await svc.touch()).toBe(true);
    expect((await sessionItem.getValue())?.deadline).toBe(deadline);
  });

  it('restore() on worker start locks a session whose deadline passed while the worker was dead', async () => {
    await service().importMnemonic(PHRASE, PW);
    now += 16 * MIN;
    const s = await service().restore();
    expect(s.unlocked).toBe(false);
    expect(await sessionItem.getValue()).toBeNull();
  });

  it("'never' and 'browser-close' keep the session (no alarm) until the browser clears storage.session", async () => {
    for (const setting of ['never', 'browser-close'] as const) {
      fakeBrowser.reset();
      const svc = service();
      await svc.importMnemonic(PHRASE, PW);
      await svc.setAutoLock(setting);
      expect(await fakeBrowser.alarms.get(AUTOLOCK_ALARM)).toBeUndefined();
      expect((await sessionItem.getValue())?.deadline).toBeNull();
      now += 7 * 24 * 60 * MIN;
      expect(await service().restore()).toMatchObject({ unlocked: true, autoLock: setting });
      await fakeBrowser.storage.session.clear(); // browser restart
      expect((await service().restore()).unlocked).toBe(false);
      await svc.unlock(PW);
      expect((await sessionItem.getValue())?.deadline).toBeNull();
    }
  });

  it('changing the minutes applies to the live session; invalid settings are refused', async () => {
    const svc = service();
    await svc.importMnemonic(PHRASE, PW);
    await svc.setAutoLock(1);
    expect((await svc.status()).lockDeadline).toBe(now + MIN);
    for (const bad of [0, -5, 1.5, 100_000, 'sometimes', null]) {
      await expectCustodyError(svc.setAutoLock(bad as never), 'invalid-argument');
    }
    expect((await svc.status()).autoLock).toBe(1);
  });
});

describe('accounts, reveal, reset', () => {
  it('adds, renames and selects accounts', async () => {
    const svc = service();
    await svc.importMnemonic(PHRASE, PW);
    expect(await svc.addAccount()).toEqual({ index: 1, name: 'Account 2', address: ADDR1, svmAddress: SOL1, tronAddress: TRON1 });
    expect((await svc.addAccount('  Third   one ')).name).toBe('Third one');
    await svc.renameAccount(1, 'Savings');
    await svc.selectAccount(1);
    const s = await service().status();
    expect(s.accounts.map((a) => a.name)).toEqual(['Account 1', 'Savings', 'Third one']);
    expect(s.activeAddress).toBe(ADDR1);
    await expectCustodyError(svc.selectAccount(9), 'unknown-account');
    await expectCustodyError(svc.renameAccount(9, 'x'), 'unknown-account');
    await expectCustodyError(svc.renameAccount(1, '   '), 'invalid-argument');
    await svc.lock();
    await expectCustodyError(svc.addAccount(), 'locked');
  });

  it('reveal requires the right password and returns the active account key', async () => {
    const svc = service();
    await svc.importMnemonic(PHRASE, PW);
    await expectCustodyError(svc.reveal('wrong password', 'mnemonic'), 'wrong-password');
    expect((await svc.status()).failedAttempts).toBe(1);
    expect(await svc.reveal(PW, 'mnemonic')).toBe(PHRASE);
    expect(await svc.reveal(PW, 'privateKey')).toBe(KEY0);
    await svc.addAccount();
    await svc.selectAccount(1);
    expect(await svc.reveal(PW, 'privateKey')).toBe(KEY1);
    await expectCustodyError(svc.reveal(PW, 'seed' as never), 'invalid-argument');
  });

  it('reset wipes vault, accounts and session, and allows a new wallet', async () => {
    const svc = service();
    await svc.importMnemonic(PHRASE, PW);
    await svc.reset();
    expect(await svc.status()).toMatchObject({ initialized: false, unlocked: false, accounts: [], activeAddress: null });
    const local = await fakeBrowser.storage.local.get();
    expect(Object.keys(local).filter((k) => k.startsWith('custody.') && !k.endsWith('$'))).toEqual([]);
    expect(await fakeBrowser.storage.session.get()).toEqual({});
    expect(await fakeBrowser.alarms.get(AUTOLOCK_ALARM)).toBeUndefined();
    await expectCustodyError(svc.signMessage('x'), 'locked');
    expect((await svc.importPrivateKey(KEY1, PW)).activeAddress).toBe(ADDR1);
  });
});
