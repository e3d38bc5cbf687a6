/**
 * The smaller secp256k1 base-point table (lib/custody/curve-tables.ts): custody sets it before
 * anything signs, and signatures made with it are exactly the ones of an independent
 * implementation (elliptic, RFC 6979 nonces, low-s) — the table changes how k·G is computed,
 * never the result.
 */
import { createRequire } from 'node:module';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils';
import { describe, expect, it, vi } from 'vitest';
import { BASE_POINT_WINDOW } from '../../lib/custody/curve-tables';

const EC = createRequire(import.meta.url)('elliptic').ec as new (curve: string) => {
  sign(msg: string, key: string, opts: { canonical: boolean }): { r: { toString(b: number, l: number): string }; s: { toString(b: number, l: number): string } };
};

vi.mock('../../lib/custody/curve-tables', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../lib/custody/curve-tables')>();
  return { ...real, tuneCurveTables: vi.fn(real.tuneCurveTables) };
});

describe('secp256k1 base-point table', () => {
  it('custody sets the 4-bit window when it is created, before anything signs', async () => {
    const { tuneCurveTables } = await import('../../lib/custody/curve-tables');
    const { CustodyService } = await import('../../lib/custody/service');
    expect(tuneCurveTables).not.toHaveBeenCalled();
    new CustodyService();
    expect(tuneCurveTables).toHaveBeenCalledTimes(1);
    expect(BASE_POINT_WINDOW).toBe(4);
  });

  it('signatures with that table equal an independent implementation’s, for 200 keys and digests', async () => {
    const { CustodyService } = await import('../../lib/custody/service');
    new CustodyService();
    const ec = new EC('secp256k1');
    for (let i = 0; i < 200; i++) {
      const key = secp256k1.utils.randomPrivateKey();
      const digest = crypto.getRandomValues(new Uint8Array(32));
      const ours = secp256k1.sign(digest, key);
      const theirs = ec.sign(bytesToHex(digest), bytesToHex(key), { canonical: true });
      expect(ours.r.toString(16).padStart(64, '0')).toBe(theirs.r.toString(16, 64));
      expect(ours.s.toString(16).padStart(64, '0')).toBe(theirs.s.toString(16, 64));
      expect(bytesToHex(secp256k1.getPublicKey(key))).toBe(bytesToHex(secp256k1.ProjectivePoint.BASE.multiply(BigInt(`0x${bytesToHex(key)}`)).toRawBytes(true)));
    }
  });
});
