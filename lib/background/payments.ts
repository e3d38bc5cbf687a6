/**
 * The payment flow, shared by page requests and top-level navigations:
 *   parse → pick payable options (trusted table) → policy (auto within budget, or ask) →
 *   reserve in the ledger → sign with the custody service → hand out the header →
 *   record the settlement the background observes.
 * Nothing is signed on a path that was not validated: the option handed to the signer is
 * one `evaluateOptions` accepted, and the reservation exists before the signature does.
 */
import { isStorageFailure, STORAGE_FAILED_TEXT } from './storage-fault';
import type { ApprovalDto, OptionDto } from '../messaging/contract';
import { decide, remaining, remainingGlobal, thresholdCrossed } from '../policy/decide';
import { formatCapAmount, formatUsd as formatMicroUsd, siteLabel } from '../policy/format';
import type { CapUsage, Decision, PaymentRequest, SitePolicy, SpendSnapshot, ThresholdAlert } from '../policy/types';
import { atomicToMicroUsd, tokenKey } from '../policy/units';
import { parseUsd } from '../policy/money';
import { TicketStore, type Ticket } from './tickets';
import {
  createPaymentHeader,
  decodeSettlement,
  evaluateOptions,
  formatTokenAmount,
  formatUsd,
  parsePaymentRequired,
  PAYMENT_IDENTIFIER,
  checkOfferAgainstRequest,
  priceClaimMismatch,
  type PayableOption,
  type PaymentRequiredNormalized,
} from '../x402';
import { unaskedText, type ApprovalOutcome } from './approvals';
import { ownersOf, resolveRpcUrl, type OptionBalance, type Owners } from './balances';
import { allowanceMissingText, allowanceSpender } from './allowance-needs';
import { offersEip2612Sponsoring } from '../rails/evm/sponsored';
import type { ChainTruth } from './chain';
import { optionCost, railById, type SettlementCheck } from '../rails';
import { UNVERIFIED_KEEP_MS, type CommitInfo } from '../ledger/ledger';
import type { PaymentRecord } from '../ledger/types';
import type { HandlerDeps } from './handlers';
import { DirectTransfers } from './direct-transfer';
import { SignIns } from './siwx';
import { samePurchaseId } from '../ledger/purchase';
import { readReceipt } from '../x402/receipt';
import { BODY_V2_HEADER, describeUnpayable, route402 } from '../x402/nonstandard';
import { mergeGlobal, mergeSite, optionAllowed, type ManagedPolicy } from '../policy/managed';
import { addressKey, siteKey } from '../policy/units';
import { periodEnd } from '../policy/periods';
import { embeddedAskDetail } from '../policy/embedded';

/**
 * Server-supplied error text, made safe to keep in history: servers and facilitators have been
 * seen echoing whole transactions (signatures included) in their error messages.
 */
export function serverText(text: string, max = 160): string {
  const clean = text.replace(/0x[0-9a-fA-F]{64,}/g, '0x…').replace(/[A-Za-z0-9+/=_-]{120,}/g, '…').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** "0x1234…cdef" / "5VERv8NM…Jh7pKq2L" for messages. */
function shortTx(tx: string): string {
  return tx.length > 20 ? `${tx.slice(0, 10)}…${tx.slice(-6)}` : tx;
}

export interface PayRequest {
  kind: ApprovalDto['kind'];
  /** top-level site of the tab, from the browser */
  site: string;
  url: string;
  method: string;
    sources: { header?: string; bodyText?: string; otherHeaders?: Readonly<Record<string, string | null>> };
  /** a cross-site frame inside `site` asked (its origin, from the browser): it does not spend the site's budget unless allowed */
  embeddedFrom?: string;
}

export type PayAnswer =
  | { action: 'retry'; headerName: string; headerValue: string; ticket: string }
  | Refusal;

/**
 * Not paid: the page keeps its 402 and gets this reason (README, "Refusal codes"). `cap` names
 * the cap that was hit; `retryAfter` (seconds) when waiting can help (rate limit, period caps).
 */
export interface Refusal {
  action: 'pass';
  reason: string;
  code: string;
  cap?: string;
  retryAfter?: number;
}

/** What the audit records about a decision in progress. */
interface DecisionCtx {
  option?: PayableOption;
  by: 'auto' | 'user';
  managed: ManagedPolicy | null;
}

const refuse = (code: string, reason: string, extra: { cap?: string; retryAfter?: number } = {}): Refusal => ({
  action: 'pass',
  reason,
  code,
  ...extra,
});

/** Which cap an ask/refuse reason names, for the page. */
const CAP_OF: Partial<Record<string, string>> = {
  'over-per-payment-cap': 'per-payment',
  'period-cap-day': 'day',
  'period-cap-week': 'week',
  'period-cap-month': 'month',
  'lifetime-cap': 'lifetime',
  'global-daily-cap': 'global-day',
  'rate-limit': 'rate',
};

export interface SettlementObservation {
  status: number;
  paymentResponse?: string;
}

/** Re-send tickets (tickets.ts): one storage.local key each, written with their signed record. */
const tickets = new TicketStore();
/** A re-send needs a few seconds of validity left (the facilitator wants validBefore ≥ now + 6 s). */
const RESEND_MARGIN_MS = 15_000;

/** The payment flow needs the wallet's services plus a way to watch the network. */
export interface PaymentDeps extends HandlerDeps {
  /** watch the network for the response to the request carrying this header */
  watch: (headerValue: string, onResult: (o: SettlementObservation) => void, until: number) => void;
  /** the chain's word on settlements (absent: the server's receipt is taken as is, pages' never) */
  chain?: ChainTruth;
  /** a settlement pushed a site's budget across 80 % or 100 % (badge colour for its tabs) */
  onBudgetAlert?: (site: string, threshold: 80 | 100) => void;
}

const ALERT_PERIOD: Record<CapUsage['kind'], string> = {
  day: "today's budget",
  week: "this week's budget",
  month: "this month's budget",
  lifetime: 'the total budget',
  'global-day': "today's limit across all sites",
};

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

export function optionDto(o: PayableOption, networkName: string): OptionDto {
  const cost = optionCost(o);
  return {
    index: o.index,
    rail: o.rail,
    network: o.network,
    networkName,
    asset: o.asset.address,
    symbol: o.asset.symbol,
    decimals: o.asset.decimals,
    amountAtomic: o.amount.toString(),
    amountToken: formatTokenAmount(o.amount, o.asset),
    amountUsd: o.asset.usdPegged ? formatUsd(o.amount, o.asset) : null,
    payTo: o.payTo,
    maxTimeoutSeconds: o.maxTimeoutSeconds,
    transferMethod: o.transferMethod,
    ...(o.rail === 'svm' ? { feePayer: o.feePayer } : {}),
    ...(o.rail === 'evm' && o.facilitator ? { facilitator: o.facilitator } : {}),
    ...(o.scheme !== 'exact' ? { scheme: o.scheme } : {}),
    ...(o.fee
      ? {
          fee: {
            atomic: o.fee.amount.toString(),
            token: formatTokenAmount(o.fee.amount, o.asset),
            to: o.fee.to,
            totalToken: formatTokenAmount(cost, o.asset),
            totalUsd: o.asset.usdPegged ? formatUsd(cost, o.asset) : null,
          },
        }
      : {}),
  };
}

/** An allowance the facilitator needs (TRON exact_permit), as the approval shows it; null = unknown. */
type AllowanceRead = { atomic: string; token: string; sufficient: boolean } | null;

/** "The PaymentPermit contract may move only 0 USDT of this account's USDT; this payment needs 1.6 USDT." */
function allowanceText(o: PayableOption, a: NonNullable<AllowanceRead>): string {
  return allowanceMissingText(o, a.token);
}

/** Balance lookups of a 402's payable options, started together; each resolves to null when unknown. */
type Funds = Map<number, Promise<OptionBalance | null>>;

/** "Not enough USDC: you have 0.5 USDC (0.4 USDC of it for pending payments), this costs 1000000 USDC." */
function notEnoughText(o: PayableOption, b: OptionBalance): string {
  const pending = b.pending ? ` (${b.pending} of it for payments not settled yet)` : '';
  return `Not enough ${o.asset.symbol}: you have ${b.token}${pending}, this costs ${formatTokenAmount(optionCost(o), o.asset)}${o.fee && o.fee.amount > 0n ? ' including the fee' : ''}.`;
}

/**
 * The cheapest option the wallet can fund: known sufficient first, then unknown (never block on
 * an unknown balance); when every balance is known and too small, the cheapest one. `payable`
 * is sorted cheapest first.
 */
export function preferFunded<T extends { index: number }>(payable: readonly T[], balances: ReadonlyMap<number, OptionBalance | null>): T {
  return (
    payable.find((o) => balances.get(o.index)?.sufficient === true) ??
    payable.find((o) => !balances.get(o.index)) ??
    payable[0]!
  );
}

export class PaymentService {
  private reconciling = false;
  /** the X-Payment-* direct transfers (never automatic) */
  private direct: DirectTransfers;
  /** sign-in-with-x instead of paying twice */
  readonly signIns: SignIns;

  constructor(private deps: PaymentDeps) {
    this.direct = new DirectTransfers(deps);
    this.signIns = new SignIns(deps);
  }

  private request(site: string, url: string, o: PayableOption, now: number): PaymentRequest {
    return {
      site,
      requestOrigin: origin(url),
      network: o.network,
      asset: { address: o.asset.address, decimals: o.asset.decimals, usdPegged: o.asset.usdPegged, symbol: o.asset.symbol },
      // what the payment may take: the amount plus any fee the scheme charges on top
      amount: optionCost(o),
      now,
    };
  }

  /**
   * One payment request, decided and audited. With the operator's agent mode on, every path
   * that would ask the user refuses instead: no window an agent cannot answer is ever opened.
   */
  async pay(req: PayRequest): Promise<PayAnswer> {
    const managed = (await this.deps.managed?.get()) ?? null;
    const ctx: DecisionCtx = { by: 'auto', managed };
    let answer: PayAnswer;
    try {
      answer = await this.decideAndPay(req, ctx);
    } catch (e) {
      // the page learns only that the wallet failed; the detail goes to the worker's console
      console.warn('[x402] payment flow failed', (e as Error).message);
      // storage refusing the reservation: nothing was signed — say why (best effort: storage may still fail)
      if (isStorageFailure(e)) {
        await this.deps.settings.notify(STORAGE_FAILED_TEXT, 'warning').catch(() => undefined);
        answer = refuse('storage-failed', STORAGE_FAILED_TEXT);
      } else answer = refuse('internal', 'The wallet failed to decide this payment.');
    }
    // one line per decision for whoever reads the worker's console: outcome and origin, never the payment itself
    console.info('[x402] payment', answer.action === 'retry' ? 'paid' : `refused (${answer.code})`, origin(req.url));
    // Queued, not waited for: the audit store appends in call order (its own mutex, and a list
    // waits for the appends queued before it), and the page's paid retry does not wait on it.
    void this.audit(req, ctx, answer.action === 'retry' ? 'paid' : 'refused', answer.action === 'retry' ? 'paid' : answer.code, answer.action === 'retry' ? 'paid' : answer.reason);
    return answer;
  }

  private async audit(req: PayRequest, ctx: DecisionCtx, outcome: 'paid' | 'asked' | 'refused', code: string, message: string): Promise<void> {
    const o = ctx.option;
    await this.deps.audit
      ?.append({
        outcome,
        by: ctx.by,
        code,
        message: serverText(message, 300),
        site: req.site,
        resource: req.url,
        method: req.method,
        kind: req.kind,
        ...(o ? { amount: o.amount.toString(), symbol: o.asset.symbol, network: o.network } : {}),
        policyVersion: ctx.managed?.version ?? 'user',
        agentMode: ctx.managed?.agentMode === true,
      })
      .catch((e) => console.warn('[x402] audit write failed', (e as Error).message));
  }

  private async decideAndPay(req: PayRequest, ctx: DecisionCtx): Promise<PayAnswer> {
    const { settings, policies, ledger, custody } = this.deps;
    const managed = ctx.managed;
    const agent = managed?.agentMode === true;
    if (!(await settings.siteAllowed(req.site))) return refuse('site-not-enabled', 'x402 Wallet is not enabled on this site.');
    // Asked now, awaited below: its storage reads overlap the checks in between (a refusal before
    // then just drops it). Signing re-checks the lock and the account itself (custody's signer).
    const statusRead = custody.status();
    statusRead.catch(() => undefined);

    // Servers that don't follow the spec (x402/nonstandard.ts): a direct transfer, a v2 body, or an explanation.
    const route = route402(req.sources, req.url);
    if (route.kind === 'direct') return this.direct.pay(req, req.sources.otherHeaders ?? {}, managed);
    const headers: Record<string, string> = req.sources.header ? { 'payment-required': req.sources.header } : {};
    const parsed = route.kind === 'refuse' ? ({ ok: false, code: route.code, error: route.error } as const) : parsePaymentRequired({ status: 402, headers, bodyText: route.bodyText }, { allowV2Body: route.bodyV2 });
    if (!parsed.ok) return this.unpayable(req, parsed.code, parsed.error, route.kind === 'refuse');
    const pr = parsed.value;
    if (route.kind === 'x402' && route.bodyV2) pr.transport = 'body-v2';
    // every field of the offer against the request it came with: no paying for another origin's resource
    const offer = checkOfferAgainstRequest(pr, req.url);
    if (!offer.ok) {
      await settings.notify(`Refused a payment request from ${origin(req.url)}: ${offer.reason}`, 'warning', false);
      return refuse(offer.code, `Refused: ${offer.reason}`);
    }

    // One purchase, one signature: an outcome-unknown payment for this resource is re-sent as is.
    const resend = await this.findResend(req.site, req.url);
    if (resend) return resend;
    // Paid here before and the site offers sign-in-with-x: sign in instead of paying again (siwx.ts).
    const signedIn = await this.signIns.maybeSignIn(req, pr, managed);
    if (signedIn) return signedIn;
    // A flood of payable 402s while this site's questions already fill the window: refused before
    // any balance read or reservation (a site that pays automatically goes on within its budget).
    if (!agent && (await this.deps.approvals.full(req.site))) {
      const p = mergeSite(await policies.get(req.site), managed?.sites[siteKey(req.site)]);
      if (!p || p.mode === 'ask' || req.embeddedFrom !== undefined) {
        this.deps.approvals.onFlood?.(req.site);
        return refuse('approval-flood', unaskedText('flood', req.site));
      }
    }

    const registry = await settings.registry();
    const status = await statusRead;
    if (!status.initialized) return refuse('no-wallet', 'x402 Wallet has no wallet yet.');
    const owners = ownersOf(status);
    const evaluated = evaluateOptions(pr, registry, { self: owners });
    const rejected = evaluated.rejected;
    // A rail the wallet has no account on (a raw EVM key has no Solana account) cannot pay.
    const payable = evaluated.payable.filter((o) => {
      if (owners[o.rail]) return true;
      rejected.push({ index: o.index, code: 'unsupported-network', reason: `this wallet has no ${railById(o.rail).label} account` });
      return false;
    }).filter((o) => {
      // the operator's allowed networks and tokens
      const ok = optionAllowed(managed, o.network, o.asset.address, addressKey);
      if (!ok.ok) rejected.push({ index: o.index, code: ok.code as never, reason: ok.reason });
      return ok.ok;
    });
    if (payable.length === 0) {
      const why = rejected.map((r) => r.reason).join('; ') || 'no payment options';
      await settings.notify(`Can't pay ${origin(req.url)}: ${why}`, 'warning', false);
      const codes = new Set(rejected.map((r) => r.code as string));
      const code = codes.size === 1 && (codes.has('network-not-allowed') || codes.has('token-not-allowed')) ? [...codes][0]! : 'no-payable-option';
      return refuse(code, `No payable option: ${why}`);
    }

    const tz = this.deps.timeZone();
    const policy = mergeSite(await policies.get(req.site), managed?.sites[siteKey(req.site)]);
    const global = mergeGlobal(await policies.getGlobal(), managed);
    // Can the active account fund each option? All lookups run in parallel, each bounded by a
    // short timeout; unknown never blocks paying.
    const funds = this.lookupFunds(payable, owners, await ledger.pending(Object.values(owners)));
    const allowances = this.lookupAllowances(payable, owners);

    // 1. Automatic payment inside the site's budget (reserve + decide in one atomic step).
    let decision: Decision = { action: 'ask', reason: 'no-budget', detail: 'This site has no budget.' };
    // a cross-site frame does not spend the top site's automatic budget unless the user allowed it
    const embedded = req.embeddedFrom !== undefined && policy?.mode === 'auto' && policy.embeddedPay !== true;
    if (embedded) decision = { action: 'ask', reason: 'embedded-frame', detail: embeddedAskDetail(req.embeddedFrom!, req.site) };
    else if (policy && policy.mode !== 'ask') {
      const auto = await this.autoOption(payable, funds);
      const res = await ledger.reserve({
        ...this.recordFields(req, pr.version, auto, true),
        timeZone: tz,
        policyCheck: (s: SpendSnapshot) => decide(policy, global, s, this.request(req.site, req.url, auto, Date.now()), tz),
      });
      decision = res.decision;
      ctx.option = auto;
      if (res.record) {
        const bal = await funds.get(auto.index);
        const allowed = await allowances.get(auto.index);
        if (bal && !bal.sufficient) {
          // The facilitator would refuse it after signing: don't sign, ask (the window says why).
          await ledger.release(res.record.id);
          decision = { action: 'ask', reason: 'insufficient-balance', detail: notEnoughText(auto, bal) };
        } else if (allowed && !allowed.sufficient) {
          await ledger.release(res.record.id);
          decision = { action: 'ask', reason: 'insufficient-balance', detail: allowanceText(auto, allowed) };
        } else if (status.unlocked) return this.sign(req, pr, auto, res.record.id, true);
        else {
          await ledger.release(res.record.id);
          decision = { action: 'ask', reason: 'locked', detail: 'The wallet is locked: unlock it to pay.' };
        }
      }
    }
    if (decision.action === 'refuse') return refuse(decision.reason, decision.detail);
    if (agent) {
      // Agent mode: outside the policy is a hard refusal, never a window.
      ctx.option ??= payable[0];
      if (decision.action !== 'ask') return refuse('internal', 'The payment could not be recorded.');
      const cap = CAP_OF[decision.reason];
      return refuse(decision.reason, `${decision.detail}. Agent mode: the wallet does not ask.`, {
        ...(cap ? { cap } : {}),
        ...this.retryAfter(decision.reason, tz),
      });
    }

    // 2. Ask the user.
    ctx.by = 'user';
    ctx.option ??= payable[0];
    await this.audit(req, ctx, 'asked', decision.action === 'ask' ? decision.reason : 'ask', decision.action === 'ask' ? decision.detail : 'asked');
    const names = (o: PayableOption) => o.asset.networkLabel ?? registry.networkName(o.network) ?? o.network;
    const balances = new Map<number, OptionBalance | null>(
      await Promise.all(payable.map(async (o) => [o.index, await funds.get(o.index)!] as const)),
    );
    const allowed = new Map<number, AllowanceRead>(await Promise.all(payable.map(async (o) => [o.index, await allowances.get(o.index)!] as const)));
    const allowanceDto = (o: PayableOption) => {
      const spender = allowanceSpender(o);
      if (!spender) return {};
      const a = allowed.get(o.index) ?? null;
      return { allowance: { spender, needed: formatTokenAmount(optionCost(o), o.asset), atomic: a?.atomic ?? null, token: a?.token ?? null, sufficient: a ? a.sufficient : null } };
    };
    const outcome: ApprovalOutcome = await this.deps.approvals.request({
      site: req.site,
      requestOrigin: origin(req.url),
      // what the browser requested (the offer's own URL was checked to be the same origin)
      resourceUrl: req.url,
      ...(req.embeddedFrom ? { embeddedFrom: req.embeddedFrom } : {}),
      priceClaims: payable.flatMap((o) => {
        const text = priceClaimMismatch(pr, o);
        return text ? [{ index: o.index, text }] : [];
      }),
      description: pr.resource.description,
      method: req.method,
      kind: req.kind,
      x402Version: pr.version,
      options: payable.map((o) => ({
        ...optionDto(o, names(o)),
        ...allowanceDto(o),
        ...(offersEip2612Sponsoring(pr.extensions, o) ? { gasSponsoring: 'eip2612' as const } : {}),
        balance: balances.get(o.index) ?? null,
      })),
      rejected: rejected.map((r) => ({ index: r.index, reason: r.reason })),
      selectedIndex: preferFunded(payable, balances).index,
      whyAsked: decision.action === 'ask' ? decision.detail : undefined,
      remaining: policy ? this.remainingText(policy, await ledger.snapshot(req.site, Date.now(), tz), tz) : undefined,
    });
    if (outcome.kind === 'reject') {
      const why = 'why' in outcome ? outcome.why : 'rejected';
      if (why === 'duplicate' || why === 'flood') return refuse('approval-' + why, unaskedText(why, req.site));
      return why === 'rejected' ? refuse('user-rejected', 'You rejected the payment.') : refuse('approval-' + why, `Approval ${why}.`);
    }
    // an embedded frame's answer is about that payment only: it neither blocks nor budgets the top site
    if (outcome.kind === 'block' && req.embeddedFrom) return refuse('user-rejected', 'You rejected the payment.');
    if (outcome.kind === 'block') {
      await policies.setMode(req.site, 'block');
      return refuse('blocked', 'You blocked payments on this site.');
    }
    if (outcome.kind === 'sign-in') return refuse('no-payable-option', 'This approval asked for a payment, not a sign-in.');
    const chosen = payable.find((o) => o.index === outcome.optionIndex);
    if (!chosen) return refuse('no-payable-option', 'The chosen option is not payable.');
    ctx.option = chosen;
    // The window disables paying an option the wallet cannot fund; the background agrees.
    const chosenBalance = balances.get(chosen.index);
    if (chosenBalance && !chosenBalance.sufficient) return refuse('insufficient-balance', notEnoughText(chosen, chosenBalance));
    let chosenAllowance = allowed.get(chosen.index);
    // the user may have granted it from the window meanwhile: ask the chain again
    const chosenSpender = allowanceSpender(chosen);
    const chosenOwner = owners[chosen.rail];
    if (chosenAllowance && !chosenAllowance.sufficient && chosen.rail !== 'svm' && chosenSpender && chosenOwner && this.deps.balances) {
      chosenAllowance = await this.deps.balances.allowanceFor(chosen.asset, chosenOwner, chosenSpender, optionCost(chosen)).catch(() => null);
    }
    // the user consented to an EIP-2612 permit the facilitator submits: it grants the allowance itself
    const sponsoredPermit = outcome.kind === 'pay-once' && outcome.sponsoredPermit === true && offersEip2612Sponsoring(pr.extensions, chosen);
    if (chosenAllowance && !chosenAllowance.sufficient && !sponsoredPermit) return refuse('insufficient-allowance', allowanceText(chosen, chosenAllowance));
    if (outcome.kind === 'allow' && !req.embeddedFrom) await this.allowSite(req.site, outcome.period, outcome.capUsd);
    const res = await ledger.reserve({
      ...this.recordFields(req, pr.version, chosen, false),
      timeZone: tz,
      policyCheck: () => ({ action: 'pay' }),
    });
    if (!res.record) return refuse('internal', 'The payment could not be recorded.');
    return this.sign(req, pr, chosen, res.record.id, false, sponsoredPermit ? { eip2612Permit: true } : undefined);
  }

  /** Seconds until waiting could help: the rate window, or the end of the calendar period of a cap. */
  private retryAfter(reason: string, tz: string): { retryAfter?: number } {
    const now = Date.now();
    if (reason === 'rate-limit') return { retryAfter: 60 };
    const period = reason === 'period-cap-day' || reason === 'global-daily-cap' ? 'day' : reason === 'period-cap-week' ? 'week' : reason === 'period-cap-month' ? 'month' : null;
    if (!period) return {};
    try {
      return { retryAfter: Math.max(1, Math.ceil((periodEnd(period, now, tz) - now) / 1000)) };
    } catch {
      return {};
    }
  }

  /** `pending`: amounts already signed or reserved per token, which the balance must cover too. */
  private lookupFunds(payable: readonly PayableOption[], owners: Owners, pending: ReadonlyMap<string, bigint>): Funds {
    const b = this.deps.balances;
    return new Map(
      payable.map((o) => {
        const owner = owners[o.rail];
        const p = pending.get(tokenKey(o.network, o.asset.address)) ?? 0n;
        // exact_gasfree pays from the payer's GasFree account, whose balance is not read here: unknown
        const unknown = o.rail === 'tron' && o.scheme === 'exact_gasfree';
        return [o.index, b && owner && !unknown ? b.forPayment(o.asset, optionCost(o), owner, p).catch(() => null) : Promise.resolve(null)];
      }),
    );
  }

  /** TRON exact_permit: the PaymentPermit contract's allowance over the payer's token (null = unknown / not needed). */
  private lookupAllowances(payable: readonly PayableOption[], owners: Owners): Map<number, Promise<AllowanceRead>> {
    const b = this.deps.balances;
    return new Map(
      payable.map((o) => {
        const owner = owners[o.rail];
        const spender = allowanceSpender(o);
        const read = b && owner && o.rail !== 'svm' && spender ? b.allowanceFor(o.asset, owner, spender, optionCost(o)).catch(() => null) : Promise.resolve(null);
        return [o.index, read];
      }),
    );
  }

  /**
   * The option an automatic payment uses: the cheapest one not known to be unfundable. Waits only
   * for the balances it needs, in price order (the cheapest option's lookup in the common case).
   */
  private async autoOption(payable: readonly PayableOption[], funds: Funds): Promise<PayableOption> {
    for (const o of payable) {
      const b = await funds.get(o.index);
      if (!b || b.sufficient) return o;
    }
    return payable[0]!;
  }

  private recordFields(req: PayRequest, x402Version: number, o: PayableOption, auto: boolean) {
    return {
      site: req.site,
      requestOrigin: origin(req.url),
      resourceUrl: req.url,
      scheme: o.scheme,
      x402Version,
      network: o.network,
      asset: { address: o.asset.address, symbol: o.asset.symbol, decimals: o.asset.decimals, usdPegged: o.asset.usdPegged },
      // the amount plus any fee on top (TRON): budgets and pending funds count what the payer can lose
      amount: optionCost(o),
      payTo: o.payTo,
      // Covers the approval wait and the authorization window; markSigned sets the real one.
      expiresAt: Date.now() + 5 * 60_000 + o.maxTimeoutSeconds * 1000,
      auto,
    };
  }

  private async allowSite(site: string, period: 'day' | 'week' | 'month', capUsd: string): Promise<void> {
    const amount = parseUsd(capUsd);
    const now = Date.now();
    const cur = await this.deps.policies.get(site);
    const next: SitePolicy = {
      ...(cur ?? { site, caps: {}, createdAt: now }),
      site,
      mode: 'auto',
      paused: false,
      caps: { ...(cur?.caps ?? {}), [period]: { unit: 'usd', amount } },
      updatedAt: now,
    };
    await this.deps.policies.set(next);
  }

  remainingText(policy: SitePolicy, snapshot: SpendSnapshot, tz: string): string | undefined {
    const r = remaining(policy, snapshot, Date.now(), tz);
    const parts: string[] = [];
    for (const k of ['day', 'week', 'month', 'lifetime'] as const) {
      const u = r[k];
      if (!u) continue;
      const label = k === 'lifetime' ? 'in total' : k === 'day' ? 'today' : `this ${k}`;
      parts.push(`${formatCapAmount(u.cap, u.remaining)} left ${label}`);
    }
    return parts.length ? parts.join(' · ') : undefined;
  }

  private async sign(
    req: PayRequest,
    pr: PaymentRequiredNormalized,
    option: PayableOption,
    recordId: string,
    auto: boolean,
    consent?: { eip2612Permit?: boolean },
  ): Promise<PayAnswer> {
    const { custody, ledger, settings } = this.deps;
    let header;
    try {
      const signer = await custody.getSigner(option.rail);
      const rpcUrl = resolveRpcUrl(await settings.get(), option.network, option.asset.address);
      // an earlier undecided attempt at this purchase: the same payment-identifier id (ledger/purchase.ts)
      const paymentId = pr.extensions && PAYMENT_IDENTIFIER in pr.extensions ? await this.samePurchase(req, option) : undefined;
      header = await createPaymentHeader({ pr, option, signer, rpcUrl, ...(paymentId ? { paymentId } : {}), ...(consent ? { consent } : {}) });
    } catch (e) {
      await ledger.fail(recordId, `Not signed: ${(e as Error).message}`, { definite: true });
      return refuse('sign-failed', `The wallet could not sign: ${(e as Error).message}`);
    }
    const validUntil = Number(header.summary.validBefore) * 1000;
    // a v2 document from the body: the header its server documents (x402/nonstandard.ts)
    const headerName = pr.transport === 'body-v2' ? BODY_V2_HEADER : header.headerName;
    const ticket: Ticket = {
      recordId,
      site: req.site,
      url: req.url,
      headerName,
      headerValue: header.headerValue,
      validUntil,
      auto,
    };
    // Both durable before the header leaves (a restarted worker re-sends this same signature,
    // never signs again), in one storage call: the record and its ticket are saved or neither.
    try {
      await tickets.writeVia(ticket, (items) =>
        ledger.markSigned(recordId, {
          expiresAt: validUntil,
          paymentIdentifier: header.paymentId,
          payer: header.summary.from,
          // binds a receipt to this signature; on EIP-3009 the chain can also say whether it was used
          ...(header.summary.authorizationId ? { authorizationId: header.summary.authorizationId } : {}),
          alsoWrite: items,
        }),
      );
    } catch (e) {
      // Storage refused a write: the signature never leaves the wallet (nothing can settle it),
      // so its record is released — best effort, while storage may still be failing (a record
      // left reserved or signed stays counted until the sweep or the chain decides).
      console.warn('[x402] payment not saved, not sent', (e as Error).message);
      await ledger.fail(recordId, STORAGE_FAILED_TEXT, { definite: true }).catch(() => undefined);
      await this.dropTicket(recordId).catch(() => undefined);
      await settings.notify(STORAGE_FAILED_TEXT, 'warning').catch(() => undefined);
      return refuse('storage-failed', STORAGE_FAILED_TEXT);
    }
    this.deps.watch(header.headerValue, (o) => void this.settle(recordId, o, 'network'), validUntil);
    // Not on the payment's critical path: the activity line and OS notification follow.
    if (auto)
      void settings.notify(
        `${option.scheme === 'upto' ? 'Authorized up to' : 'Paid'} ${formatTokenAmount(optionCost(option), option.asset)}${option.asset.usdPegged ? ` (${formatMicroUsd(atomicToMicroUsd(optionCost(option), option.asset.decimals))})` : ''} to ${origin(req.url)} within its budget.`,
      ).catch(() => undefined);
    return { action: 'retry', headerName, headerValue: header.headerValue, ticket: recordId };
  }

  /**
   * A 402 the wallet cannot pay: what the site asked for and why not, in the activity list and
   * for the page. Codes: the route's own refusal (`body-v2-resource-mismatch`, `ambiguous-402`),
   * `malformed` for a broken x402 request, `not-x402` for anything else.
   */
  private async unpayable(req: PayRequest, code: string, error: string, routed: boolean): Promise<Refusal> {
    const x402Like = routed || !!req.sources.header || /"x402Version"\s*:/.test(req.sources.bodyText ?? '');
    const d = describeUnpayable(req.sources.otherHeaders ?? {}, req.sources.bodyText, x402Like ? error : undefined);
    const text = serverText(
      x402Like && !routed ? `Ignored a malformed payment request from ${origin(req.url)}: ${error}` : `${origin(req.url)} asked for ${d.asked}; the wallet can't pay it: ${d.why}`,
      400,
    );
    await this.deps.settings.notify(text, 'warning', false);
    return refuse(routed ? code : x402Like ? 'malformed' : 'not-x402', text);
  }

  private async samePurchase(req: PayRequest, o: PayableOption): Promise<string | undefined> {
    const records = await this.deps.ledger.list({ site: req.site, limit: 500 });
    return samePurchaseId(records, { site: req.site, resourceUrl: req.url, network: o.network, asset: o.asset.address, payTo: o.payTo, amount: optionCost(o) }, Date.now());
  }

  private async findResend(site: string, url: string): Promise<PayAnswer | undefined> {
    const found = await tickets.forResource(site, url, Date.now() + RESEND_MARGIN_MS);
    if (found.length === 0) return undefined;
    // one ledger transaction for all of them: concurrent payments for one resource each hold a
    // ticket, and a read per ticket queued behind every pending ledger write
    const recs = await this.deps.ledger.getMany(found.map((t) => t.recordId));
    for (const [i, t] of found.entries()) {
      const id = t.recordId;
      const rec = recs[i];
      if (rec && rec.status === 'unknown') {
        this.deps.watch(t.headerValue, (o) => void this.settle(id, o, 'network'), t.validUntil);
        return { action: 'retry', headerName: t.headerName, headerValue: t.headerValue, ticket: id };
      }
    }
    return undefined;
  }

  /** The page's report of its paid retry: only for a payment made for the page's own site. */
  async settleFromPage(site: string, ticketId: string, o: SettlementObservation): Promise<void> {
    const rec = await this.deps.ledger.get(ticketId);
    if (rec && rec.site === site) await this.settle(ticketId, o, 'page');
  }

  /**
   * The outcome of a paid request. `source` 'network' is the background's own observation
   * (trusted); 'page' is the page's report, which can never release budget — at most it
   * marks the outcome as unknown (still counted) until the authorization expires.
   */
  async settle(ticketId: string, o: SettlementObservation, source: 'network' | 'page'): Promise<void> {
    const { ledger } = this.deps;
    const rec = await ledger.get(ticketId);
    // a late outcome the background saw itself still counts for a payment released unverified
    const late = rec?.status === 'released' && rec.unverified === true && source === 'network';
    // settled on the chain's word (authorization used) before its transaction was known: a
    // receipt the chain confirms adds the hash
    const attach = rec?.status === 'settled' && !rec.txHash;
    // settled on the page's report first: the server's own response may still bring its receipt
    const receiptLater = rec?.status === 'settled' && source === 'network' && !rec.receipt && !!o.paymentResponse;
    if (!rec || (rec.status !== 'signed' && rec.status !== 'unknown' && !late && !attach && !receiptLater)) return;
    // The cached balance of this token is stale now, whatever the outcome: a settlement debits it
    // (commit), anything else drops it — before the ledger records the outcome, so anything that
    // sees the new record sees a fresh balance.
    let committed = false;
    try {
      committed = await this.settleOutcome(ticketId, rec, o, source);
    } finally {
      if (!committed) this.deps.balances?.invalidate(rec.network, rec.asset.address);
    }
  }

  /** `settle` once the record is known to await an outcome: true when it was committed settled. */
  private async settleOutcome(ticketId: string, rec: PaymentRecord, o: SettlementObservation, source: 'network' | 'page'): Promise<boolean> {
    const { ledger } = this.deps;
    const decoded = o.paymentResponse ? decodeSettlement(o.paymentResponse) : undefined;
    // an already settled payment only ever gains its hash or receipt here, never another outcome
    if (rec.status === 'settled' && !(decoded?.ok && decoded.value.success)) return true;
    if (decoded?.ok && decoded.value.success) {
      // A page's claim costs RPC calls: one check per payment, then its claims are ignored.
      if (source === 'page' && rec.pageChecked) return false;
      const tx = decoded.value.transaction;
      // Truth from the chain: the reported transaction must be this payment.
      let check: SettlementCheck = this.deps.chain
        ? await this.deps.chain.settlement(rec, tx, { retry: true })
        : { state: 'unknown', reason: 'no chain access', noRpc: true };
      // one transfer settles one payment (Permit2 receipts carry no id of the authorization)
      if (check.state === 'confirmed' && (await this.txSettlesAnother(tx, ticketId))) {
        check = { state: 'mismatch', reason: 'that transaction already settled another payment' };
      }
      // The server's own response with no RPC to ask: its word is all there is (marked as such).
      if (check.state === 'confirmed' || (check.state === 'unknown' && check.noRpc && source === 'network')) {
        // confirmed on the record's network: the reporter's network field (a page's, possibly) is not recorded
        const info = { txHash: tx, network: check.state === 'confirmed' ? rec.network : decoded.value.network, payer: rec.payer ?? decoded.value.payer ?? '' };
        // upto: the settled amount is what the chain showed moved. Never the server's claim: a
        // server that claimed less than it took would shrink the budget's count — without an RPC
        // the record keeps counting the signed maximum.
        const settledAmount = check.state === 'confirmed' ? check.amount : undefined;
        // offer-receipt: the server's signed receipt, checked against this payment (evidence for history)
        const receipt = source === 'network' && o.paymentResponse ? await readReceipt(o.paymentResponse, { network: rec.network, payer: info.payer, resourceUrl: rec.resourceUrl, transaction: tx }).catch(() => undefined) : undefined;
        await this.commit(ticketId, {
          ...info,
          confirmedBy: check.state === 'confirmed' ? 'chain' : 'server',
          ...(settledAmount !== undefined ? { settledAmount } : {}),
          ...(receipt ? { receipt } : {}),
        });
        return true;
      }
      const what = check.state === 'unknown' ? `could not be checked (${check.reason})` : check.state === 'not-found' ? 'is not on the chain' : `is not this payment: ${check.reason}`;
      const who = source === 'page' ? 'The page reported' : 'The server reported';
      // Still counted, and re-sent as is while valid: the signed payment may yet settle. Only the
      // network's claim is kept for reconciliation — a page cannot redirect what the chain is asked.
      await ledger.fail(ticketId, `${who} settlement ${shortTx(tx)}, but it ${what}`, {
        definite: false,
        ...(source === 'network' ? { claimedTxHash: tx } : { pageChecked: true }),
      });
      return false;
    }
    if (source === 'page') {
      if (rec.status === 'signed') await ledger.fail(ticketId, 'Outcome not confirmed by the wallet', { definite: false });
      return false;
    }
    if (decoded?.ok && !decoded.value.success) {
      // The server says settlement failed, but it cannot tell a facilitator outage (the
      // transfer may still have been submitted) from a refusal: ambiguous. Keep it counted and
      // re-send this same authorization while it is valid; never sign a second one for it.
      await ledger.fail(ticketId, `Settlement failed: ${serverText(decoded.value.errorReason)}`, { definite: false });
    } else if (o.status === 402 && !o.paymentResponse) {
      // Refused at verification, the server says — but it still holds the signed payment, which
      // could settle until it expires. It stays counted (not re-sent) until the chain decides or
      // it expires: the reconciliation before each sweep asks the chain, then the sweep releases.
      await ledger.fail(ticketId, 'The server refused the payment (verification failed); counted until it expires unless the chain shows it used', { definite: false });
      await this.dropTicket(ticketId);
    } else {
      // 5xx, no answer, or success without a receipt: unknown — keep it counted and re-send it as is.
      await ledger.fail(ticketId, `Outcome unknown (HTTP ${o.status || 'no response'})`, { definite: false });
    }
    return false;
  }

  /** Has this transaction already settled a different payment? */
  private async txSettlesAnother(tx: string, id: string): Promise<boolean> {
    const other = await this.deps.ledger.settledByTx(tx);
    return other !== undefined && other !== id;
  }

  private async commit(id: string, info: CommitInfo): Promise<void> {
    const tz = this.deps.timeZone();
    const done = await this.deps.ledger.commitWithUsage(id, info, { timeZone: tz });
    // Newly settled: the balance moved by this amount (a cached balance read before signing is
    // debited, else read again). Already settled (a second report of the same payment): it moved once.
    if (done.before) this.deps.balances?.settled(done.record);
    await this.dropTicket(id);
    if (done.before && done.after) await this.budgetAlerts(done.record.site, done.before, done.after, tz);
  }

  /**
   * Payments whose outcome the wallet did not see (signed, or unknown): the chain decides. A
   * claimed transaction it confirms, or an authorization it reports used (EIP-3009
   * `authorizationState`, the Permit2 nonce bitmap, the payer's Solana signature), settles the
   * payment — counted, "checked on chain". One it reports unused whose authorization has expired
   * is released on the chain's word; one still valid is left as it is. Payments the sweep
   * released at expiry without the chain's answer (`unverified`: no RPC, RPC down) are asked
   * again for a week, so one that did settle is recorded and counted once the RPC answers.
   * Runs on start, on unlock and before each sweep (1 min).
   */
  async reconcile(now = Date.now()): Promise<{ checked: number; settled: number; released: number }> {
    const chain = this.deps.chain;
    if (!chain || this.reconciling) return { checked: 0, settled: 0, released: 0 };
    this.reconciling = true;
    try {
      const { ledger } = this.deps;
      const open = await ledger.list({ status: ['signed', 'unknown'], limit: 200 });
      // released at expiry while the chain could not be asked: it may have settled before expiry
      const unverified = (await ledger.list({ status: 'released', limit: 500 }))
        .filter((r) => r.unverified && r.updatedAt > now - UNVERIFIED_KEEP_MS)
        .slice(0, 50);
      let settled = 0;
      let released = 0;
      const one = async (rec: PaymentRecord) => {
        if (rec.claimedTxHash) {
          const check = await chain.settlement(rec, rec.claimedTxHash);
          if (check.state === 'confirmed' && !(await this.txSettlesAnother(rec.claimedTxHash, rec.id))) {
            await this.commit(rec.id, { txHash: rec.claimedTxHash, network: rec.network, payer: rec.payer ?? '', confirmedBy: 'chain', ...(check.amount !== undefined ? { settledAmount: check.amount } : {}) });
            settled++;
            return;
          }
        }
        const used = await chain.authorizationUsed(rec);
        if (used === true) {
          // believed only with the transaction that used it, checked like any settlement: one
          // RPC that answers "used" for an unused authorization must not make it settled
          const found = await chain.authorizationTx(rec);
          if (found && 'none' in found) {
            if (rec.status === 'unknown') await ledger.fail(rec.id, 'The RPC says this payment was used, but shows no transaction that used it: not counted as settled until the chain shows one', { definite: false });
            return;
          }
          if (found) {
            const check = await chain.settlement(rec, found.tx);
            if (check.state !== 'confirmed' || (await this.txSettlesAnother(found.tx, rec.id))) {
              if (rec.status === 'unknown' && check.state === 'mismatch') await ledger.fail(rec.id, `The transaction that used this payment ${shortTx(found.tx)} is not this payment: ${check.reason}`, { definite: false });
              return;
            }
            await this.commit(rec.id, { txHash: found.tx, network: rec.network, payer: rec.payer ?? '', confirmedBy: 'chain', ...(check.amount !== undefined ? { settledAmount: check.amount } : {}) });
            settled++;
            return;
          }
          // the rail cannot look the transaction up (Permit2 nonces, RPC log limits): the state stands
          await this.commit(rec.id, { txHash: '', network: rec.network, payer: rec.payer ?? '', confirmedBy: 'chain' });
          settled++;
        } else if (used === false) {
          // unused and expired → it never can be: released on the chain's word (still valid: left as is)
          const r = await ledger.releaseUnused(rec.id, now);
          if (r.status === 'released' && rec.status !== 'released') released++;
        }
      };
      const all = [...open, ...unverified];
      // a few at a time: bounded by the RPC timeouts, never a long queue; one failure stops nothing
      for (let i = 0; i < all.length; i += 4) await Promise.allSettled(all.slice(i, i + 4).map(one));
      return { checked: all.length, settled, released };
    } finally {
      this.reconciling = false;
    }
  }

  /**
   * 80 % / 100 % alerts after a settlement: one activity line + OS notification per cap whose
   * threshold this settlement crossed (settled spend before vs after, from one critical
   * section of the ledger, so concurrent settlements never alert twice for one crossing).
   */
  private async budgetAlerts(site: string, before: SpendSnapshot, after: SpendSnapshot, tz: string): Promise<void> {
    try {
      const { policies, settings } = this.deps;
      const now = after.at;
      const policy = await policies.get(site);
      const global = await policies.getGlobal();
      const alerts: Array<ThresholdAlert & { usage: CapUsage }> = [];
      if (policy) {
        const b = remaining(policy, before, now, tz);
        const a = remaining(policy, after, now, tz);
        for (const al of thresholdCrossed(b, a)) alerts.push({ ...al, usage: a[al.kind as keyof typeof a]! });
      }
      const gb = remainingGlobal(global, before, now, tz);
      const ga = remainingGlobal(global, after, now, tz);
      if (ga) for (const al of thresholdCrossed(gb, ga)) alerts.push({ ...al, usage: ga });
      if (alerts.length === 0) return;
      const host = siteLabel(site);
      for (const al of alerts) {
        const u = al.usage;
        const what = u.kind === 'global-day' ? ALERT_PERIOD[u.kind] : `${ALERT_PERIOD[u.kind]} for ${host}`;
        const text =
          al.threshold === 100
            ? `You have used all of ${what} (${formatCapAmount(u.cap, u.spent)} of ${formatCapAmount(u.cap, u.cap.amount)}). Further payments will ask first.`
            : `You have used ${Math.floor(u.percentUsed)}% of ${what} (${formatCapAmount(u.cap, u.spent)} of ${formatCapAmount(u.cap, u.cap.amount)}).`;
        await settings.notify(text, al.threshold === 100 ? 'warning' : 'info');
      }
      const top = alerts.some((a) => a.threshold === 100) ? 100 : 80;
      this.deps.onBudgetAlert?.(site, top);
    } catch (e) {
      console.warn('[x402] budget alert failed', (e as Error).message);
    }
  }

  private async dropTicket(id: string): Promise<void> {
    await tickets.drop(id);
  }
}
