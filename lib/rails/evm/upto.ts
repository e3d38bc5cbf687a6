/**
 * The EVM `upto` scheme (x402 v2, `specs/schemes/upto/scheme_upto_evm.md`; client, server and
 * facilitator in `@x402/evm/upto/*`): the payer signs a Permit2 `PermitWitnessTransferFrom` for
 * at most `amount` to the x402 upto proxy (0x4020A4f3…0002, fixed — never the server's), with a
 * witness `{to: payTo, facilitator, validAfter}`; the facilitator named there is the only caller
 * that may settle, and it settles any amount from 1 to the maximum (the resource server decides
 * how much after serving the request).
 *
 * What follows for the wallet: the approval shows "up to" the maximum, budgets reserve and
 * caps count the maximum until the chain shows what was actually moved (then the ledger keeps
 * that and the rest is released), and the funds check needs the maximum.
 *
 * Offer checks here (after the generic ones: trusted asset, amount 1 … 2^256-1, timeout):
 * v2 only; a valid non-zero payTo; `extra` an object; `assetTransferMethod` absent or
 * "permit2"; `extra.facilitatorAddress` present, a valid non-zero address; the server's EIP-712
 * name/version, when given, equal to the trusted ones (they are what an EIP-2612 permit would sign).
 */
import { OptionRejected, type EvmAsset, type EvmOption, type OptionContext } from '../types.ts';
import { isRecord } from '../../x402/json.ts';
import { checkEvmAddress, checkEvmPayTo } from './checks.ts';

export function evaluateUptoOption(ctx: OptionContext<EvmAsset>): EvmOption {
  const { raw, asset, pr } = ctx;
  if (pr.version !== 2) throw new OptionRejected('unsupported-scheme', 'the upto scheme exists only in x402 v2');
  const payTo = checkEvmPayTo(raw.payTo, asset.address);
  const extra = raw.extra;
  if (!isRecord(extra)) throw new OptionRejected('invalid-facilitator', 'upto needs extra.facilitatorAddress (the facilitator that settles)');
  const method = extra.assetTransferMethod;
  if (method !== undefined && method !== 'permit2') {
    throw new OptionRejected('unsupported-transfer-method', `upto settles through Permit2 only, not ${JSON.stringify(method)?.slice(0, 40)}`);
  }
  if (extra.facilitatorAddress === undefined) throw new OptionRejected('invalid-facilitator', 'upto needs extra.facilitatorAddress (the facilitator that settles)');
  const facilitator = checkEvmAddress(extra.facilitatorAddress, 'invalid-facilitator', 'extra.facilitatorAddress');
  if (/^0x0{40}$/i.test(facilitator)) throw new OptionRejected('invalid-facilitator', 'extra.facilitatorAddress is the zero address');
  const { name, version } = extra;
  if ((name !== undefined || version !== undefined) && (name !== asset.eip712.name || version !== asset.eip712.version)) {
    throw new OptionRejected(
      'domain-mismatch',
      `EIP-712 domain ${JSON.stringify(name)}/${JSON.stringify(version)} does not match the trusted ${JSON.stringify(asset.eip712.name)}/${JSON.stringify(asset.eip712.version)}`,
    );
  }
  return {
    rail: 'evm',
    index: ctx.index,
    scheme: 'upto',
    network: ctx.network,
    wireNetwork: ctx.wireNetwork,
    asset,
    amount: ctx.amount,
    payTo,
    maxTimeoutSeconds: ctx.maxTimeoutSeconds,
    requestedTimeoutSeconds: ctx.requestedTimeoutSeconds,
    transferMethod: 'permit2',
    facilitator,
    raw,
  };
}
