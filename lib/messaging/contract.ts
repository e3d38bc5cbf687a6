/**
 * The message contracts between contexts, declared once.
 *
 * Two surfaces, kept apart on purpose (design.md, "contexts and who trusts whom"):
 *  - `PrivilegedApi`: everything a user can do. Accepted by the background ONLY from the
 *    extension's own pages (popup, onboarding, approval, options). See `isExtensionPage`.
 *  - `ContentApi`: the tiny allowlisted surface the bridge content script may use. Site
 *    identity is taken from the browser's `sender`, never from these payloads.
 *
 * Every call answers `Result<T>`; errors carry a stable `code` and a human `message`.
 */

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };
export interface ApiError {
  code: string;
  message: string;
  /** e.g. progressive unlock delay */
  retryAfterMs?: number;
}

export type AutoLock = { kind: 'minutes'; minutes: number } | { kind: 'browser-close' } | { kind: 'never' };

export interface AccountDto {
  index: number;
  name: string;
  /** EVM address (m/44'/60'/0'/0/i) */
  address: `0x${string}`;
  /** Solana address (m/44'/501'/i'/0'); absent for a wallet imported from a raw EVM key */
  svmAddress?: string;
  /** TRON address, base58check T… (m/44'/195'/0'/0/i; a raw-key wallet: the same key) */
  tronAddress?: string;
}

export interface WalletStatusDto {
  initialized: boolean;
  unlocked: boolean;
  /** 'mnemonic' wallets can derive more accounts; 'privateKey' wallets have one */
  kind?: 'mnemonic' | 'privateKey';
  accounts: AccountDto[];
  activeIndex: number;
  activeAddress?: `0x${string}`;
  activeSvmAddress?: string;
  activeTronAddress?: string;
  autoLock: AutoLock;
  /** epoch ms until which unlock attempts are refused after wrong passwords */
  lockoutUntil?: number;
  /** pending approvals waiting for the user */
  pendingApprovals: number;
  /** networks the wallet can pay on (trusted table + developer playground tokens), for display */
  networks: string[];
}

/** One payable option of a 402, as the approval window shows it (all values from the trusted table). */
export interface OptionDto {
  index: number;
  /** the chain family: 'evm', 'svm' (Solana) or 'tron' */
  rail: 'evm' | 'svm' | 'tron';
  network: string; // CAIP-2
  networkName: string; // e.g. "Base Sepolia", "Local playground (31337)"
  /** token contract (EVM) or mint (Solana) */
  asset: string;
  symbol: string;
  decimals: number;
  amountAtomic: string; // bigint as decimal string
  amountToken: string; // "0.01 USDC"
  amountUsd: string | null; // "$0.01" for USD stablecoins, null otherwise
  payTo: string;
  maxTimeoutSeconds: number;
  transferMethod: 'eip3009' | 'permit2' | 'spl-transfer-checked' | 'tron-payment-permit' | 'tron-gasfree' | 'erc20-transfer';
  /** x402 scheme ('exact'; TRON 'exact_permit' / 'exact_gasfree') */
  scheme?: string;
  /**
   * TRON: the facilitator's fee, paid ON TOP of the amount from the same token (the budget and the
   * balance check count amount + fee); exact_gasfree: the most the GasFree service may take.
   */
  fee?: { atomic: string; token: string; to: string; totalToken: string; totalUsd: string | null };
  /**
   * TRON exact_permit: the facilitator moves the tokens with transferFrom through the
   * PaymentPermit contract, so this account must have approved that contract for at least
   * amount + fee. `atomic`/`token` null = the allowance could not be read.
   */
  allowance?: { spender: string; needed: string; atomic: string | null; token: string | null; sufficient: boolean | null };
  /** Solana: the facilitator account that pays the transaction fee (never the user) */
  feePayer?: string;
  /**
   * EVM `upto` (scheme 'upto'): the amount is a MAXIMUM; this facilitator settles what the site
   * charges, from 1 up to it (the budget holds the maximum until the chain shows what moved)
   */
  facilitator?: string;
  /**
   * EVM exact with Permit2: the server offers `eip2612GasSponsoring` — with the user's explicit
   * consent the wallet signs an EIP-2612 permit for Permit2 of exactly this amount, which the
   * facilitator submits (and pays the gas of) with the settlement, instead of an approval transaction
   */
  gasSponsoring?: 'eip2612';
  /**
   * The active account's balance of this asset, read from the chain when the approval was
   * built; null = unknown (no RPC for the chain, or the lookup failed or timed out).
   * `sufficient: false` → the wallet cannot fund this option and will not sign it.
   */
  balance?: { atomic: string; token: string /* "100 USDC" */; sufficient: boolean; /** not yet settled payments in this token, e.g. "0.02 USDC" */ pending?: string } | null;
}

/** One trusted token's balance for the active account (popup); only tokens with a known RPC. */
export interface BalanceDto {
  rail: 'evm' | 'svm' | 'tron';
  network: string; // CAIP-2
  networkName: string;
  asset: string;
  symbol: string;
  /** null = unknown (the lookup failed or timed out; see `error`) */
  balance: { atomic: string; token: string } | null;
  /** signed or reserved payments in this token that have not settled yet (the balance still has to cover them) */
  pending?: { atomic: string; token: string };
  error?: string;
}

/**
 * Which allowance to grant for a waiting approval's TRON option: exactly what the payment needs
 * (no amount), a larger cap (`amountAtomic`), or unlimited (`unlimited` AND `confirmUnlimited`).
 */
export interface AllowanceRequest {
  id: string;
  optionIndex: number;
  amountAtomic?: string;
  unlimited?: boolean;
  confirmUnlimited?: boolean;
}

export interface AllowanceQuoteDto {
  spender: string;
  amountAtomic: string;
  /** "0.011 USDT" or "unlimited" */
  amountToken: string;
  /** TRON */
  energy?: string;
  energyPriceSun?: string;
  /** TRON: the most TRX (in sun) the transaction may burn: the wallet's fee limit */
  feeLimitSun?: string;
  bandwidthBytes?: number;
  /** EVM (Permit2 approval): estimated gas, the limit the wallet sets, the max fee per gas and the most it can cost (wei) */
  gas?: string;
  gasLimit?: string;
  maxFeePerGasWei?: string;
  maxCostWei?: string;
  /** the cost in words: energy, TRX burned without staked energy, the cap, bandwidth */
  costText: string;
}

/** 'page-api': the page's script asked through `window.x402.pay()` */
export type ApprovalKind = 'request' | 'navigation' | 'page-api';

export interface ApprovalDto {
  id: string;
  createdAt: number;
  /** the approval gives up (page gets the original 402) at this time */
  expiresAt: number;
  /** top-level site the user is on (from the browser) */
  site: string;
  /** origin that asked for payment, when it differs from the site (iframes, subresources) */
  requestOrigin: string;
  /** a cross-site frame asked (its origin): it runs inside `site` but is not that site */
  embeddedFrom?: string;
  /** the server's own description or display price disagrees with the amount signed (per option index) */
  priceClaims?: { index: number; text: string }[];
  resourceUrl: string;
  description?: string;
  method: string;
  kind: ApprovalKind;
  x402Version: 1 | 2;
  options: OptionDto[];
  /** options the wallet cannot pay, with the reason */
  rejected: { index: number; reason: string }[];
  /** preselected option (cheapest) */
  selectedIndex: number;
  /** why this payment was not made automatically, e.g. "Over the $0.01 per-payment cap" */
  whyAsked?: string;
  /** remaining budget summary for this site, when one exists, e.g. "$0.40 left today" */
  remaining?: string;
  /** not x402: a direct ERC-20 transfer asked for with X-Payment-* headers (options[0] is the transfer) */
  direct?: DirectTransferDto;
  /** a sign-in-with-x request instead of a payment (options is empty) */
  signIn?: SignInDto;
}

/** What a direct-transfer approval shows beyond the amount (background/direct-transfer.ts). */
export interface DirectTransferDto {
  /** the chain as the server named it ("base") */
  chainName: string;
  /** the currency the server named ("USDC"); the token is the wallet's own for that chain */
  currency: string;
  /** the network fee the wallet pays on top, e.g. "0.000042 ETH"; null when it could not be estimated */
  fee: string | null;
  /** why the fee is unknown, or that the account cannot pay it */
  feeProblem?: string;
  /** a recent direct transfer to the same site and resource, e.g. "You sent 0.25 USDC for this 3 min ago" */
  recent?: string;
}

/** A sign-in-with-x request (lib/siwx): the EIP-4361 message exactly as it will be signed. */
export interface SignInDto {
  /** the full message text */
  message: string;
  /** the origin the message is bound to (the browser-observed origin of the 402) */
  origin: string;
  address: string;
  chainId: string;
  /** the site's "remember" setting right now */
  remember: boolean;
  /** the user paid this resource before from this account (why signing in can replace paying) */
  paidBefore?: string;
}

export type ApprovalDecision =
  | { kind: 'reject' }
  /** `sponsoredPermit`: the user ticked "let the facilitator submit an EIP-2612 permit for exactly this amount" (option.gasSponsoring) */
  | { kind: 'pay-once'; optionIndex: number; sponsoredPermit?: true }
  /** sign-in-with-x: sign this message; `remember`: sign in on this site without asking next time */
  | { kind: 'sign-in'; remember: boolean }
  | { kind: 'allow'; optionIndex: number; period: 'day' | 'week' | 'month'; capUsd: string }
  | { kind: 'block' };

export type SiteMode = 'ask' | 'auto' | 'block';

/** Amounts in a site policy as the UI edits them: USD decimal strings ("1.50"). */
export interface SitePolicyDto {
  site: string;
  mode: SiteMode;
  paused: boolean;
  perPaymentUsd?: string;
  dayUsd?: string;
  weekUsd?: string;
  monthUsd?: string;
  lifetimeUsd?: string;
  ratePerMinute?: number;
  expiresAt?: number;
  /** the page API (`window.x402`) is allowed on this site */
  pageApi?: boolean;
  /** "Embedded content may pay from this budget": cross-site frames pay automatically too (off by default) */
  embeddedPay?: boolean;
}

export interface PeriodUsageDto {
  period: 'day' | 'week' | 'month' | 'lifetime';
  capUsd: string;
  spentUsd: string;
  remainingUsd: string;
  percent: number;
}

export interface SiteDto {
  policy: SitePolicyDto;
  /** fields of the policy set by the operator (read-only in the UI; 'mode', 'dayUsd', …) */
  managed?: string[];
  usage: PeriodUsageDto[];
  lastPaymentAt?: number;
  timeZone: string;
}

export interface PaymentDto {
  id: string;
  site: string;
  requestOrigin: string;
  resourceUrl: string;
  scheme: string;
  x402Version: number;
  network: string;
  networkName: string;
  symbol: string;
  assetAddress: string;
  decimals: number;
  /** atomic units, decimal string */
  amountAtomic: string;
  amountToken: string;
  amountUsd: string | null;
  payTo: string;
  status: 'reserved' | 'signed' | 'settled' | 'failed' | 'released' | 'unknown';
  auto: boolean;
  createdAt: number;
  updatedAt: number;
  /** authorization validity end (epoch ms) */
  expiresAt: number;
  /** when the record entered each state (epoch ms) */
  times: Partial<Record<PaymentDto['status'], number>>;
  payer?: string;
  paymentIdentifier?: string;
  /** offer-receipt: the server's signed receipt as the wallet checked it */
  receipt?: { format: 'eip712' | 'jws'; issuedAt: number; signer?: string; verified: boolean; matches: boolean; note?: string };
  /** network the settlement reported, when it differs */
  settledNetwork?: string;
  /** released at expiry without the chain's answer (no RPC): it may have settled; still being checked */
  unverified?: boolean;
  /** EVM transaction hash or Solana transaction signature */
  txHash?: string;
  explorerUrl?: string;
  /** settled: confirmed by the chain (receipt / signature status read by the wallet) or only by the server (no RPC) */
  confirmedBy?: 'chain' | 'server';
  errorReason?: string;
  /** `upto`: the signed maximum (the amount fields are what counts: the maximum until settled, then what the chain showed) */
  maxAmount?: { atomic: string; token: string; usd: string | null };
  /** `upto`: what the chain showed was taken, once settled */
  settledAmountAtomic?: string;
}

/**
 * A history filter (lib/history/filter.ts): site origin, status, CAIP-2 network, local dates
 * YYYY-MM-DD (inclusive) and free-text search. Empty fields filter nothing.
 */
export interface HistoryFilterDto {
  /** a site origin (the top-level site whose budget paid) */
  site?: string;
  status?: PaymentDto['status'];
  /** CAIP-2 network id (the offered network, or the one the settlement reported) */
  network?: string;
  /** first local day, inclusive, YYYY-MM-DD */
  from?: string;
  /** last local day, inclusive, YYYY-MM-DD */
  to?: string;
  /** every word must occur in the site, requesting origin, resource URL, payee, payer, tx hash, payment identifier or id */
  query?: string;
}

/** What the user saw of a token before adding it (see `tokens.add`). */
export interface TokenSeenDto {
  symbol: string;
  decimals: number;
  eip712Name: string;
  eip712Version: string;
  domainSeparator: string;
}

export interface PlaygroundTokenDto {
  /** EVM tokens: the chain id */
  chainId?: number;
  /** Solana tokens: the CAIP-2 network id */
  network?: string;
  address: string;
  label?: string;
  /** JSON-RPC endpoint for balances (and building Solana payments) */
  rpcUrl?: string;
}

/**
 * An EVM network the user added (Settings → Networks & tokens). Its chain id was checked against
 * the RPC (`eth_chainId`) by the background when it was saved; a built-in chain id cannot be added.
 */
export interface CustomNetworkDto {
  chainId: number;
  /** display name (approvals, balances, history) */
  name: string;
  /** JSON-RPC endpoint: balances, chain checks, token look-ups */
  rpcUrl: string;
  /** block explorer base URL; transaction links are `<explorerUrl>/tx/<hash>` */
  explorerUrl?: string;
  /** the user marked it as a test network (shown as such; never hidden: the user added it) */
  testnet: boolean;
}

/**
 * An EVM token the user added. Every fact was read from the contract by the background
 * (`tokens.add` re-reads them; nothing here is taken from a page) and its EIP-712 domain checked
 * against the contract's DOMAIN_SEPARATOR().
 */
export interface CustomTokenDto {
  chainId: number;
  /** checksummed */
  address: `0x${string}`;
  /** ERC-20 name() */
  name: string;
  symbol: string;
  decimals: number;
  /** the EIP-712 domain x402 signs with (from eip712Domain() or name() + version()) */
  eip712: { name: string; version: string };
  /** DOMAIN_SEPARATOR() as read, equal to the hash of the domain above */
  domainSeparator: `0x${string}`;
  /** false: the token has no EIP-3009 (transferWithAuthorization), only Permit2 payments */
  eip3009: boolean;
  /** the user ticked "counts as dollars" (1 token = $1 in budgets); default false */
  usdPegged: boolean;
  addedAt: number;
}

/** The facts of a token contract as `tokens.lookup` read them, for the user to confirm. */
export interface TokenLookupDto {
  chainId: number;
  network: string; // CAIP-2
  networkName: string;
  address: `0x${string}`;
  name: string;
  symbol: string;
  decimals: number;
  /** the EIP-712 domain name/version and where they came from */
  eip712?: { name: string; version: string; source: 'eip712Domain' | 'version' };
  /** DOMAIN_SEPARATOR() of the contract, when it has one */
  domainSeparator?: `0x${string}`;
  /** the separator the wallet computed from (name, version, chainId, address) */
  computedSeparator?: `0x${string}`;
  domainMatches: boolean;
  eip3009: boolean;
  /** set: the token cannot be added, and why */
  problem?: string;
  /** things to look at before adding (e.g. the symbol of a built-in token on another contract) */
  warnings: string[];
}

/** An EVM network a custom token can be added on (network pickers). */
export interface NetworkDto {
  chainId: number;
  network: string; // CAIP-2
  name: string;
  testnet: boolean;
  /** added by the user */
  custom: boolean;
  /** an RPC endpoint is known (needed to look up a token) */
  hasRpc: boolean;
}

/** The active tab's site, as the popup shows it. */
export interface CurrentSiteDto {
  site: string | null;
  entry: SiteDto | null;
  /** the wallet works on this site (always true when it works on all sites) */
  active?: boolean;
  /**
   * Not active here, and the page's own timing entries show an HTTP 402 (read once, when the
   * popup opens, from the tab — the wallet observes nothing on a site it is not active on).
   */
  asked402?: boolean;
}

export interface SettingsDto {
  notifications: boolean;
  /**
   * Where the wallet is active: 'all' (default) — every http(s) site gets the page wrapper and
   * its 402s are observed; 'allowed' — only `allowedSites` do: every other site gets no wrapper,
   * no bridge and no request observation at all (lib/background/activation.ts).
   */
  activation: 'all' | 'allowed';
  /** the sites the wallet works on when `activation` is 'allowed' (web origins) */
  allowedSites: string[];
  /**
   * Developer setting: locally deployed test USDC the wallet may pay with, e.g. the built-in
   * playground's — on EVM a FiatToken v2 ("USD Coin" v2, 6 decimals) by `chainId`, on Solana an
   * SPL mint (6 decimals) by CAIP-2 `network`. Never trusted unless added here.
   */
  playgroundTokens: PlaygroundTokenDto[];
  /**
   * JSON-RPC endpoints per network for balance lookups (and, on Solana, building payments):
   * EVM by chain id ("8453" → "https://…"), Solana by CAIP-2 id ("solana:5eyk…" → "https://…").
   * Networks without an entry use the built-in default (Base, Base Sepolia, Solana mainnet and
   * devnet); an empty URL turns lookups off.
   */
  rpcUrls: Record<string, string>;
  /** a cap across all sites per calendar day, in dollars ("5.00"); absent = none */
  globalDailyUsd?: string;
  /**
   * "Show test networks" (default off): when off, built-in test networks (Base Sepolia, Solana
   * devnet, …) are hidden from balances, pickers and RPC lists, and offers on them are refused —
   * tokens the user added (playground, custom) are always allowed.
   */
  showTestnets: boolean;
  /** EVM networks the user added (changed only through `networks.add` / `networks.remove`) */
  customNetworks: CustomNetworkDto[];
  /** EVM tokens the user added (changed only through `tokens.add` / `tokens.remove`) */
  customTokens: CustomTokenDto[];
  /** Settings → Appearance: follow the system (absent = 'system') or force light / dark */
  theme?: ThemeSetting;
  /**
   * Developer setting, written by `npm run demo`: the local playground's demo page (a loopback
   * http(s) URL), linked from onboarding's "Try a test payment". Absent (or '' to clear) = none.
   */
  playgroundPage?: string;
}

export type ThemeSetting = 'system' | 'light' | 'dark';

/** What `settings.update` may change (custom networks and tokens have their own checked requests). */
export type SettingsPatch = Partial<Omit<SettingsDto, 'customNetworks' | 'customTokens'>>;

export interface ActivityDto {
  id: string;
  at: number;
  level: 'info' | 'warning';
  text: string;
}

/** Requests from extension pages. [input, output] */
export interface PrivilegedApi {
  'wallet.status': [void, WalletStatusDto];
  'wallet.generate': [void, { mnemonic: string }];
  'wallet.create': [{ mnemonic: string; password: string }, WalletStatusDto];
  'wallet.import': [{ kind: 'mnemonic' | 'privateKey'; secret: string; password: string }, WalletStatusDto];
  'wallet.unlock': [{ password: string }, WalletStatusDto];
  'wallet.lock': [void, WalletStatusDto];
  'wallet.setAutoLock': [{ autoLock: AutoLock }, WalletStatusDto];
  'wallet.reveal': [{ password: string; what: 'mnemonic' | 'privateKey' }, { secret: string }];
  'wallet.reset': [{ confirm: 'RESET' }, WalletStatusDto];
  'accounts.add': [{ name?: string }, WalletStatusDto];
  'accounts.rename': [{ index: number; name: string }, WalletStatusDto];
  'accounts.select': [{ index: number }, WalletStatusDto];
  'approvals.list': [void, ApprovalDto[]];
  'approvals.decide': [{ id: string; decision: ApprovalDecision }, { done: true }];
  /** TRON exact_permit: what approving the PaymentPermit contract would cost (nothing is signed) */
  'approvals.allowanceQuote': [AllowanceRequest, AllowanceQuoteDto];
  /** TRON exact_permit: approve(PaymentPermit, amount); EVM Permit2 payments: approve(Permit2, amount). Resolves once the chain shows it */
  'approvals.grantAllowance': [AllowanceRequest, { txId: string; allowance: NonNullable<OptionDto['allowance']> }];
  'sites.list': [void, SiteDto[]];
  'sites.get': [{ site: string }, SiteDto | null];
  /** the site of the active tab, for the popup */
  'sites.current': [void, CurrentSiteDto];
  /** "Only on sites I allow": let the wallet work on this site (the tab showing it reloads). */
  'sites.activate': [{ site: string }, CurrentSiteDto];
  'sites.save': [SitePolicyDto, SiteDto];
  'sites.delete': [{ site: string }, { done: true }];
  /** sign-in-with-x: sites where "remember" is on (sign in without asking) */
  'siwx.list': [void, { site: string }[]];
  /** turn "remember" on or off for one site */
  'siwx.setRemember': [{ site: string; remember: boolean }, { done: true }];
  /** newest first; `limit` defaults to 200, at most 5,000 (the whole ledger) */
  'history.list': [{ site?: string; limit?: number }, PaymentDto[]];
  /** the ledger's records that match `filter` (the history page's filter, applied by the background), as CSV or JSON */
  'history.export': [{ format: 'csv' | 'json'; filter?: HistoryFilterDto }, { text: string; filename: string }];
  'settings.get': [void, SettingsDto];
  'settings.update': [SettingsPatch, SettingsDto];
  /** EVM networks a custom token can be added on (test networks only while they are shown) */
  'networks.list': [void, NetworkDto[]];
  /** add (or change) a custom EVM network; its RPC must serve `chainId` */
  'networks.add': [{ chainId: number; name: string; rpcUrl: string; explorerUrl?: string; testnet?: boolean }, SettingsDto];
  /** remove a custom network (refused while custom tokens on it remain) */
  'networks.remove': [{ chainId: number }, SettingsDto];
  /** read a token's facts from the chain, for the user to confirm (stores nothing) */
  'tokens.lookup': [{ chainId: number; address: string }, TokenLookupDto];
  /** read the facts again, check them, and add the token; `usdPegged`: the user's "counts as dollars" */
  /**
   * `seen`: the facts the user was shown by `tokens.lookup`; the background reads the contract
   * again and refuses to add it when they differ (the contract or its RPC changed in between).
   */
  'tokens.add': [{ chainId: number; address: string; usdPegged?: boolean; seen: TokenSeenDto }, SettingsDto];
  'tokens.remove': [{ chainId: number; address: string }, SettingsDto];
  'activity.list': [void, ActivityDto[]];
  /** the active account's balance of each trusted token with a known RPC (cached briefly) */
  'balances.list': [void, BalanceDto[]];
  /** the operator's policy (managed storage) as the wallet applies it; `active: false` without one */
  'managed.get': [void, ManagedDto];
  /** the decision audit trail: JSON Lines or CSV (also for operator scripts) */
  'audit.export': [{ format: 'jsonl' | 'csv'; limit?: number }, { text: string; filename: string; count: number }];
}

/** The operator's policy, for the UI (read-only fields) and operators. Never includes secrets. */
export interface ManagedDto {
  active: boolean;
  version: string;
  agentMode: boolean;
  globalDailyUsd?: string;
  /** per managed site: the policy fields the operator set (shown read-only) */
  sites: { site: string; fields: string[]; pageApi: boolean }[];
  allowedNetworks?: string[];
  allowedTokens?: { network: string; address: string }[];
  autoLockMinutes?: number;
  notifications?: boolean;
  /** the policy provisions an encrypted keystore (imported on the first `wallet.unlock`; its content is never shown) */
  keystore?: boolean;
  /** problems in the policy (the wallet fails closed on each) */
  errors: string[];
}

/** Requests from the bridge content script (untrusted surface). */
export interface ContentApi {
  /**
   * The page saw a 402. `paymentRequired` is the PAYMENT-REQUIRED header if the page could
   * read it; `bodyText` the response body (v1) if it could. The background prefers what it
   * observed itself through webRequest.
   */
  'content.402': [
    { requestId: string; url: string; method: string; paymentRequired?: string; bodyText?: string },
    | { action: 'retry'; headerName: string; headerValue: string; ticket: string }
    | { action: 'pass'; reason: string; code: string; cap?: string; retryAfter?: number },
  ];
  /** The frame's wrapper saw its first 402: inject the handler (lib/page/handler.ts) into that frame's MAIN world. */
  'content.loadHandler': [void, { done: boolean }];
  /** The paid retry finished; the background records the outcome it observed itself. */
  'content.result': [{ ticket: string; status: number; paymentResponse?: string }, { done: true }];
  /** Page API (`window.x402`, allowed sites only): what the wallet can pay with — no balances, no addresses. */
  'content.apiCaps': [void, PageCapabilities | { refused: { code: string; message: string } }];
  /**
   * Page API: pay these requirements (page-supplied, a hint) for `resource` (same origin as the
   * frame). Same validation, policy, approval and budget path as a 402; answers the header.
   */
  'content.apiPay': [
    { requirements: unknown; resource: string; method?: string },
    | { action: 'retry'; headerName: string; headerValue: string; ticket: string }
    | { action: 'pass'; reason: string; code: string; cap?: string; retryAfter?: number },
  ];
}

/** What a page with the page-API permission may learn: the wallet's protocol abilities only. */
export interface PageCapabilities {
  x402Versions: number[];
  schemes: string[];
  /** CAIP-2 ids the wallet can pay on (trusted table, test networks only while shown) */
  networks: string[];
}

export type PrivilegedType = keyof PrivilegedApi;
export type ContentType = keyof ContentApi;
export type In<A, K extends keyof A> = A[K] extends [infer I, unknown] ? I : never;
export type Out<A, K extends keyof A> = A[K] extends [unknown, infer O] ? O : never;

export interface Envelope<K extends string = string> {
  channel: 'x402.privileged' | 'x402.content';
  type: K;
  payload: unknown;
}

/** The allowlist for the content surface: anything else from a content script is refused. */
export const CONTENT_TYPES: readonly ContentType[] = ['content.loadHandler', 'content.402', 'content.result', 'content.apiCaps', 'content.apiPay'] as const;

/** Messages between the page wrapper (MAIN world) and the bridge (window.postMessage). */
export const PAGE_CHANNEL = '__x402_wallet_v1';
