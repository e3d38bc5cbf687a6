/**
 * EVM checks of one offered option, after the generic ones (scheme, network, trusted asset,
 * amount, timeout): a checksummed non-zero payTo, the transfer method (EIP-3009 or Permit2), and
 * for EIP-3009 the server's EIP-712 domain equal to the trusted one. Pure.
 */
import { OptionRejected, type EvmAsset, type EvmOption, type OptionContext } from '../types.ts';
import { isRecord } from '../../x402/json.ts';
import { evaluateUptoOption } from './upto.ts';
import { checkEvmPayTo } from './checks.ts';

export function evaluateEvmOption(ctx: OptionContext<EvmAsset>): EvmOption {
  if (ctx.raw.scheme === 'upto') return evaluateUptoOption(ctx);
  const { raw, asset, network, pr } = ctx;
  const payTo = checkEvmPayTo(raw.payTo, asset.address);

  const extra = raw.extra;
  if (extra !== undefined && extra !== null && !isRecord(extra)) throw new OptionRejected('invalid-option', 'extra must be an object');
  const method = isRecord(extra) ? extra.assetTransferMethod : undefined;
  let transferMethod: EvmOption['transferMethod'];
  if (method === undefined || method === 'eip3009') transferMethod = 'eip3009';
  else if (method === 'permit2') transferMethod = 'permit2';
  else throw new OptionRejected('unsupported-transfer-method', `assetTransferMethod ${JSON.stringify(method)} is not supported`);

  if (transferMethod === 'permit2' && pr.version === 1) {
    throw new OptionRejected('unsupported-transfer-method', 'Permit2 is not available in x402 v1');
  }
  if (transferMethod === 'eip3009') {
    if (asset.permit2Only) throw new OptionRejected('permit2-required', `${asset.symbol} on ${network} supports only Permit2 transfers`);
    const name = isRecord(extra) ? extra.name : undefined;
    const version = isRecord(extra) ? extra.version : undefined;
    if (typeof name !== 'string' || !name || typeof version !== 'string' || !version) {
      throw new OptionRejected('domain-missing', 'extra.name and extra.version (EIP-712 domain) are required');
    }
    if (name !== asset.eip712.name || version !== asset.eip712.version) {
      throw new OptionRejected(
        'domain-mismatch',
        `EIP-712 domain ${JSON.stringify(name)}/${JSON.stringify(version)} does not match the trusted ${JSON.stringify(asset.eip712.name)}/${JSON.stringify(asset.eip712.version)}`,
      );
    }
  }

  return {
    rail: 'evm',
    index: ctx.index,
    scheme: 'exact',
    network,
    wireNetwork: ctx.wireNetwork,
    asset,
    amount: ctx.amount,
    payTo,
    maxTimeoutSeconds: ctx.maxTimeoutSeconds,
    requestedTimeoutSeconds: ctx.requestedTimeoutSeconds,
    transferMethod,
    raw,
  };
}
