/** EVM offer checks shared by the `exact` and `upto` evaluators. Pure. */
import { getAddress, isAddress } from 'viem';
import { OptionRejected } from '../types.ts';

/** A checksummed (or single-case), non-zero EVM address, or the given rejection. */
export function checkEvmAddress(v: unknown, code: 'invalid-pay-to' | 'invalid-facilitator', what: string): `0x${string}` {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(v) || !isAddress(v, { strict: true })) {
    throw new OptionRejected(code, `${what} is not a valid address (or has a bad checksum)`);
  }
  return getAddress(v);
}

/** A valid, non-zero payTo. */
export function checkEvmPayTo(payTo: unknown, token?: string): `0x${string}` {
  const a = checkEvmAddress(payTo, 'invalid-pay-to', 'payTo');
  if (/^0x0{40}$/i.test(a)) throw new OptionRejected('zero-pay-to', 'payTo is the zero address');
  // tokens sent to the token contract itself are lost for good (issue 16's hostile suite)
  if (token !== undefined && a.toLowerCase() === token.toLowerCase())
    throw new OptionRejected('invalid-pay-to', 'payTo is the token contract itself (the tokens would be lost)');
  return a;
}
