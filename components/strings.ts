/**
 * User-facing strings of the pages, in one place for translation (English shipped). Pages import
 * `S` and read `S.popup.lock`; strings that take values are functions. Browser tests select by
 * data-testid, and the few that read text match what is written here.
 */
import type { ThemeSetting } from '../lib/messaging/contract';

export const S = {
  appName: 'x402 Wallet',
  loading: 'Loading…',
  popup: {
    lock: 'Lock',
    account: 'Account',
    switchAccount: 'Switch account',
    addAccount: 'Add account',
    balances: 'Balances',
    noBalances: 'No balances to show: no network with an RPC endpoint yet (Settings → Developer: RPC endpoints).',
    balanceUnknown: (symbol: string) => `${symbol} balance unknown`,
    unknownNetworks: (n: number) => (n === 1 ? 'Balance unknown on 1 more network' : `Balances unknown on ${n} more networks`),
    pendingTitle: 'Signed payments not settled yet: the balance must still cover them',
    pending: (token: string) => `${token} pending`,
    thisSite: 'This site',
    notAWebsite: 'This tab is not a website.',
    noBudget: 'No budget for this site: the wallet asks before paying.',
    pause: 'Pause',
    resume: 'Resume',
    editBudget: 'Edit',
    editBudgetLabel: (site: string) => `Edit the budget of ${site}`,
    paused: 'Paused: the wallet asks before paying. ',
    recent: 'Recent payments',
    nothingPaid: 'Nothing paid yet. Payments you approve show up here.',
    seeAll: 'See all',
    sitesAndHistory: 'Sites & history',
    review: 'Review',
    waits: (n: number) => (n === 1 ? 'payment waits for you' : 'payments wait for you'),
    lastPaymentOn: (network: string) => `Last payment on ${network}`,
    paysOn: (n: number) => `Pays on ${n} networks`,
    noWallet: 'No wallet yet. Create a new one or import a recovery phrase or private key.',
    setUp: 'Set up wallet',
    locked: 'The wallet is locked.',
  },
  approval: {
    title: 'Payment request',
    why: 'Why you are asked: ',
    whyDefault: 'This site has no budget, so the wallet asks before every payment.',
    payTo: 'Pay to',
    payOnce: 'Pay once',
    reject: 'Reject',
    block: 'Always block this site',
    keys: 'Enter pays once · Escape rejects',
    details: 'Details',
  },
  welcome: {
    title: 'Welcome to x402 Wallet',
    lead: 'A wallet for the web’s “402 Payment Required”: when a site asks for a small payment in USDC, the wallet shows you who asks, how much and why — and pays only when you say so, or within a budget you set for that site.',
    points: [
      'Your keys stay in this browser, encrypted with your password.',
      'Every payment needs your approval, unless you give a site a budget.',
      'Pays on Base, Solana and TRON, and on the local playground for testing.',
    ],
    start: 'Get started',
  },
  settings: {
    onThisPage: 'On this page',
    sections: [
      ['appearance', 'Appearance'],
      ['notifications', 'Notifications'],
      ['cap', 'Daily cap'],
      ['sites', 'Where it works'],
      ['developer', 'Developer'],
    ] as const,
    appearance: 'Appearance',
    notifications: 'Notifications',
    theme: 'Theme',
    themes: { system: 'System', light: 'Light', dark: 'Dark' } satisfies Record<ThemeSetting, string>,
  },
} as const;
