/**
 * Signing's storage reads (issue 10): a signer for a payment reads the session, the wallet meta
 * and the vault once each, at once — and the errors are what they were (locked before anything else).
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
  it('getSigner reads the session, the wallet meta and the vault once each', async () => {
    const svc = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
    await svc.importMnemonic(PHRASE, PW);
    await svc.getSigner(); // derives and caches the account
    const read = keysRead();
    const signer = await svc.getSigner();
    expect(signer.address).toMatch(/^0x/);
    expect(read.keys.sort()).toEqual(['custody.session', 'custody.vault', 'custody.wallet']);
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
