/**
 * The `eip2612GasSponsoring` extension on an `exact` Permit2 payment, signed only after the
 * user's explicit consent in the approval window: besides the Permit2 witness transfer, the
 * payer signs an EIP-2612 `Permit(owner, Permit2, value, nonce, deadline)` on the token, and the
 * facilitator submits it (paying its gas) in the same transaction as the settlement
 * (`settleWithPermit` on the x402 proxy). The official `ExactEvmScheme` signs it
 * (`trySignEip2612PermitExtension`, for exactly the payment's amount, deadline = the Permit2
 * deadline); the wallet gives it a signer that can sign typed data and read the token's
 * `nonces(owner)` over the network's RPC, nothing else, and checks what came out:
 *
 * - exactly one extension, `eip2612GasSponsoring`, whose info says from = the wallet, asset = the
 *   trusted token, spender = the canonical Permit2, amount = the payment's amount (never more,
 *   never unlimited), deadline = the Permit2 authorization's, version "1", and carries the very
 *   signature produced;
 * - that signature is a `Permit` under the token's TRUSTED EIP-712 domain (name, version, chain,
 *   verifying contract = the token) over the same owner/spender/value/deadline, recovering the wallet.
 */
import { PERMIT2_ADDRESS } from '@x402/evm';
import { getAddress, http, isAddress, isAddressEqual, recoverTypedDataAddress } from 'viem';
import { createReadClient } from '../../util/read-client.ts';
import { PaymentBuildError } from '../../x402/payload.ts';
import { isRecord } from '../../x402/json.ts';
import type { EvmOption, EvmSigner, TypedDataRequest } from '../types.ts';

export const EIP2612_GAS_SPONSORING = 'eip2612GasSponsoring';

/** Does the 402 declare the EIP-2612 gas-sponsoring extension for this (exact, Permit2) option? */
export function offersEip2612Sponsoring(extensions: Readonly<Record<string, unknown>> | undefined, o: { rail: string; scheme: string; transferMethod: string }): boolean {
  return o.rail === 'evm' && o.scheme === 'exact' && o.transferMethod === 'permit2' && isRecord(extensions?.[EIP2612_GAS_SPONSORING]);
}

/** A read-only contract reader over the network's RPC (for the token's `nonces(owner)`), chain id checked first. */
export function nonceReader(rpcUrl: string, chainId: number) {
  const c = createReadClient(http(rpcUrl, { retryCount: 0, timeout: 5_000 }));
  return async (args: { address: `0x${string}`; abi: readonly unknown[]; functionName: string; args?: readonly unknown[] }): Promise<unknown> => {
    if (args.functionName !== 'nonces' && args.functionName !== 'allowance') throw new PaymentBuildError(`the scheme may not read ${args.functionName}`);
    if ((await c.getChainId()) !== chainId) throw new PaymentBuildError('the RPC serves another chain');
    return c.readContract(args as never);
  };
}

function fail(what: string): never {
  throw new PaymentBuildError(`the EIP-2612 permit does not match the consented one: ${what}`);
}

/** Check the extension the scheme produced and the permit signature behind it; returns the extension. */
export async function checkSponsoredPermit(
  extensions: Record<string, unknown> | undefined,
  permitSigned: readonly { request: TypedDataRequest; signature: `0x${string}` }[],
  o: EvmOption,
  signer: EvmSigner,
  permit2Deadline: string,
): Promise<Record<string, unknown>> {
  if (!extensions || Object.keys(extensions).join(',') !== EIP2612_GAS_SPONSORING) fail('expected exactly the eip2612GasSponsoring extension');
  const ext = extensions[EIP2612_GAS_SPONSORING];
  if (!isRecord(ext) || !isRecord(ext.info)) fail('info missing');
  const info = ext.info;
  const addr = (v: unknown, want: string, what: string) => {
    if (typeof v !== 'string' || !isAddress(v, { strict: false }) || !isAddressEqual(v, want as `0x${string}`)) fail(what);
  };
  addr(info.from, signer.address, 'from');
  addr(info.asset, o.asset.address, 'asset');
  addr(info.spender, PERMIT2_ADDRESS, 'spender');
  if (info.amount !== o.amount.toString()) fail('amount is not exactly the payment');
  if (info.deadline !== permit2Deadline) fail('deadline');
  if (info.version !== '1') fail('version');
  if (typeof info.nonce !== 'string' || !/^(0|[1-9][0-9]{0,77})$/.test(info.nonce)) fail('nonce');
  if (permitSigned.length !== 1) fail(`expected one permit signature, got ${permitSigned.length}`);
  const { request, signature } = permitSigned[0]!;
  if (info.signature !== signature) fail('signature differs from the one produced');
  const d = request.domain;
  if (request.primaryType !== 'Permit') fail('primary type');
  if (d.name !== o.asset.eip712.name || d.version !== o.asset.eip712.version || d.chainId !== o.asset.chainId) fail('EIP-712 domain is not the trusted one');
  addr(d.verifyingContract, o.asset.address, 'verifying contract');
  const m = request.message as Record<string, unknown>;
  addr(m.owner, signer.address, 'signed owner');
  addr(m.spender, PERMIT2_ADDRESS, 'signed spender');
  if (m.value !== o.amount || m.deadline !== BigInt(permit2Deadline) || m.nonce !== BigInt(info.nonce)) fail('signed value/deadline/nonce');
  let recovered: `0x${string}`;
  try {
    recovered = await recoverTypedDataAddress({ ...(request as Parameters<typeof recoverTypedDataAddress>[0]), signature });
  } catch {
    fail('signature cannot be recovered');
  }
  if (!isAddressEqual(recovered, getAddress(signer.address))) fail('signature was not made by the wallet address');
  return { [EIP2612_GAS_SPONSORING]: ext };
}
