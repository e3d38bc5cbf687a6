/**
 * The privileged API: what extension pages may ask the background to do. One function per
 * request; each validates its input (the router guarantees only the sender).
 */
import { grantAllowance, quoteAllowance } from './tron-allowance';
import { grantEvmAllowance, isEvmAllowance, quoteEvmAllowance } from './evm-allowance';
import { browser } from 'wxt/browser';
import type { CustodyService, CustodyStatus } from '../custody/service';
import { siwxStore } from '../siwx/store';
import { filterHistory, isFilterEmpty, MAX_HISTORY_LIST, parseHistoryFilter } from '../history/filter';
import { toCsv, toJson } from '../ledger/export';
import type { Ledger } from '../ledger/ledger';
import type { PaymentRecord } from '../ledger/types';
import type {
  AutoLock,
  PaymentDto,
  SiteDto,
  SettingsDto,
  SitePolicyDto,
  WalletStatusDto,
} from '../messaging/contract';
import { remaining } from '../policy/decide';
import { formatUsd as formatMicroUsd } from '../policy/format';
import type { PolicyStore } from '../policy/store';
import type { Cap, SitePolicy, SpendSnapshot } from '../policy/types';
import { siteKey } from '../policy/units';
import { formatUsdPlain, parseUsd } from '../policy/money';
import { railOfNetwork } from '../rails';
import { ownersOf } from './balances';
import { formatTokenAmount, formatUsd, type Registry } from '../x402';
import type { ApprovalQueue } from './approvals';
import type { Balances } from './balances';
import { HandlerError, type PrivilegedHandlers } from './router';
import type { Settings } from './settings';
import { UserChains } from './user-chains';
import type { ManagedPolicySource } from './managed';
import type { AuditStore } from '../audit/store';
import { auditCsv, auditJsonl } from '../audit/export';
import { loosensGlobal, loosensSite, managedFields, mergeGlobal, mergeSite, type ManagedPolicy } from '../policy/managed';
import type { ManagedDto } from '../messaging/contract';

/** The wallet's background services, as the privileged API (and the payment flow) use them. */
export interface HandlerDeps {
  custody: CustodyService;
  ledger: Ledger;
  policies: PolicyStore;
  approvals: ApprovalQueue;
  settings: Settings;
  /** on-chain balances (absent: unknown, never blocks paying); an option known to be unfundable is never signed */
  balances?: Balances;
  /** custom networks and tokens, checked on chain (default: over HTTP to the networks' RPCs) */
  chains?: UserChains;
  timeZone: () => string;
  /** after a successful unlock (the background reconciles signed-but-unseen payments with the chain) */
  onUnlocked?: () => void;
  /** the operator's policy (managed storage); absent = none */
  managed?: ManagedPolicySource;
  /** the decision audit trail */
  audit?: AuditStore;
}

/**
 * Did the page in this tab get an HTTP 402 (its document or a fetch)? Read from the page's own
 * Resource/Navigation Timing (`responseStatus`), once, when the popup asks — only for a site the
 * wallet is not active on, so the popup can offer to allow it. False when unknown.
 */
async function tabSaw402(tabId: number): Promise<boolean> {
  try {
    const [r] = await browser.scripting.executeScript({
      target: { tabId },
      func: () =>
        performance
          .getEntries()
          .some((e) => (e as PerformanceResourceTiming).responseStatus === 402),
    });
    return r?.result === true;
  } catch {
    return false;
  }
}

function obj(input: unknown): Record<string, unknown> {
  if (!input || typeof input !== 'object') throw new HandlerError('invalid-argument', 'Missing request data.');
  return input as Record<string, unknown>;
}
function str(input: Record<string, unknown>, key: string, max = 4096): string {
  const v = input[key];
  if (typeof v !== 'string' || v.length > max) throw new HandlerError('invalid-argument', `"${key}" must be text.`);
  return v;
}
function int(input: Record<string, unknown>, key: string): number {
  const v = input[key];
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw new HandlerError('invalid-argument', `"${key}" must be a whole number.`);
  return v as number;
}

function autoLockDto(a: CustodyStatus['autoLock']): AutoLock {
  return typeof a === 'number' ? { kind: 'minutes', minutes: a } : { kind: a };
}
function autoLockSetting(a: unknown): number | 'browser-close' | 'never' {
  const v = a as AutoLock | undefined;
  if (v?.kind === 'minutes' && Number.isSafeInteger(v.minutes)) return v.minutes;
  if (v?.kind === 'browser-close' || v?.kind === 'never') return v.kind;
  throw new HandlerError('invalid-argument', 'Unknown auto-lock setting.');
}

function capUsd(c: Cap | undefined): string | undefined {
  return c && c.unit === 'usd' ? formatUsdPlain(c.amount) : undefined;
}
function usdCap(v: unknown, what: string): Cap | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new HandlerError('invalid-argument', `${what} must be a dollar amount.`);
  try {
    return { unit: 'usd', amount: parseUsd(v) };
  } catch (e) {
    throw new HandlerError('invalid-argument', `${what}: ${(e as Error).message}`);
  }
}

export function policyToDto(p: SitePolicy): SitePolicyDto {
  return {
    site: p.site,
    mode: p.mode,
    paused: p.paused === true,
    perPaymentUsd: capUsd(p.perPaymentCap),
    dayUsd: capUsd(p.caps.day),
    weekUsd: capUsd(p.caps.week),
    monthUsd: capUsd(p.caps.month),
    lifetimeUsd: capUsd(p.caps.lifetime),
    ratePerMinute: p.ratePerMinute,
    expiresAt: p.expiresAt,
    pageApi: p.pageApi === true,
    embeddedPay: p.embeddedPay === true,
  };
}

export function siteDto(p: SitePolicy, snap: SpendSnapshot, tz: string, last?: PaymentRecord): SiteDto {
  const r = remaining(p, snap, Date.now(), tz);
  const usage = (['day', 'week', 'month', 'lifetime'] as const).flatMap((k) => {
    const u = r[k];
    if (!u || u.cap.unit !== 'usd') return [];
    return [
      {
        period: k,
        capUsd: formatMicroUsd(u.cap.amount),
        spentUsd: formatMicroUsd(u.spent),
        remainingUsd: formatMicroUsd(u.remaining),
        percent: Math.round(u.percentUsed),
      },
    ];
  });
  return { policy: policyToDto(p), usage, lastPaymentAt: last?.createdAt, timeZone: tz };
}

/**
 * The explorer link of a settled payment: the custom network's explorer, else the rail's public
 * one; none for playground (local) tokens, which no explorer knows.
 */
function explorer(r: PaymentRecord, registry: Registry, customExplorers: ReadonlyMap<string, string>): string | undefined {
  if (!r.txHash) return undefined;
  const asset = registry.lookup(r.network, r.asset.address);
  if (!asset || asset.local) return undefined;
  const custom = customExplorers.get(r.network);
  if (custom) return /^0x[0-9a-fA-F]{64}$/.test(r.txHash) ? `${custom.replace(/\/+$/, '')}/tx/${r.txHash}` : undefined;
  return railOfNetwork(r.network)?.explorerTxUrl(r.network, r.txHash);
}

export function createHandlers(d: HandlerDeps): PrivilegedHandlers {
  const chains = d.chains ?? new UserChains(d.settings);
  const networks = async () => {
    const registry = await d.settings.registry();
    const shown = registry.assets().filter((a) => !registry.testnetHidden(a));
    return [...new Set(shown.map((a) => a.networkLabel ?? registry.networkName(a.network)))];
  };
  const managed = async (): Promise<ManagedPolicy | null> => (await d.managed?.get()) ?? null;
  /** refuse a change of something the operator manages */
  const managedRefusal = (why: string | null) => {
    if (why) throw new HandlerError('managed', why);
  };
  const settingsDto = async (): Promise<SettingsDto> => {
    const [s, g, m] = await Promise.all([d.settings.get(), d.policies.getGlobal(), managed()]);
    return { ...s, globalDailyUsd: capUsd(mergeGlobal(g, m).dailyCap) };
  };
  const status = async (): Promise<WalletStatusDto> => {
    const s = await d.custody.status();
    return {
      initialized: s.initialized,
      unlocked: s.unlocked,
      kind: s.kind ?? undefined,
      accounts: s.accounts.map((a) => ({
        index: a.index,
        name: a.name,
        address: a.address,
        ...(a.svmAddress ? { svmAddress: a.svmAddress } : {}),
        ...(a.tronAddress ? { tronAddress: a.tronAddress } : {}),
      })),
      activeIndex: s.activeIndex,
      activeAddress: s.activeAddress ?? undefined,
      activeSvmAddress: s.activeSvmAddress ?? undefined,
      activeTronAddress: s.activeTronAddress ?? undefined,
      autoLock: autoLockDto(s.autoLock),
      lockoutUntil: s.lockoutUntil,
      pendingApprovals: await d.approvals.count(),
      networks: await networks(),
    };
  };
  const withStatus = (fn: (i: Record<string, unknown>) => Promise<unknown>) => async (input: unknown) => {
    await fn(input === undefined ? {} : obj(input));
    return status();
  };

  /** a site's effective policy (the user's merged with the operator's), with the managed fields named */
  const site = async (s: string): Promise<SiteDto | null> => {
    const m = (await managed())?.sites[siteKey(s)];
    const p = mergeSite(await d.policies.get(s), m);
    if (!p) return null;
    const tz = d.timeZone();
    const [snap, last] = await Promise.all([d.ledger.snapshot(s, Date.now(), tz), d.ledger.list({ site: s, limit: 1 })]);
    const dto = siteDto(p, snap, tz, last[0]);
    return m ? { ...dto, managed: managedFields(m) } : dto;
  };

  const paymentDto = (r: PaymentRecord, registry: Registry, customExplorers: ReadonlyMap<string, string>): PaymentDto => {
    const asset = { ...r.asset };
    return {
      id: r.id,
      site: r.site,
      requestOrigin: r.requestOrigin,
      resourceUrl: r.resourceUrl,
      scheme: r.scheme,
      x402Version: r.x402Version,
      network: r.network,
      networkName: registry.networkName(r.network) ?? r.network,
      symbol: r.asset.symbol,
      assetAddress: r.asset.address,
      decimals: r.asset.decimals,
      amountAtomic: r.amount.toString(),
      amountToken: formatTokenAmount(r.amount, asset),
      amountUsd: r.asset.usdPegged ? formatUsd(r.amount, asset) : null,
      payTo: r.payTo,
      status: r.status,
      auto: r.auto,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      expiresAt: r.expiresAt,
      times: { ...r.times },
      payer: r.payer,
      paymentIdentifier: r.paymentIdentifier,
      ...(r.receipt ? { receipt: { ...r.receipt } } : {}),
      settledNetwork: r.settledNetwork,
      unverified: r.unverified,
      txHash: r.txHash,
      explorerUrl: explorer(r, registry, customExplorers),
      confirmedBy: r.confirmedBy,
      errorReason: r.errorReason,
      ...(r.maxAmount !== undefined
        ? { maxAmount: { atomic: r.maxAmount.toString(), token: formatTokenAmount(r.maxAmount, asset), usd: r.asset.usdPegged ? formatUsd(r.maxAmount, asset) : null } }
        : {}),
      ...(r.settledAmount !== undefined ? { settledAmountAtomic: r.settledAmount.toString() } : {}),
    };
  };

  return {
    'wallet.status': status,
    'wallet.generate': async () => {
      const { generateMnemonic } = await import('../custody/mnemonic');
      return { mnemonic: generateMnemonic() };
    },
    'wallet.create': withStatus((i) => d.custody.createFromMnemonic(str(i, 'mnemonic'), str(i, 'password', 1024))),
    'wallet.import': withStatus(async (i) => {
      const secret = str(i, 'secret');
      const password = str(i, 'password', 1024);
      if (i.kind === 'mnemonic') await d.custody.importMnemonic(secret, password);
      else if (i.kind === 'privateKey') await d.custody.importPrivateKey(secret, password);
      else throw new HandlerError('invalid-argument', 'Choose a recovery phrase or a private key.');
    }),
    'wallet.unlock': withStatus(async (i) => {
      const password = str(i, 'password', 1024);
      const keystore = (await managed())?.keystore;
      // a provisioned browser's first unlock: the operator's keystore becomes the vault
      if (keystore !== undefined && !(await d.custody.status()).initialized) await d.custody.importProvisioned(keystore, password);
      else await d.custody.unlock(password);
      d.onUnlocked?.();
    }),
    'wallet.lock': withStatus(() => d.custody.lock()),
    'wallet.setAutoLock': withStatus(async (i) => {
      const setting = autoLockSetting(i.autoLock);
      const m = (await managed())?.autoLockMinutes;
      if (m !== undefined && setting !== (m === 0 ? 'never' : m))
        throw new HandlerError('managed', 'Auto-lock is managed by your organisation.');
      await d.custody.setAutoLock(setting);
    }),
    'wallet.reveal': async (input) => {
      const i = obj(input);
      const what = i.what === 'mnemonic' || i.what === 'privateKey' ? i.what : null;
      if (!what) throw new HandlerError('invalid-argument', 'Reveal what?');
      return { secret: await d.custody.reveal(str(i, 'password', 1024), what) };
    },
    'wallet.reset': withStatus(async (i) => {
      if (i.confirm !== 'RESET') throw new HandlerError('invalid-argument', 'Type RESET to confirm.');
      await d.custody.reset();
    }),
    'accounts.add': withStatus(async (i) => {
      await d.custody.addAccount(typeof i.name === 'string' ? i.name : undefined);
    }),
    'accounts.rename': withStatus((i) => d.custody.renameAccount(int(i, 'index'), str(i, 'name', 100))),
    'accounts.select': withStatus((i) => d.custody.selectAccount(int(i, 'index'))),

    'approvals.list': () => d.approvals.list(),
    'approvals.decide': async (input) => {
      const i = obj(input);
      const id = str(i, 'id', 100);
      const dec = obj(i.decision);
      let decision: Parameters<ApprovalQueue['decide']>[1];
      if (dec.kind === 'reject' || dec.kind === 'block') decision = { kind: dec.kind };
      else if (dec.kind === 'pay-once' || dec.kind === 'allow') {
        const s = await d.custody.status();
        if (!s.unlocked) throw new HandlerError('locked', 'Unlock the wallet to pay.');
        const optionIndex = int(dec, 'optionIndex');
        if (dec.kind === 'pay-once') decision = { kind: 'pay-once', optionIndex, ...(dec.sponsoredPermit === true ? { sponsoredPermit: true as const } : {}) };
        else {
          const period = dec.period;
          if (period !== 'day' && period !== 'week' && period !== 'month')
            throw new HandlerError('invalid-argument', 'Choose day, week or month.');
          const cap = usdCap(dec.capUsd, 'The allowance');
          if (!cap || cap.amount === 0n) throw new HandlerError('invalid-argument', 'Enter an allowance above $0.');
          decision = { kind: 'allow', optionIndex, period, capUsd: str(dec, 'capUsd', 32) };
        }
      } else if (dec.kind === 'sign-in') {
        if (!(await d.custody.status()).unlocked) throw new HandlerError('locked', 'Unlock the wallet to sign in.');
        if (typeof dec.remember !== 'boolean') throw new HandlerError('invalid-argument', '"remember" must be true or false.');
        decision = { kind: 'sign-in', remember: dec.remember };
      } else throw new HandlerError('invalid-argument', 'Unknown decision.');
      if (!(await d.approvals.decide(id, decision)))
        throw new HandlerError('not-found', 'This approval is no longer waiting (it expired or was answered).');
      return { done: true as const };
    },

    'approvals.allowanceQuote': async (input) => {
      const i = obj(input);
      const [id, index] = [str(i, 'id', 100), int(i, 'optionIndex')];
      return (await isEvmAllowance(d, id, index)) ? quoteEvmAllowance(d, i, id, index) : quoteAllowance(d, i, id, index);
    },
    'approvals.grantAllowance': async (input) => {
      const i = obj(input);
      const [id, index] = [str(i, 'id', 100), int(i, 'optionIndex')];
      return (await isEvmAllowance(d, id, index)) ? grantEvmAllowance(d, i, id, index) : grantAllowance(d, i, id, index);
    },

    'sites.list': async () => {
      const all = await d.policies.list();
      const names = new Set([...all.map((p) => p.site), ...Object.keys((await managed())?.sites ?? {})]);
      const out: SiteDto[] = [];
      for (const name of [...names].sort()) {
        const s = await site(name);
        if (s) out.push(s);
      }
      return out;
    },
    'sites.get': async (input) => site(siteKey(str(obj(input), 'site', 2048))),
    'sites.current': async () => {
      const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
      const url = tab?.url;
      if (!url || !/^https?:/i.test(url)) return { site: null, entry: null };
      const s = siteKey(url);
      const active = await d.settings.siteAllowed(s);
      return { site: s, entry: await site(s), active, ...(active || tab?.id === undefined ? {} : { asked402: await tabSaw402(tab.id) }) };
    },
    'sites.activate': async (input) => {
      const i = obj(input) as { site?: unknown };
      if (typeof i.site !== 'string' || !/^https?:\/\/[^/]+/i.test(i.site))
        throw new HandlerError('invalid-argument', 'A site is an http(s) origin like https://example.com.');
      const key = siteKey(i.site);
      const cur = await d.settings.get();
      if (cur.activation === 'allowed' && !cur.allowedSites.includes(key))
        await d.settings.update({ allowedSites: [...cur.allowedSites, key] });
      // the wrapper is injected at document start: the tabs showing the site load it anew
      for (const t of await browser.tabs.query({}))
        if (t.id !== undefined && t.url && /^https?:/i.test(t.url) && siteKey(t.url) === key) void browser.tabs.reload(t.id).catch(() => undefined);
      return { site: key, entry: await site(key), active: true };
    },
    'sites.save': async (input) => {
      const i = obj(input) as Partial<SitePolicyDto>;
      if (typeof i.site !== 'string' || !/^https?:\/\/[^/]+/i.test(i.site))
        throw new HandlerError('invalid-argument', 'A site is an http(s) origin like https://example.com.');
      const key = siteKey(i.site);
      if (i.mode !== 'ask' && i.mode !== 'auto' && i.mode !== 'block')
        throw new HandlerError('invalid-argument', 'Mode must be ask, auto or block.');
      if (i.ratePerMinute !== undefined && (!Number.isSafeInteger(i.ratePerMinute) || i.ratePerMinute < 1))
        throw new HandlerError('invalid-argument', 'The rate limit must be a whole number of payments per minute.');
      if (i.expiresAt !== undefined && !Number.isSafeInteger(i.expiresAt))
        throw new HandlerError('invalid-argument', 'The expiry must be a date.');
      const now = Date.now();
      const cur = await d.policies.get(key);
      const next: SitePolicy = {
        site: key,
        mode: i.mode,
        paused: i.paused === true,
        perPaymentCap: usdCap(i.perPaymentUsd, 'The per-payment cap'),
        caps: {
          day: usdCap(i.dayUsd, 'The daily cap'),
          week: usdCap(i.weekUsd, 'The weekly cap'),
          month: usdCap(i.monthUsd, 'The monthly cap'),
          lifetime: usdCap(i.lifetimeUsd, 'The lifetime cap'),
        },
        ratePerMinute: i.ratePerMinute,
        expiresAt: i.expiresAt,
        ...(i.pageApi === true ? { pageApi: true } : {}),
        ...(i.embeddedPay === true ? { embeddedPay: true } : {}),
        createdAt: cur?.createdAt ?? now,
        updatedAt: now,
      };
      // the operator's caps can be kept or lowered, never loosened (checked here, not only in the UI)
      managedRefusal(loosensSite(next, (await managed())?.sites[key]));
      await d.policies.set(next);
      return (await site(key))!;
    },
    'siwx.list': async () => (await siwxStore.remembered()).map((site) => ({ site })),
    'siwx.setRemember': async (input) => {
      const i = obj(input);
      const site = str(i, 'site', 2048);
      if (!/^https?:\/\/[^/]+$/.test(site)) throw new HandlerError('invalid-argument', 'A site is an origin like https://example.com.');
      if (typeof i.remember !== 'boolean') throw new HandlerError('invalid-argument', '"remember" must be true or false.');
      await siwxStore.setRemember(site, i.remember);
      return { done: true as const };
    },
    'sites.delete': async (input) => {
      const key = siteKey(str(obj(input), 'site', 2048));
      if ((await managed())?.sites[key]) throw new HandlerError('managed', `The budget of ${key} is managed by your organisation.`);
      await d.policies.delete(key);
      return { done: true as const };
    },

    'history.list': async (input) => {
      const i = input === undefined ? {} : obj(input);
      // the ledger keeps about 2,500 records; the history page asks for all of them and filters itself
      const limit = i.limit === undefined ? 200 : Math.min(int(i, 'limit'), MAX_HISTORY_LIST);
      const records = await d.ledger.list({ site: typeof i.site === 'string' ? siteKey(i.site) : undefined, limit });
      const [registry, s] = await Promise.all([d.settings.registry(), d.settings.get()]);
      const customExplorers = new Map(s.customNetworks.flatMap((n) => (n.explorerUrl ? [[`eip155:${n.chainId}`, n.explorerUrl] as const] : [])));
      return records.map((r) => paymentDto(r, registry, customExplorers));
    },
    'history.export': async (input) => {
      const i = obj(input);
      const format = i.format;
      if (format !== 'csv' && format !== 'json') throw new HandlerError('invalid-argument', 'Export as csv or json.');
      const checked = parseHistoryFilter(i.filter);
      if (!checked.ok) throw new HandlerError('invalid-argument', checked.error);
      const filter = checked.filter;
      // the wallet's own records, filtered here: an export is never what a page handed over
      const records = filterHistory(await d.ledger.list(), filter, d.timeZone());
      const registry = await d.settings.registry();
      const networkName = (n: string) => registry.networkName(n);
      const stamp = new Date().toISOString().slice(0, 10);
      const name = `x402-payments-${stamp}${isFilterEmpty(filter) ? '' : '-filtered'}`;
      if (format === 'csv') return { text: toCsv(records, { networkName }), filename: `${name}.csv` };
      return { text: toJson(records, Date.now(), { networkName, filter }), filename: `${name}.json` };
    },
    'settings.get': settingsDto,
    'settings.update': async (input) => {
      const { globalDailyUsd, ...rest } = obj(input) as Partial<SettingsDto>;
      // Validate everything before writing anything.
      const cap = globalDailyUsd === undefined ? undefined : usdCap(globalDailyUsd, 'The daily cap across all sites');
      const m = await managed();
      if (globalDailyUsd !== undefined) managedRefusal(loosensGlobal(cap, m));
      if (m?.notifications !== undefined && rest.notifications !== undefined && rest.notifications !== m.notifications)
        throw new HandlerError('managed', 'Notifications are managed by your organisation.');
      await d.settings.update(rest);
      if (globalDailyUsd !== undefined) await d.policies.setGlobal({ ...(await d.policies.getGlobal()), dailyCap: cap });
      return settingsDto();
    },
    'networks.list': () => chains.list(),
    'networks.add': async (input) => {
      await chains.addNetwork(input);
      return settingsDto();
    },
    'networks.remove': async (input) => {
      await chains.removeNetwork(input);
      return settingsDto();
    },
    'tokens.lookup': (input) => chains.lookup(input),
    'tokens.add': async (input) => {
      await chains.addToken(input);
      return settingsDto();
    },
    'tokens.remove': async (input) => {
      // a payment in this token whose outcome is still open needs the token's facts to be decided
      const i = obj(input);
      if (typeof i.address === 'string' && Number.isSafeInteger(i.chainId)) {
        const network = `eip155:${i.chainId as number}`;
        const open = [...(await d.ledger.active()), ...(await d.ledger.list({ status: 'released' })).filter((r) => r.unverified)].filter(
          (r) => r.network === network && r.asset.address.toLowerCase() === (i.address as string).toLowerCase(),
        );
        if (open.length > 0)
          throw new HandlerError(
            'invalid-argument',
            `${open.length} payment${open.length === 1 ? '' : 's'} in this token ${open.length === 1 ? 'is' : 'are'} still waiting for the chain: remove the token once ${open.length === 1 ? 'it is' : 'they are'} decided (at most a few minutes, or 7 days without an RPC).`,
          );
      }
      await chains.removeToken(input);
      return settingsDto();
    },
    'activity.list': () => d.settings.activity(),
    'managed.get': async (): Promise<ManagedDto> => {
      const m = await managed();
      if (!m) return { active: false, version: 'user', agentMode: false, sites: [], errors: [] };
      return {
        active: true,
        version: m.version,
        agentMode: m.agentMode,
        ...(m.globalDailyUsd !== undefined ? { globalDailyUsd: formatUsdPlain(m.globalDailyUsd) } : {}),
        sites: Object.values(m.sites).map((x) => ({ site: x.site, fields: managedFields(x), pageApi: x.pageApi === true })),
        ...(m.allowedNetworks ? { allowedNetworks: m.allowedNetworks } : {}),
        ...(m.allowedTokens ? { allowedTokens: m.allowedTokens } : {}),
        ...(m.autoLockMinutes !== undefined ? { autoLockMinutes: m.autoLockMinutes } : {}),
        ...(m.notifications !== undefined ? { notifications: m.notifications } : {}),
        keystore: m.keystore !== undefined,
        errors: m.errors,
      };
    },
    'audit.export': async (input) => {
      const i = obj(input);
      const limit = i.limit === undefined ? undefined : int(i, 'limit');
      if (i.format !== 'jsonl' && i.format !== 'csv') throw new HandlerError('invalid-argument', 'Export the audit as jsonl or csv.');
      const records = (await d.audit?.list(limit)) ?? [];
      const stamp = new Date().toISOString().slice(0, 10);
      return i.format === 'csv'
        ? { text: auditCsv(records), filename: `x402-audit-${stamp}.csv`, count: records.length }
        : { text: auditJsonl(records), filename: `x402-audit-${stamp}.jsonl`, count: records.length };
    },
    'balances.list': async () => {
      const s = await d.custody.status();
      if (!d.balances || !s.activeAddress) return [];
      const owners = ownersOf(s);
      return d.balances.list(await d.settings.registry(), owners, await d.ledger.pending(Object.values(owners)));
    },
  };
}
