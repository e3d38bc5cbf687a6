/**
 * Solana checks of one offered option, after the generic ones (scheme, network, trusted mint,
 * amount, timeout): payTo a valid base58 address (not the system program), `extra.feePayer` a
 * valid address that is not the user's own account, an optional memo within 256 bytes. Pure.
 */
import { OptionRejected, type OptionContext, type SvmAsset, type SvmOption } from '../types.ts';
import { isSolanaAddress } from './accounts.ts';
import { MAX_COMPUTE_UNIT_LIMIT, MAX_COMPUTE_UNIT_PRICE, MAX_MEMO_BYTES } from './transaction.ts';
import { isRecord } from '../../x402/json.ts';

const SYSTEM_PROGRAM = '11111111111111111111111111111111';

export function evaluateSvmOption(ctx: OptionContext<SvmAsset>): SvmOption {
  const { raw, self } = ctx;
  const payTo = raw.payTo;
  if (!isSolanaAddress(payTo)) throw new OptionRejected('invalid-pay-to', 'payTo is not a valid Solana address (base58, 32 bytes)');
  if (payTo === SYSTEM_PROGRAM) throw new OptionRejected('zero-pay-to', 'payTo is the system program (the all-zero address)');
  if (payTo === ctx.asset.address) throw new OptionRejected('invalid-pay-to', 'payTo is the token mint itself (the tokens would be lost)');

  const extra = raw.extra;
  if (!isRecord(extra)) throw new OptionRejected('invalid-fee-payer', 'extra.feePayer (the facilitator that pays the fee) is required on Solana');
  const feePayer = extra.feePayer;
  if (!isSolanaAddress(feePayer)) throw new OptionRejected('invalid-fee-payer', 'extra.feePayer is not a valid Solana address');
  if (self !== undefined && feePayer === self) {
    throw new OptionRejected('invalid-fee-payer', 'extra.feePayer is your own account: the wallet never pays a facilitator’s fees');
  }
  if (extra.memo !== undefined) {
    if (typeof extra.memo !== 'string' || extra.memo === '' || new TextEncoder().encode(extra.memo).length > MAX_MEMO_BYTES) {
      throw new OptionRejected('invalid-option', `extra.memo must be a string of 1 to ${MAX_MEMO_BYTES} bytes`);
    }
  }
  // A server that states the compute budget it expects (some do, in extra) and asks for more
  // than the wallet signs is refused up front rather than after building.
  for (const [field, cap] of [['computeUnitPrice', MAX_COMPUTE_UNIT_PRICE], ['computeUnitLimit', BigInt(MAX_COMPUTE_UNIT_LIMIT)]] as const) {
    const v = extra[field];
    if (v === undefined) continue;
    const n = typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : typeof v === 'string' && /^(0|[1-9][0-9]{0,19})$/.test(v) ? BigInt(v) : undefined;
    if (n === undefined) throw new OptionRejected('invalid-option', `extra.${field} must be a non-negative integer`);
    if (n > cap) throw new OptionRejected('invalid-option', `extra.${field} ${n} is over the wallet's cap of ${cap}`);
  }
  if (extra.assetTransferMethod !== undefined) {
    throw new OptionRejected('unsupported-transfer-method', 'assetTransferMethod is not used on Solana');
  }

  return {
    rail: 'svm',
    index: ctx.index,
    scheme: 'exact',
    network: ctx.network,
    wireNetwork: ctx.wireNetwork,
    asset: ctx.asset,
    amount: ctx.amount,
    payTo,
    feePayer,
    maxTimeoutSeconds: ctx.maxTimeoutSeconds,
    requestedTimeoutSeconds: ctx.requestedTimeoutSeconds,
    transferMethod: 'spl-transfer-checked',
    raw,
  };
}
