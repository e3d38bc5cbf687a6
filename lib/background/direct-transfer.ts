/**
 * The "simple headers" 402 (`X-Payment-Address`, `X-Payment-Amount` in dollars,
 * `X-Payment-Currency`, `X-Payment-Chain`, answered with `X-Payment-Proof: <tx hash>`): not x402,
 * no facilitator, no signature a server could hold — the wallet itself sends an ERC-20
 * `transfer` and hands the page the transaction hash.
 *
 * Rules: never paid automatically (no budget, no agent mode); the approval says that it is a
 * direct on-chain transfer that cannot be undone and shows the network fee; the token is the
 * wallet's own trusted token for that chain and symbol (`resolveSimpleOffer`), never an address
 * from the server; the transaction is built here from trusted facts only and signed only after
 * the user's explicit click; it is recorded in the ledger (reserved before signing, settled once
 * the chain shows the Transfer) and counts against the site's budgets like any payment.
 */
import {
  encodeFunctionData,
  erc20Abi,
  formatEther,
  http,
  type Hex,
  type TransactionReceipt,
} from 'viem';
import { createReadClient, type ReadClient } from '../util/read-client';
import type { OptionDto } from '../messaging/contract';
import { formatUsd as formatMicroUsd } from '../policy/format';
import { atomicToMicroUsd } from '../policy/units';
import { optionAllowed, type ManagedPolicy } from '../policy/managed';
import { addressKey, tokenKey } from '../policy/units';
import { formatTokenAmount, formatUsd } from '../x402';
import {
  PROOF_HEADER,
  parseSimpleHeaders,
  resolveSimpleOffer,
  type SimpleOffer,
} from '../x402/nonstandard';
import { ownersOf, resolveRpcUrl } from './balances';
import type { PayAnswer, PayRequest, PaymentDeps, Refusal } from './payments';

/** How long the approval, the signing and the wait for the receipt may take, together. */
const RECORD_WINDOW_MS = 10 * 60_000;
const RECEIPT_TIMEOUT_MS = 60_000;
const RPC_TIMEOUT_MS = 5_000;
/** gas limit head-room over the estimate */
const GAS_MARGIN_PERCENT = 125n;
/** "You sent … for this N min ago" looks back this far */
const RECENT_MS = 60 * 60_000;

/** Native gas token symbols of the built-in networks whose token is not ETH. */
const NATIVE: Readonly<Record<number, string>> = { 137: 'POL', 80002: 'POL', 43114: 'AVAX', 43113: 'AVAX', 42220: 'CELO', 1329: 'SEI', 1328: 'SEI', 4689: 'IOTX', 14: 'FLR', 56: 'BNB' };
export const nativeSymbol = (chainId: number): string => NATIVE[chainId] ?? 'ETH';

const refuse = (code: string, reason: string): Refusal => ({ action: 'pass', code, reason });

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

export interface TransferQuote {
  gas: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  /** gas × maxFeePerGas: the most the fee can be */
  fee: bigint;
  nativeBalance: bigint;
}

/** The ERC-20 transfer call, from trusted facts only. */
export function transferCall(o: SimpleOffer): { to: `0x${string}`; data: Hex } {
  return { to: o.asset.address, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [o.payTo, o.amount] }) };
}

export class DirectTransfers {
  constructor(
    private deps: PaymentDeps,
    /** tests inject a client; by default viem over the network's RPC */
    private client: (rpcUrl: string) => ReadClient = (rpcUrl) =>
      createReadClient(http(rpcUrl, { timeout: RPC_TIMEOUT_MS, retryCount: 0 })),
  ) {}

  private async quote(pc: ReadClient, from: `0x${string}`, o: SimpleOffer): Promise<TransferQuote> {
    const chainId = await pc.getChainId();
    if (chainId !== o.asset.chainId) throw new Error(`the RPC serves chain ${chainId}, not ${o.asset.chainId}`);
    const call = transferCall(o);
    const [gas, fees, nativeBalance] = await Promise.all([
      pc.estimateGas({ account: from, ...call }),
      pc.estimateFeesPerGas(),
      pc.getBalance({ address: from }),
    ]);
    const limit = (gas * GAS_MARGIN_PERCENT) / 100n;
    return { gas: limit, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas, fee: limit * fees.maxFeePerGas, nativeBalance };
  }

  /** The whole flow for one simple-headers 402. */
  async pay(req: PayRequest, headers: Readonly<Record<string, string | null>>, managed: ManagedPolicy | null): Promise<PayAnswer> {
    const { settings, custody, ledger, approvals } = this.deps;
    const parsed = parseSimpleHeaders(headers);
    const what = `${origin(req.url)} asked for a direct transfer (X-Payment-* headers)`;
    if (!parsed.ok) {
      await settings.notify(`${what}, but the wallet can't pay it: ${parsed.error}.`, 'warning', false);
      return refuse(parsed.code, parsed.error);
    }
    const registry = await settings.registry();
    const offer = resolveSimpleOffer(parsed.value, registry);
    if (!offer.ok) {
      await settings.notify(`${what} of $${parsed.value.amountUsd} in ${parsed.value.currency} on ${parsed.value.chainName}, but the wallet can't pay it: ${offer.error}.`, 'warning', false);
      return refuse(offer.code, offer.error);
    }
    const o = offer.value;
    const allowed = optionAllowed(managed, o.network, o.asset.address, addressKey);
    if (!allowed.ok) return refuse(allowed.code, allowed.reason);
    // never automatic: an agent cannot click the confirmation this needs
    if (managed?.agentMode) return refuse('direct-transfer-needs-user', 'A direct on-chain transfer needs the user’s explicit confirmation. Agent mode: the wallet does not ask.');
    if (req.kind === 'navigation') return refuse('direct-transfer-navigation', 'Direct transfers are paid from page requests only, not for a page load.');
    const status = await custody.status();
    if (!status.initialized) return refuse('no-wallet', 'x402 Wallet has no wallet yet.');
    const from = ownersOf(status).evm as `0x${string}` | undefined;
    if (!from) return refuse('unsupported-network', 'this wallet has no EVM account');
    const rpcUrl = resolveRpcUrl(await settings.get(), o.network, o.asset.address);
    if (!rpcUrl) return refuse('no-rpc', `The wallet has no RPC endpoint for ${registry.networkName(o.network)}: it cannot send a transaction there.`);
    const pc = this.client(rpcUrl);

    const networkName = o.asset.networkLabel ?? registry.networkName(o.network);
    let quote: TransferQuote | null = null;
    let feeProblem: string | undefined;
    try {
      quote = await this.quote(pc, from, o);
      if (quote.nativeBalance < quote.fee)
        feeProblem = `This account has ${formatEther(quote.nativeBalance)} ${nativeSymbol(o.asset.chainId)}, less than the network fee.`;
    } catch (e) {
      feeProblem = `The network fee could not be estimated (${(e as Error).message.split('\n')[0]!.slice(0, 120)}); the transfer would probably fail.`;
    }
    const pending = await ledger.pending([from]);
    const balance = this.deps.balances
      ? await this.deps.balances.forPayment(o.asset, o.amount, from, pending.get(tokenKey(o.network, o.asset.address)) ?? 0n).catch(() => null)
      : null;
    const recent = (await ledger.list({ site: req.site, limit: 200 })).find(
      (r) => r.scheme === 'direct-transfer' && r.status === 'settled' && r.resourceUrl === req.url && r.updatedAt > Date.now() - RECENT_MS,
    );
    const dto: OptionDto = {
      index: 0,
      rail: 'evm',
      network: o.network,
      networkName,
      asset: o.asset.address,
      symbol: o.asset.symbol,
      decimals: o.asset.decimals,
      amountAtomic: o.amount.toString(),
      amountToken: formatTokenAmount(o.amount, o.asset),
      amountUsd: formatUsd(o.amount, o.asset),
      payTo: o.payTo,
      maxTimeoutSeconds: 0,
      transferMethod: 'erc20-transfer',
      scheme: 'direct-transfer',
      balance,
    };
    const outcome = await approvals.request({
      site: req.site,
      requestOrigin: origin(req.url),
      resourceUrl: req.url,
      method: req.method,
      kind: req.kind,
      x402Version: 2,
      options: [dto],
      rejected: [],
      selectedIndex: 0,
      whyAsked: 'This is not an x402 payment: the site asks you to send tokens to its address yourself. Direct transfers always ask.',
      direct: {
        chainName: parsed.value.chainName,
        currency: parsed.value.currency,
        fee: quote ? `${formatEther(quote.fee)} ${nativeSymbol(o.asset.chainId)}` : null,
        ...(feeProblem ? { feeProblem } : {}),
        ...(recent ? { recent: `You already sent ${formatTokenAmount(recent.amount, recent.asset)} to this site for this address ${Math.max(1, Math.round((Date.now() - recent.updatedAt) / 60_000))} min ago.` } : {}),
      },
    });
    if (outcome.kind === 'reject') return refuse(('why' in outcome ? 'approval-' + outcome.why : 'user-rejected').replace('approval-rejected', 'user-rejected'), 'You did not send the transfer.');
    if (outcome.kind === 'block') {
      await this.deps.policies.setMode(req.site, 'block');
      return refuse('blocked', 'You blocked payments on this site.');
    }
    if (outcome.kind !== 'pay-once' || outcome.optionIndex !== 0) return refuse('no-payable-option', 'A direct transfer can only be sent once, by its own button.');
    if (balance && !balance.sufficient) return refuse('insufficient-balance', `Not enough ${o.asset.symbol}: you have ${balance.token}.`);
    // the quote again, just before signing: fees move, and the user may have waited
    try {
      quote = await this.quote(pc, from, o);
    } catch (e) {
      return refuse('transfer-not-possible', `The transfer cannot be sent: ${(e as Error).message.split('\n')[0]!.slice(0, 160)}`);
    }
    if (quote.nativeBalance < quote.fee) return refuse('insufficient-gas', `Not enough ${nativeSymbol(o.asset.chainId)} for the network fee (${formatEther(quote.fee)}).`);

    const res = await ledger.reserve({
      site: req.site,
      requestOrigin: origin(req.url),
      resourceUrl: req.url,
      scheme: 'direct-transfer',
      x402Version: 0,
      network: o.network,
      asset: { address: o.asset.address, symbol: o.asset.symbol, decimals: o.asset.decimals, usdPegged: o.asset.usdPegged },
      amount: o.amount,
      payTo: o.payTo,
      expiresAt: Date.now() + RECORD_WINDOW_MS,
      auto: false,
      timeZone: this.deps.timeZone(),
      policyCheck: () => ({ action: 'pay' }),
    });
    if (!res.record) return refuse('internal', 'The payment could not be recorded.');
    const id = res.record.id;
    let hash: Hex;
    try {
      const nonce = await pc.getTransactionCount({ address: from, blockTag: 'pending' });
      const raw = await custody.signEvmTransaction(from, {
        type: 'eip1559',
        chainId: o.asset.chainId,
        nonce,
        gas: quote.gas,
        maxFeePerGas: quote.maxFeePerGas,
        maxPriorityFeePerGas: quote.maxPriorityFeePerGas,
        value: 0n,
        ...transferCall(o),
      });
      await ledger.markSigned(id, { expiresAt: Date.now() + RECORD_WINDOW_MS, payer: from });
      hash = await pc.sendRawTransaction({ serializedTransaction: raw });
    } catch (e) {
      // not broadcast (or the node refused it): nothing can move
      await ledger.fail(id, `Not sent: ${(e as Error).message.split('\n')[0]!.slice(0, 160)}`, { definite: true });
      return refuse('transfer-not-sent', `The transfer was not sent: ${(e as Error).message.split('\n')[0]!.slice(0, 160)}`);
    }
    let receipt: TransactionReceipt | null = null;
    try {
      receipt = await pc.waitForTransactionReceipt({ hash, timeout: RECEIPT_TIMEOUT_MS, pollingInterval: 250 });
    } catch {
      /* below */
    }
    if (!receipt) {
      // sent, not seen yet: counted; reconciliation asks the chain about this hash later
      await ledger.fail(id, 'Sent, but not confirmed yet', { definite: false, claimedTxHash: hash });
      return refuse('transfer-unconfirmed', `The transfer ${hash.slice(0, 10)}… was sent but is not confirmed yet; the site was not given the proof.`);
    }
    if (receipt.status !== 'success') {
      await ledger.fail(id, 'The transfer reverted (no tokens moved; the network fee was spent)', { definite: true });
      return refuse('transfer-reverted', 'The transfer reverted on chain: no tokens moved.');
    }
    // the chain's word: the receipt must log Transfer(payer → payee, amount) of the trusted token
    const rec = await ledger.get(id);
    const check = rec && this.deps.chain ? await this.deps.chain.settlement(rec, hash, { retry: true }) : { state: 'confirmed' as const };
    if (check.state !== 'confirmed') {
      await ledger.fail(id, `Sent ${hash.slice(0, 10)}…, but the chain does not show this transfer`, { definite: false, claimedTxHash: hash });
      return refuse('transfer-unconfirmed', 'The chain does not show the transfer as expected; the site was not given the proof.');
    }
    await ledger.commitWithUsage(id, { txHash: hash, network: o.network, payer: from, confirmedBy: 'chain' }, { timeZone: this.deps.timeZone() });
    this.deps.balances?.invalidate(o.network, o.asset.address);
    void settings
      .notify(`Sent ${formatTokenAmount(o.amount, o.asset)} (${formatMicroUsd(atomicToMicroUsd(o.amount, o.asset.decimals))}) directly to ${o.payTo} for ${origin(req.url)}.`)
      .catch(() => undefined);
    return { action: 'retry', headerName: PROOF_HEADER, headerValue: hash, ticket: id };
  }
}
