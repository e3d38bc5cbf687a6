/**
 * Ledger record types. A PaymentRecord is one purchase attempt, from reservation (before
 * signing) to its outcome. Spend-counting statuses: reserved, signed, unknown (until its
 * authorization expires) and settled; released and failed do not count.
 */
import type { Hex } from '../policy/types';

export type PaymentStatus = 'reserved' | 'signed' | 'settled' | 'failed' | 'released' | 'unknown';

export const COUNTED_STATUSES: readonly PaymentStatus[] = ['reserved', 'signed', 'unknown', 'settled'];
/** Outcome not final yet: these expire (→ released) once `expiresAt` has passed. */
export const ACTIVE_STATUSES: readonly PaymentStatus[] = ['reserved', 'signed', 'unknown'];

export interface LedgerAsset {
  address: string;
  symbol: string;
  decimals: number;
  /** From the trusted registry: counts toward USD budgets (micro-dollars, rounded up). */
  usdPegged: boolean;
}

export interface PaymentRecord {
  id: string;
  /** Top-level site origin whose budget pays (browser-derived). */
  site: string;
  /** Origin that returned the 402. */
  requestOrigin: string;
  resourceUrl: string;
  /** x402 scheme of the paid option ('exact', later 'upto'); records from before v2 say 'exact'. */
  scheme: string;
  /** x402 protocol version of the 402 that was paid (1 or 2). */
  x402Version: number;
  network: string;
  asset: LedgerAsset;
  /**
   * Atomic units: what the budget counts. `upto`: the signed maximum until the chain shows the
   * settled amount, then that amount (the difference is released).
   */
  amount: bigint;
  /** `upto`: the signed maximum (set at reservation, kept after settlement). Absent on `exact` and older records. */
  maxAmount?: bigint;
  /** `upto`: what the chain showed moved (the settlement's Transfer logs), once settled. */
  settledAmount?: bigint;
  payTo: string;
  status: PaymentStatus;
  createdAt: number;
  updatedAt: number;
  /** Authorization validBefore in epoch ms (before signing: the intended validBefore). */
  expiresAt: number;
  txHash?: string;
  /** Payer address reported by the settlement. */
  payer?: string;
  /** Network reported by the settlement, when it differs from `network`. */
  settledNetwork?: string;
  errorReason?: string;
  paymentIdentifier?: string;
  /**
   * What ties a settlement to THIS signed payment (public once it settles): the EIP-3009 nonce,
   * or the payer's Solana transaction signature. A receipt of another payment with the same
   * payer, payee and amount does not match it.
   */
  authorizationId?: string;
  /** A settlement the server reported but the chain has not confirmed (yet): checked again on reconciliation. */
  claimedTxHash?: string;
  /** A page's settlement claim was already checked on chain: further page claims are ignored (one RPC check per payment). */
  pageChecked?: boolean;
  /**
   * Released when its authorization expired without the chain being asked (no RPC, RPC down):
   * it may still have settled before expiry. Reconciliation keeps asking; the history says so.
   */
  unverified?: boolean;
  /** Who confirmed the settlement: the chain (receipt / signature status checked) or only the server (no RPC to ask). */
  confirmedBy?: 'chain' | 'server';
  /** offer-receipt: the server's signed receipt, as the wallet checked it (x402/receipt.ts); evidence, never settlement */
  receipt?: { format: 'eip712' | 'jws'; issuedAt: number; signer?: string; verified: boolean; matches: boolean; note?: string };
  /** Paid automatically within a budget (false: approved by the user). */
  auto: boolean;
  /** When the record entered each state (epoch ms); `reserved` = createdAt. */
  times: Partial<Record<PaymentStatus, number>>;
}

/** Lifetime totals of records pruned from the ledger, so lifetime caps stay exact. */
export interface ArchivedTotals {
  /** Micro-dollars, decimal string. */
  usd: string;
  /** tokenKey → atomic units, decimal string. */
  tokens: Record<string, string>;
}

export interface StoredRecord extends Omit<PaymentRecord, 'amount' | 'maxAmount' | 'settledAmount'> {
  amount: string;
  maxAmount?: string;
  settledAmount?: string;
}

export interface StoredLedger {
  records: StoredRecord[];
  /** site → lifetime totals of pruned settled records; '*' = all sites. */
  archive: Record<string, ArchivedTotals>;
}
