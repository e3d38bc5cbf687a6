/**
 * Signing's storage reads (issue 10): custody's keys are mirrored in memory (storage the durable
 * copy), so a payment's status, signer and signature read storage not at all once warm — and memory
 * follows every change: custody's own writes, and a change made elsewhere (storage.onChanged).
 * The errors are what they were (locked before anything else).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createCustodyService, CustodyError } from '../../lib/custody/service';

const PHRASE = 'test test test test test test test test test test test junk';
const PW = 'hunter2-but-longer';

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
});

function keysRead(): { keys: string[] } {
  const out = { keys: [] as string[] };
  for (const area of [fakeBrowser.storage.local, fakeBrowser.storage.session]) {
    const real = area.get.bind(area);
    vi.spyOn(area, 'get').mockImplementation(((k: unknown) => {
      out.keys.push(...(k === null || k === undefined ? ['*'] : typeof k === 'string' ? [k] : Array.isArray(k) ? k : Object.keys(k as object)));
      return real(k as never);
    }) as never);
  }
  return out;
}

describe('custody: one read of each key per signer', () => {
  it('warm: status, getSigner and a signature read no storage at all', async () => {
    const svc = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
    await svc.importMnemonic(PHRASE, PW);
    await svc.getSigner(); // derives and caches the account
    const read = keysRead();
    expect((await svc.status()).unlocked).toBe(true);
    const signer = await svc.getSigner();
    expect(signer.address).toMatch(/^0x/);
    await svc.signTypedData({ domain: { name: 'T', version: '1', chainId: 1 }, types: { M: [{ name: 'x', type: 'uint256' }] }, primaryType: 'M', message: { x: 1n } });
    expect(read.keys).toEqual([]);
  });

  it('cold (a restarted worker: memory empty): one read of the session, the wallet meta and the vault each', async () => {
    const svc = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
    await svc.importMnemonic(PHRASE, PW);
    await svc.getSigner();
    // a fresh module graph, as a restarted worker has: storage is all it knows
    vi.resetModules();
    const fresh = await import('../../lib/custody/service');
    const restarted = fresh.createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
    const read = keysRead();
    const signer = await restarted.getSigner();
    expect(signer.address).toMatch(/^0x/);
    expect(read.keys.sort()).toEqual(['custody.session', 'custody.vault', 'custody.wallet']);
  });

  it('a lock made elsewhere (the session key removed from storage) is followed at once: "locked"', async () => {
    const svc = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
    await svc.importMnemonic(PHRASE, PW);
    await svc.getSigner();
    await fakeBrowser.storage.session.remove('custody.session');
    await expect(svc.getSigner()).rejects.toMatchObject({ code: 'locked' });
    expect((await svc.status()).unlocked).toBe(false);
  });

  it('a vault and meta removed elsewhere: the wallet is no longer initialized, nothing signs', async () => {
    const svc = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
    await svc.importMnemonic(PHRASE, PW);
    await svc.getSigner();
    await fakeBrowser.storage.local.remove(['custody.vault', 'custody.wallet']);
    expect((await svc.status()).initialized).toBe(false);
    await expect(svc.getSigner()).rejects.toBeInstanceOf(CustodyError);
  });

  it('an account switch and a lock through the service are seen by the next signer at once', async () => {
    const svc = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
    await svc.importMnemonic(PHRASE, PW);
    const first = (await svc.getSigner()).address;
    const added = await svc.addAccount();
    await svc.selectAccount(added.index);
    const second = (await svc.getSigner()).address;
    expect(second).not.toBe(first);
    await svc.lock();
    await expect(svc.getSigner()).rejects.toMatchObject({ code: 'locked' });
  });

  it('no session, with or without a wallet: "locked" comes first, as when the reads ran one after the other', async () => {
    const svc = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
    await expect(svc.getSigner()).rejects.toMatchObject({ code: 'locked' });
    await svc.importMnemonic(PHRASE, PW);
    await svc.lock();
    const e = await svc.getSigner().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CustodyError);
    expect((e as CustodyError).code).toBe('locked');
  });
});
