/**
 * Granting the allowance an x402-tron `exact_permit` payment needs, from the approval window:
 * the facilitator moves the tokens with `transferFrom` through the PaymentPermit contract, so
 * the payer must have approved that contract first. Two steps, both asked for by the user:
 *
 *  - quote: what the approval transaction will cost — energy estimated by the node
 *    (`eth_estimateGas`) at its energy price (`eth_gasPrice`, sun per energy), the bandwidth,
 *    and the fee limit the wallet will set (never above MAX_FEE_LIMIT_SUN);
 *  - grant: build `approve(PaymentPermit, amount)` (lib/rails/tron/transaction.ts) from the
 *    trusted table — token and spender from the table, never from the server or the node — for
 *    exactly what the payment needs, or a larger cap the user typed; an unlimited approval only
 *    with its own explicit confirmation. Custody signs it; it is broadcast to the node's HTTP API
 *    (`/wallet/broadcasthex` next to the `/jsonrpc` endpoint) and the wallet waits until the
 *    chain shows the new allowance, then updates the waiting approval.
 */
import { http } from 'viem';
import { createReadClient } from '../util/read-client.ts';
import type { AllowanceQuoteDto, OptionDto } from '../messaging/contract';
import type { TronAsset } from '../rails/types';
import { tronToEvmHex } from '../rails/tron/address';
import { readTronAllowance } from '../rails/tron/balance';
import { tronNetwork } from '../rails/tron/networks';
import {
  MAX_FEE_LIMIT_SUN,
  approveCallData,
  approveTransactionRaw,
  bandwidthBytes,
  signedTransactionHex,
  transactionId,
} from '../rails/tron/transaction';
import { formatTokenAmount } from '../x402';
import { resolveRpcUrl } from './balances';
import type { HandlerDeps } from './handlers';
import { HandlerError } from './router';

export const MAX_UINT256 = (1n << 256n) - 1n;
const TIMEOUT_MS = 5_000;
/** How long the wallet waits for the approval to show on chain. */
export const GRANT_WAIT_MS = 30_000;
const inFlight = new Set<string>();

function trx(sun: bigint): string {
  const whole = sun / 1_000_000n;
  const frac = (sun % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''} TRX`;
}

export interface Target {
  option: OptionDto;
  asset: TronAsset;
  spender: string;
  needed: bigint;
  owner: string;
  rpcUrl: string;
}

/** The waiting approval's TRON option, re-resolved against the trusted table. */
async function target(d: HandlerDeps, approvalId: string, optionIndex: number): Promise<Target> {
  const approval = (await d.approvals.list()).find((a) => a.id === approvalId);
  if (!approval) throw new HandlerError('not-found', 'This approval is no longer waiting.');
  const option = approval.options.find((o) => o.index === optionIndex);
  if (!option || option.rail !== 'tron' || !option.allowance) throw new HandlerError('invalid-argument', 'This option needs no allowance.');
  const registry = await d.settings.registry();
  const asset = registry.lookup(option.network, option.asset);
  const net = tronNetwork(option.network);
  if (!asset || asset.rail !== 'tron' || !net) throw new HandlerError('invalid-argument', 'The token is not in the trusted table.');
  if (option.allowance.spender !== net.paymentPermit) throw new HandlerError('invalid-argument', 'The spender is not the PaymentPermit contract of the trusted table.');
  const status = await d.custody.status();
  if (!status.unlocked) throw new HandlerError('locked', 'Unlock the wallet first.');
  if (!status.activeTronAddress) throw new HandlerError('unknown-account', 'This wallet has no TRON account.');
  const rpcUrl = resolveRpcUrl(await d.settings.get(), option.network, asset.address);
  if (!rpcUrl) throw new HandlerError('unavailable', `No RPC endpoint for ${option.network}: set one under Settings → RPC endpoints.`);
  return { option, asset, spender: net.paymentPermit, needed: BigInt(option.amountAtomic) + BigInt(option.fee?.atomic ?? '0'), owner: status.activeTronAddress, rpcUrl };
}

/** Caps from here up count as unlimited (2^128 atomic units: more than any token's supply). */
export const EFFECTIVELY_UNLIMITED = 2n ** 128n;

/** The amount to approve: exactly what is needed, a larger cap, or (confirmed separately) unlimited. */
export function amountOf(t: Target, input: { amountAtomic?: unknown; unlimited?: unknown; confirmUnlimited?: unknown }): bigint {
  if (input.unlimited === true) {
    if (input.confirmUnlimited !== true) throw new HandlerError('confirm-unlimited', 'An unlimited approval needs its own confirmation.');
    return MAX_UINT256;
  }
  if (input.amountAtomic === undefined) return t.needed;
  if (typeof input.amountAtomic !== 'string' || !/^(0|[1-9][0-9]{0,77})$/.test(input.amountAtomic)) throw new HandlerError('invalid-argument', 'The amount must be a whole number of atomic units.');
  const n = BigInt(input.amountAtomic);
  if (n < t.needed) throw new HandlerError('invalid-argument', `The approval must cover this payment (${formatTokenAmount(t.needed, t.asset)}).`);
  // a cap no one could ever spend is an unlimited approval in all but name: same separate confirmation
  if (n >= EFFECTIVELY_UNLIMITED && input.confirmUnlimited !== true)
    throw new HandlerError('confirm-unlimited', 'An approval this large is effectively unlimited and needs its own confirmation.');
  return n >= MAX_UINT256 ? MAX_UINT256 : n;
}

function client(rpcUrl: string) {
  return createReadClient(http(rpcUrl, { retryCount: 0, timeout: TIMEOUT_MS }));
}

async function estimate(t: Target, amount: bigint) {
  const c = client(t.rpcUrl);
  const [chainId, energy, price, block] = await Promise.all([
    c.getChainId(),
    c.estimateGas({ account: tronToEvmHex(t.owner), to: t.asset.hex, data: `0x${approveCallData(t.spender, amount)}` }),
    c.getGasPrice(),
    c.getBlock({ blockTag: 'latest' }),
  ]);
  if (chainId !== t.asset.chainId) throw new HandlerError('unavailable', `The RPC serves chain ${chainId}, not ${t.asset.chainId}.`);
  if (!block.hash || block.number === null) throw new HandlerError('unavailable', 'The node returned no recent block.');
  const burn = energy * price;
  if (burn > MAX_FEE_LIMIT_SUN) throw new HandlerError('unavailable', `The approval would burn up to ${trx(burn)}, more than the wallet allows (${trx(MAX_FEE_LIMIT_SUN)}).`);
  // the fee limit: the estimate plus half, at least 1 sun, at most the wallet's ceiling
  const padded = burn + burn / 2n;
  const feeLimitSun = padded > MAX_FEE_LIMIT_SUN ? MAX_FEE_LIMIT_SUN : padded > 0n ? padded : 1n;
  return { energy, price, feeLimitSun, block: { number: block.number, hash: block.hash } };
}

function quoteDto(t: Target, amount: bigint, e: Awaited<ReturnType<typeof estimate>>, raw: Uint8Array): AllowanceQuoteDto {
  const bytes = bandwidthBytes(raw);
  return {
    spender: t.spender,
    amountAtomic: amount.toString(),
    amountToken: amount === MAX_UINT256 ? 'unlimited' : formatTokenAmount(amount, t.asset),
    energy: e.energy.toString(),
    energyPriceSun: e.price.toString(),
    feeLimitSun: e.feeLimitSun.toString(),
    bandwidthBytes: bytes,
    costText:
      `about ${e.energy} energy (${trx(e.energy * e.price)} burned at ${e.price} sun per energy if the account has no staked energy; the wallet caps it at ${trx(e.feeLimitSun)}) ` +
      `and ${bytes} bandwidth points (free daily bandwidth, else ${trx(BigInt(bytes) * 1000n)})`,
  };
}

function build(t: Target, amount: bigint, e: Awaited<ReturnType<typeof estimate>>, now = Date.now()) {
  return approveTransactionRaw({ owner: t.owner, token: t.asset.address, spender: t.spender, amount, refBlock: e.block, timestamp: now, expiration: now + 60_000, feeLimitSun: e.feeLimitSun });
}

export async function quoteAllowance(d: HandlerDeps, input: Record<string, unknown>, approvalId: string, optionIndex: number): Promise<AllowanceQuoteDto> {
  const t = await target(d, approvalId, optionIndex);
  const amount = amountOf(t, input);
  const e = await estimate(t, amount);
  return quoteDto(t, amount, e, build(t, amount, e));
}

/** The node's HTTP API next to its JSON-RPC endpoint (`…/jsonrpc` → `…`). */
export function httpApiOf(rpcUrl: string): string {
  const u = new URL(rpcUrl);
  if (!/\/jsonrpc\/?$/.test(u.pathname)) throw new HandlerError('unavailable', 'The TRON endpoint must be a node’s /jsonrpc URL to send the approval (its HTTP API sits next to it).');
  u.pathname = u.pathname.replace(/\/jsonrpc\/?$/, '');
  return u.toString().replace(/\/$/, '');
}

export async function grantAllowance(
  d: HandlerDeps,
  input: Record<string, unknown>,
  approvalId: string,
  optionIndex: number,
): Promise<{ txId: string; allowance: NonNullable<OptionDto['allowance']> }> {
  const key = `${approvalId}|${optionIndex}`;
  if (inFlight.has(key)) throw new HandlerError('busy', 'The approval transaction is already being sent.');
  inFlight.add(key);
  try {
    const t = await target(d, approvalId, optionIndex);
    const amount = amountOf(t, input);
    const api = httpApiOf(t.rpcUrl);
    const signer = await d.custody.getSigner('tron');
    if (signer.address !== t.owner || !signer.signTransaction) throw new HandlerError('unknown-account', 'The active TRON account changed.');
    const e = await estimate(t, amount);
    const raw = build(t, amount, e);
    const txId = transactionId(raw);
    const signature = await signer.signTransaction(raw);
    const res = await fetch(`${api}/wallet/broadcasthex`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ transaction: signedTransactionHex(raw, signature) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const doc = (await res.json().catch(() => ({}))) as { result?: unknown; code?: unknown; message?: unknown };
    if (!res.ok || doc.result !== true) {
      const why = typeof doc.code === 'string' ? doc.code : `HTTP ${res.status}`;
      throw new HandlerError('unavailable', `The node refused the approval transaction (${why.slice(0, 60)}).`);
    }
    // Wait until the chain shows the new allowance (TRON blocks come every ~3 s).
    const end = Date.now() + GRANT_WAIT_MS;
    let atomic: bigint | undefined;
    for (;;) {
      const r = await readTronAllowance({ asset: t.asset, owner: t.owner, spender: t.spender, rpcUrl: t.rpcUrl, timeoutMs: TIMEOUT_MS });
      if (r.ok && r.atomic >= t.needed) {
        atomic = r.atomic;
        break;
      }
      if (Date.now() > end) break;
      await new Promise((ok) => setTimeout(ok, 500));
    }
    const allowance = {
      spender: t.spender,
      needed: formatTokenAmount(t.needed, t.asset),
      atomic: atomic?.toString() ?? null,
      token: atomic === undefined ? null : formatTokenAmount(atomic, t.asset),
      sufficient: atomic === undefined ? null : true,
    };
    await d.approvals.updateOption(approvalId, optionIndex, { allowance });
    await d.settings
      .notify(`Approved the PaymentPermit contract ${t.spender} for ${amount === MAX_UINT256 ? 'an unlimited amount' : formatTokenAmount(amount, t.asset)} on ${t.option.networkName} (transaction ${txId.slice(0, 10)}…).`, 'info', false)
      .catch(() => undefined);
    return { txId, allowance };
  } finally {
    inFlight.delete(key);
  }
}
