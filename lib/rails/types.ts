/**
 * The shape every payment rail has (design.md, "Several rails, one wallet"). A rail is one
 * chain family — EVM (`eip155:*`), Solana (`solana:*`) — and answers the same small questions:
 * which networks it speaks, how an account is derived and shown, how an offer is checked
 * against the trusted table, how the payload is built and signed, how a balance is read, which
 * explorer link a payment gets. Everything above (approval, policy, ledger, UI) asks the rail,
 * never the chain. Pure types; no browser or Node APIs.
 */
import type { PaymentRequiredNormalized, RawOption } from '../x402/types.ts';

export type RailId = 'evm' | 'svm' | 'tron';

/** Facts every trusted asset has, whatever its rail. */
interface AssetBase {
  /** CAIP-2 network id, e.g. `eip155:8453`, `solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp`. */
  network: string;
  /** Token address in the rail's canonical form (EVM checksummed, Solana base58). */
  address: string;
  symbol: string;
  decimals: number;
  usdPegged: boolean;
  /** Display label for the network (e.g. "Local playground"); set for user-added tokens. */
  networkLabel?: string;
  /** A user-added (playground) token: no public explorer knows it. */
  local?: boolean;
  /** A user-added custom token: its facts were read from the contract and confirmed by the user. */
  custom?: boolean;
}

/** An ERC-20 the wallet trusts: decimals, symbol and EIP-712 domain come from here, never from a server. */
export interface EvmAsset extends AssetBase {
  rail: 'evm';
  chainId: number;
  address: `0x${string}`;
  eip712: { name: string; version: string };
  /** Token has no EIP-3009; only Permit2 transfers are possible. */
  permit2Only?: boolean;
}

/** An SPL mint the wallet trusts (classic Token program or Token-2022). */
export interface SvmAsset extends AssetBase {
  rail: 'svm';
  /** The mint's owner program when the table knows it (Token or Token-2022). */
  tokenProgram?: string;
}

/** A TRC-20 token the wallet trusts (x402-tron). */
export interface TronAsset extends AssetBase {
  rail: 'tron';
  /** TIP-712 chain id of the network, from the trusted network table. */
  chainId: number;
  /** base58check `T…` */
  address: string;
  /** the same address as 20-byte hex (what TIP-712 signs and JSON-RPC calls) */
  hex: `0x${string}`;
  /** token name from the reference table (display) */
  name?: string;
}

export type TrustedAsset = EvmAsset | SvmAsset | TronAsset;

export type TransferMethod = 'eip3009' | 'permit2' | 'spl-transfer-checked' | 'tron-payment-permit' | 'tron-gasfree';

/** x402 schemes the wallet signs: `exact` (EVM, Solana), `upto` (EVM, Permit2); x402-tron's `exact_permit` and `exact_gasfree`. */
export type PayScheme = 'exact' | 'upto' | 'exact_permit' | 'exact_gasfree';

/** A fee a scheme charges on top of `amount` (shown in the approval, counted in budgets and funds). */
export interface OptionFee {
  /** atomic units of the option's asset (for exact_gasfree: the most the service may take) */
  amount: bigint;
  /** who receives it */
  to: string;
}

/** Fields of a payable option common to every rail. */
interface OptionBase {
  /** Index into `PaymentRequiredNormalized.accepts`. */
  index: number;
  scheme: PayScheme;
  /** CAIP-2 network id. */
  network: string;
  /** Network as written on the wire (v1 name or CAIP-2). */
  wireNetwork: string;
  /** Atomic units (v2 `amount`, v1 `maxAmountRequired`). */
  amount: bigint;
  /** Clamped to the caller's maximum. */
  maxTimeoutSeconds: number;
  /** The server's value before clamping. */
  requestedTimeoutSeconds: number;
  /** The option object verbatim (echoed as `accepted` in v2). */
  raw: RawOption;
  /** Charged on top of `amount` by the scheme (x402-tron facilitator fee); absent = none. */
  fee?: OptionFee;
}

export interface EvmOption extends OptionBase {
  rail: 'evm';
  /** `upto`: `amount` is the most the facilitator may settle (see lib/rails/evm/upto.ts) */
  scheme: 'exact' | 'upto';
  asset: EvmAsset;
  /** Checksummed recipient (the raw option keeps the server's casing). */
  payTo: `0x${string}`;
  transferMethod: 'eip3009' | 'permit2';
  /** `upto` only: the facilitator (`extra.facilitatorAddress`) signed into the witness — the only caller that may settle, and it picks the amount */
  facilitator?: `0x${string}`;
}

export interface SvmOption extends OptionBase {
  rail: 'svm';
  asset: SvmAsset;
  /** base58 owner of the receiving token account. */
  payTo: string;
  /** The facilitator account that pays the transaction fee (`extra.feePayer`); never the user. */
  feePayer: string;
  transferMethod: 'spl-transfer-checked';
}

/** The x402-tron PaymentPermit context (`extensions.paymentPermitContext.meta` of the 402), checked. */
export interface TronPermitMeta {
  kind: 'PAYMENT_ONLY';
  /** 0x + 32 hex (bytes16) */
  paymentId: string;
  /** decimal uint256 */
  nonce: string;
  validAfter: number;
  /** the server's value; what is signed is clamped (see TronOption.validBefore) */
  validBefore: number;
}

export interface TronOption extends OptionBase {
  rail: 'tron';
  scheme: 'exact_permit' | 'exact_gasfree';
  asset: TronAsset;
  /** base58check recipient */
  payTo: string;
  transferMethod: 'tron-payment-permit' | 'tron-gasfree';
  /** always present on TRON (zero when the server charges none) */
  fee: OptionFee;
  /** exact_permit: who may submit the permit (`extra.fee.caller`, else the zero address) */
  caller: string;
  /** exact_permit: the permit context the server issued (required); exact_gasfree: optional */
  permitMeta?: TronPermitMeta;
  /** The PaymentPermit contract from the trusted table (the spender the payer must have approved). */
  spender?: string;
}

/** An option that passed every check and may be offered for signing. */
export type PayableOption = EvmOption | SvmOption | TronOption;

/** What a payment may take from the payer: the amount plus any fee on top. */
export function optionCost(o: { amount: bigint; fee?: OptionFee }): bigint {
  return o.amount + (o.fee?.amount ?? 0n);
}

export type RejectionCode =
  | 'invalid-option'
  | 'unsupported-scheme'
  | 'unsupported-network'
  | 'untrusted-asset'
  | 'invalid-amount'
  | 'zero-amount'
  | 'invalid-pay-to'
  | 'zero-pay-to'
  | 'invalid-timeout'
  | 'timeout-too-short'
  | 'domain-missing'
  | 'domain-mismatch'
  | 'unsupported-transfer-method'
  | 'permit2-required'
  | 'invalid-fee-payer'
  | 'testnets-off'
  | 'invalid-fee'
  | 'invalid-permit'
  | 'invalid-facilitator';

/** Thrown by a rail's checks; turned into a `RejectedOption` by the evaluator. */
export class OptionRejected extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
  ) {
    super(message);
  }
}

/** What the generic evaluator already established before asking the rail. */
export interface OptionContext<A extends TrustedAsset> {
  pr: PaymentRequiredNormalized;
  raw: RawOption;
  index: number;
  network: string;
  wireNetwork: string;
  asset: A;
  amount: bigint;
  maxTimeoutSeconds: number;
  requestedTimeoutSeconds: number;
  /** The wallet's active account on this rail, when known (e.g. to refuse a fee payer that is the user). */
  self?: string;
}

/** The keys of one account on one rail (inside the background only). */
export interface RailKey {
  address: string;
  /** 32 raw private-key bytes (secp256k1 scalar / ed25519 seed). Wipe after use. */
  privateKey: Uint8Array;
}

/** A signer the custody service hands to a rail: the rail never sees key material. */
export interface EvmSigner {
  readonly rail: 'evm';
  readonly address: `0x${string}`;
  signTypedData(args: TypedDataRequest): Promise<`0x${string}`>;
}

export interface SvmSigner {
  readonly rail: 'svm';
  readonly address: string;
  /** ed25519 signature (64 bytes) over a transaction message the rail has checked. */
  signMessageBytes(message: Uint8Array): Promise<Uint8Array>;
}

/** TRON: secp256k1 TIP-712 (= EIP-712 over the 20-byte hex form of every address). */
export interface TronSigner {
  readonly rail: 'tron';
  /** base58check `T…` */
  readonly address: string;
  signTypedData(args: TypedDataRequest): Promise<`0x${string}`>;
  /**
   * Sign a TRON transaction the rail built (protobuf `Transaction.raw`): secp256k1 over
   * sha256(raw), 65 bytes r ‖ s ‖ v (27/28). Only the allowance approval uses it.
   */
  signTransaction?(raw: Uint8Array): Promise<Uint8Array>;
}

export type RailSigner = EvmSigner | SvmSigner | TronSigner;

/** EIP-712 signing request, the shape @x402/evm's ClientEvmSigner uses. */
export interface TypedDataRequest {
  domain: Record<string, unknown>;
  types: Record<string, unknown>;
  primaryType: string;
  message: Record<string, unknown>;
}

/** What was signed, for the ledger (never the signature itself). */
export interface PaymentSummary {
  from: string;
  to: string;
  value: bigint;
  validAfter: bigint;
  /** Unix seconds after which the signed payment can no longer settle. */
  validBefore: bigint;
  /** EIP-3009 bytes32 hex / Permit2 decimal nonce / Solana recent blockhash / TRON permit or GasFree nonce. */
  nonce: string;
  /** CAIP-2. */
  network: string;
  transferMethod: TransferMethod;
  /** Ties an on-chain settlement to this signature: EIP-3009 nonce; the payer's Solana transaction signature; TRON: none (see the TRON rail). */
  authorizationId?: string;
}

export interface PaymentHeader {
  headerName: 'PAYMENT-SIGNATURE' | 'X-PAYMENT';
  headerValue: string;
  summary: PaymentSummary;
  /** The payment-identifier id placed in the payload (persist it and reuse on retries). */
  paymentId?: string;
}

export interface CreatePaymentArgs<O extends PayableOption, S extends RailSigner> {
  pr: PaymentRequiredNormalized;
  option: O;
  signer: S;
  /** Id for the `payment-identifier` extension; see lib/x402/payload.ts. */
  paymentId?: string;
  /** JSON-RPC endpoint of the option's network, for rails that must read chain state to build. */
  rpcUrl?: string;
  /**
   * What the user explicitly consented to in the approval window beyond the payment itself.
   * `eip2612Permit`: also sign an EIP-2612 permit for Permit2 of exactly this amount, which the
   * facilitator submits (the server's `eip2612GasSponsoring`; lib/rails/evm/sponsored.ts).
   */
  consent?: { eip2612Permit?: boolean };
}

export type BalanceRead = { ok: true; atomic: bigint } | { ok: false; reason: string };

/** What the chain says about a claimed settlement transaction. */
export type SettlementCheck =
  /**
   * included, succeeded, and moved exactly `amount` of the asset from `from` to `to` — or, for a
   * query with `upTo`, between 1 and `amount`; `amount` is then what the chain shows moved
   */
  | { state: 'confirmed'; amount?: bigint }
  /** the chain does not know the transaction (yet) */
  | { state: 'not-found' }
  /** included but reverted / failed */
  | { state: 'failed'; reason: string }
  /** included and succeeded, but it is not this payment (other token, payee, payer or amount) */
  | { state: 'mismatch'; reason: string }
  /** the chain could not be asked (no RPC, timeout, another chain behind the RPC); `noRpc`: there is no endpoint at all */
  | { state: 'unknown'; reason: string; noRpc?: true };

export interface SettlementQuery<A extends TrustedAsset> {
  asset: A;
  /** transaction hash (EVM) or signature (Solana), as the server reported it */
  tx: string;
  from: string;
  to: string;
  amount: bigint;
  /** `amount` is a maximum (x402 `upto`): any transfer of 1 … amount confirms, and the check reports what moved */
  upTo?: boolean;
  /** when known, the settlement must carry this very authorization (see PaymentSummary.authorizationId) */
  authorizationId?: string;
  rpcUrl: string;
  timeoutMs: number;
}

export interface BalanceQuery<A extends TrustedAsset> {
  asset: A;
  owner: string;
  rpcUrl: string;
  timeoutMs: number;
}

/** The questions every rail answers. */
export interface Rail<A extends TrustedAsset = TrustedAsset, O extends PayableOption = PayableOption, S extends RailSigner = RailSigner> {
  readonly id: RailId;
  /** Human name of the chain family ("EVM", "Solana"). */
  readonly label: string;
  /** CAIP-2 namespace this rail owns (`eip155`, `solana`). */
  readonly namespace: string;
  /** x402 v1 network names → CAIP-2. */
  readonly v1Networks: Readonly<Record<string, string>>;
  /** The x402 schemes this rail signs. */
  readonly schemes: readonly PayScheme[];
  /** A well-formed CAIP-2 id of this rail (v2 wire form), or false. */
  isNetwork(caip2: string): boolean;
  /** Display name of a network, when the rail knows it. */
  networkName(caip2: string): string | undefined;
  /** Is this one of the rail's built-in test networks (Base Sepolia, Solana devnet, …)? */
  isTestnet(caip2: string): boolean;

  /** The assets trusted out of the box. */
  defaultAssets(): A[];
  /** Validate and freeze an asset entry (throws RegistryError). */
  checkAsset(asset: A): A;
  /** A user-added playground token on this rail (USD-pegged test stablecoin). */
  playgroundAsset(args: { network: string; address: string; label?: string }): A;
  /** Lookup key of a token address (EVM: case-insensitive; Solana: exact). */
  addressKey(address: string): string;
  /** Is this an account address of this rail (for display and settings)? */
  isAccountAddress(address: string): boolean;

  /** Rail-specific checks of one option (payTo, extra, transfer method); throws OptionRejected. */
  evaluate(ctx: OptionContext<A>): O;
  /** Sign `option` and build the header to retry the request with. */
  createPayment(args: CreatePaymentArgs<O, S>): Promise<PaymentHeader>;

  /** The token balance of `owner` (atomic), or why it is unknown. Never throws. */
  readBalance(q: BalanceQuery<A>): Promise<BalanceRead>;
  /** Does the chain confirm that `tx` is this payment? Never throws. */
  readSettlement(q: SettlementQuery<A>): Promise<SettlementCheck>;
  /**
   * Has this signed authorization been used on chain (EIP-3009 `authorizationState(from, nonce)`)?
   * undefined = the rail cannot tell without a transaction id, or the chain could not be asked.
   */
  readAuthorizationUsed?(q: { asset: A; from: string; nonce: string; rpcUrl: string; timeoutMs: number }): Promise<boolean | undefined>;
  /**
   * The transaction that used this authorization, from the chain's own event (EIP-3009
   * `AuthorizationUsed(from, nonce)`), to check before a "used" answer is believed:
   * `{ tx }` found; `{ none: true }` the RPC shows no such event (so its "used" is unproven);
   * undefined = the rail cannot look it up, or the RPC would not answer (e.g. log range limits).
   */
  findAuthorizationTx?(q: { asset: A; from: string; nonce: string; rpcUrl: string; timeoutMs: number }): Promise<{ tx: string } | { none: true } | undefined>;
  /** Built-in public RPC for a network, if any. */
  defaultRpcUrl(network: string): string | undefined;
  /** Explorer link of a settled transaction on a public network. */
  explorerTxUrl(network: string, tx: string): string | undefined;
}
