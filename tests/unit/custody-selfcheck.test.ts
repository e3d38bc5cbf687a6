/** The unlock self-check (sign a fixed message, recover it) must actually gate unlocking. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

const recoverHook = vi.hoisted(() => ({ override: null as null | `0x${string}` }));

vi.mock('viem', async (importOriginal) => {
  const real = await importOriginal<typeof import('viem')>();
  return {
    ...real,
    recoverMessageAddress: async (args: Parameters<typeof real.recoverMessageAddress>[0]) =>
      recoverHook.override ?? real.recoverMessageAddress(args),
  };
});

const { CustodyError, createCustodyService } = await import('../../lib/custody/service');

const PHRASE = 'test test test test test test test test test test test junk';
const PW = 'hunter2-but-longer';

describe('unlock self-check', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    recoverHook.override = null;
  });

  it('refuses to unlock when the signature does not recover to the stored address', async () => {
    const svc = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
    await svc.importMnemonic(PHRASE, PW);
    await svc.lock();
    recoverHook.override = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
    const err = await svc.unlock(PW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CustodyError);
    expect((err as InstanceType<typeof CustodyError>).code).toBe('integrity');
    expect((await svc.status()).unlocked).toBe(false);

    recoverHook.override = null;
    expect((await svc.unlock(PW)).unlocked).toBe(true);
  });
});
