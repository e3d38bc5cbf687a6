/**
 * Which contract a payment option needs an ERC-20/TRC-20 allowance for, and how the wallet says
 * it is missing. TRON `exact_permit`: the PaymentPermit contract of the trusted table. EVM Permit2
 * payments (`exact` with assetTransferMethod "permit2", and `upto`): the canonical Permit2 — the
 * facilitator's proxy moves the tokens through `permitWitnessTransferFrom`, which spends the
 * payer's allowance to Permit2 (without it the server answers 412 `permit2_allowance_required`).
 */
import { PERMIT2_ADDRESS } from '@x402/evm';
import { optionCost, type PayableOption } from '../rails';
import { formatTokenAmount } from '../x402';

/** The spender whose allowance this option spends, or undefined (EIP-3009, Solana, GasFree). */
export function allowanceSpender(o: PayableOption): string | undefined {
  if (o.rail === 'tron') return o.spender;
  if (o.rail === 'evm' && o.transferMethod === 'permit2') return PERMIT2_ADDRESS;
  return undefined;
}

/** Why the option cannot be paid yet, and what to do about it. */
export function allowanceMissingText(o: PayableOption, allowedToken: string): string {
  const needs = formatTokenAmount(optionCost(o), o.asset);
  if (o.rail === 'evm') {
    return `${o.scheme === 'upto' ? 'This upto payment' : 'This payment'} goes through Permit2 (${PERMIT2_ADDRESS}), which this account has allowed to move ${allowedToken} of its ${o.asset.symbol}; it needs ${needs}. Approve Permit2 for at least this amount first: a one-time approval transaction from this account, which costs gas.`;
  }
  return `The facilitator moves the tokens with transferFrom through the PaymentPermit contract ${o.rail === 'tron' ? o.spender : ''}, which this account has allowed to move ${allowedToken}; this payment needs ${needs}. Approve that contract for at least this amount from your TRON wallet first.`;
}
