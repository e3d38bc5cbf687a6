/**
 * Rail display helpers (lib/ui/rails.ts) and the extension-page components that show both
 * rails, rendered to static markup (no effects run, so no background is needed).
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { StateCreator } from 'zustand';
import { describe, expect, it, vi } from 'vitest';
import type { ApprovalDto, BalanceDto, OptionDto, PaymentDto, WalletStatusDto } from '../../lib/messaging/contract';
import { formatSeconds, shortAddress } from '../../lib/ui/format';
import {
  compareRpcKeys,
  DEFAULT_SOLANA_PLAYGROUND_NETWORK,
  feePayerText,
  groupBalances,
  isSolanaNetworkId,
  looksLikeEvmAddress,
  looksLikeSolanaAddress,
  parseRpcKey,
  playgroundTokenKey,
  playgroundTokenRail,
  playgroundTokenText,
  railLabel,
  railOfNetwork,
  rpcKeyText,
  shortTxId,
  SOLANA_DEVNET_ID,
  SOLANA_MAINNET_ID,
  solanaNetworkName,
} from '../../lib/ui/rails';
import { AccountAddresses, NO_SVM_FROM_KEY } from '../../components/AccountAddresses';
import { AddressView } from '../../components/AddressView';
import { DoneView } from '../../components/onboarding/DoneView';
import { ApprovalCard } from '../../components/approval/ApprovalCard';
import { OptionsPicker, optionTitle } from '../../components/approval/OptionsPicker';
import { HistorySection } from '../../components/options/HistorySection';
import { PlaygroundTokens } from '../../components/options/PlaygroundTokens';
import { RpcEndpoints } from '../../components/options/RpcEndpoints';
import { WalletSection } from '../../components/options/WalletSection';
import { BalancesCard } from '../../components/popup/BalancesCard';
import { UnlockedView } from '../../components/popup/UnlockedView';
import { useBalancesStore } from '../../lib/ui/stores/balances';
import { useHistoryStore } from '../../lib/ui/stores/history';
import { useWalletStore } from '../../lib/ui/stores/wallet';

/**
 * Server rendering reads a zustand store's *initial* state (useSyncExternalStore's server
 * snapshot). Here the hooks read the current state instead, so a test can set what a
 * component shows with `store.setState` (no subscription: each render is one snapshot).
 */
vi.mock('zustand', async (importOriginal) => {
  const z = await importOriginal<typeof import('zustand')>();
  const { createStore } = await import('zustand/vanilla');
  type Init = StateCreator<unknown>;
  const bind = (init: Init) => {
    const api = createStore(init);
    const hook = (selector: (s: unknown) => unknown = (s) => s) => selector(api.getState());
    return Object.assign(hook, api);
  };
  return { ...z, create: (init?: Init) => (init ? bind(init) : bind) };
});

const EVM = '0xAbCdEf0123456789aBcDeF0123456789AbCdEf01';
const SOL = '4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T';
const FEE_PAYER = '2wKupLR9q6wXYppw8Gr2NvWxKBUqm4PPJKkQfoxHDBg4';
const MINT = 'Gh9ZwEmdLJ8DscKNTkTqPbNwLNNBjuSzaG9Vp2KGtKJr';
const SIG = '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW';

const html = (el: Parameters<typeof renderToStaticMarkup>[0]) => renderToStaticMarkup(el);
/** text content of the element carrying data-testid="id" (first match, tags stripped) */
function testIdText(markup: string, id: string): string | null {
  const m = new RegExp(`<(\\w+)[^>]*data-testid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(markup);
  return m ? m[2]!.replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'").replace(/&amp;/g, '&') : null;
}

describe('rails: networks and labels', () => {
  it('tells the rail of a CAIP-2 network', () => {
    expect(railOfNetwork('eip155:8453')).toBe('evm');
    expect(railOfNetwork(SOLANA_DEVNET_ID)).toBe('svm');
    expect(railOfNetwork('cosmos:hub')).toBeUndefined();
    expect(railLabel('evm')).toBe('EVM');
    expect(railLabel('svm')).toBe('Solana');
  });

  it('knows the Solana cluster ids and names', () => {
    expect(DEFAULT_SOLANA_PLAYGROUND_NETWORK).toBe('solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1');
    expect(solanaNetworkName(SOLANA_MAINNET_ID)).toBe('Solana');
    expect(solanaNetworkName(SOLANA_DEVNET_ID)).toBe('Solana Devnet');
    expect(solanaNetworkName('solana:unknown')).toBeUndefined();
    expect(isSolanaNetworkId(SOLANA_DEVNET_ID)).toBe(true);
    expect(isSolanaNetworkId('solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa')).toBe(false); // 31 chars
    expect(isSolanaNetworkId('solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa0')).toBe(false); // '0' is not base58
    expect(isSolanaNetworkId('solana-devnet')).toBe(false);
  });

  it('checks address shapes per rail', () => {
    expect(looksLikeSolanaAddress(SOL)).toBe(true);
    expect(looksLikeSolanaAddress(MINT)).toBe(true);
    expect(looksLikeSolanaAddress(EVM)).toBe(false);
    expect(looksLikeSolanaAddress('0OIl' + SOL.slice(4))).toBe(false);
    expect(looksLikeEvmAddress(EVM)).toBe(true);
    expect(looksLikeEvmAddress(SOL)).toBe(false);
  });
});

describe('rails: shortening keeps the case', () => {
  it('shortens EVM and base58 addresses without re-casing them', () => {
    expect(shortAddress(EVM)).toBe('0xAbCd…Ef01');
    expect(shortAddress(SOL)).toBe('4Nd1mB…DB4T');
    expect(shortAddress(SOL.toLowerCase())).not.toBe(shortAddress(SOL));
  });

  it('shortens transaction ids: EVM hash 6…4, Solana signature 8…8', () => {
    const hash = `0x${'ab'.repeat(32)}`;
    expect(shortTxId(hash)).toBe('0xabab…abab');
    expect(SIG.length).toBe(88);
    expect(shortTxId(SIG)).toBe(`${SIG.slice(0, 8)}…${SIG.slice(-8)}`);
    expect(shortTxId('abc')).toBe('abc');
  });

  it('formats durations', () => {
    expect(formatSeconds(45)).toBe('45 s');
    expect(formatSeconds(60)).toBe('1 min');
    expect(formatSeconds(90)).toBe('1 min 30 s');
    expect(formatSeconds(300)).toBe('5 min');
    expect(formatSeconds(7200)).toBe('2 h');
    expect(formatSeconds(3900)).toBe('1 h 5 min');
    expect(formatSeconds(-3)).toBe('0 s');
  });
});

describe('rails: balances grouped by network name', () => {
  const b = (over: Partial<BalanceDto>): BalanceDto => ({
    rail: 'evm',
    network: 'eip155:8453',
    networkName: 'Base',
    asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
    symbol: 'USDC',
    balance: { atomic: '1000000', token: '1 USDC' },
    ...over,
  });

  it('keeps the order of first appearance and separates names on one chain', () => {
    const items = [
      b({}),
      b({ network: 'eip155:84532', networkName: 'Base Sepolia', asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e' }),
      b({ rail: 'svm', network: SOLANA_DEVNET_ID, networkName: 'Solana Devnet', asset: MINT }),
      b({ network: 'eip155:84532', networkName: 'Local playground (v1)', asset: '0x5FbDB2315678afecb367f032d93F642f64180aa3' }),
      b({ network: 'eip155:8453', networkName: 'Base', asset: '0xfde4C96c8593536E31F229EA8f37b2ADa2699bb2', symbol: 'USDT' }),
    ];
    const groups = groupBalances(items);
    expect(groups.map((g) => [g.networkName, g.rail, g.items.length])).toEqual([
      ['Base', 'evm', 2],
      ['Base Sepolia', 'evm', 1],
      ['Solana Devnet', 'svm', 1],
      ['Local playground (v1)', 'evm', 1],
    ]);
    expect(groups[0]!.items.map((i) => i.symbol)).toEqual(['USDC', 'USDT']);
  });
});

describe('rails: settings helpers', () => {
  it('parses RPC keys: EVM chain ids and Solana network ids', () => {
    expect(parseRpcKey(' 8453 ')).toEqual({ ok: true, key: '8453', rail: 'evm' });
    expect(parseRpcKey(SOLANA_MAINNET_ID)).toEqual({ ok: true, key: SOLANA_MAINNET_ID, rail: 'svm' });
    for (const bad of ['', '0', '08453', '1.5', 'eip155:8453', 'solana:short', 'solana-devnet', 'base']) {
      const r = parseRpcKey(bad);
      expect(r.ok, bad).toBe(false);
    }
    const r = parseRpcKey('eip155:8453');
    if (!r.ok) expect(r.error).toMatch(/8453/);
  });

  it('names and orders RPC keys: chains by number, then Solana', () => {
    expect(rpcKeyText('8453')).toBe('chain 8453');
    expect(rpcKeyText(SOLANA_DEVNET_ID)).toBe(`Solana Devnet (${SOLANA_DEVNET_ID})`);
    expect(rpcKeyText('solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3y')).toBe('solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3y');
    expect([SOLANA_MAINNET_ID, '84532', SOLANA_DEVNET_ID, '8453'].sort(compareRpcKeys)).toEqual([
      '8453',
      '84532',
      SOLANA_MAINNET_ID,
      SOLANA_DEVNET_ID,
    ]);
  });

  it('shows playground tokens as "where · address"', () => {
    const evm = { chainId: 31337, address: '0x5FbDB2315678afecb367f032d93F642f64180aa3' };
    const svm = { network: SOLANA_DEVNET_ID, address: MINT };
    expect(playgroundTokenText(evm)).toBe('chain 31337 · 0x5FbDB2315678afecb367f032d93F642f64180aa3');
    expect(playgroundTokenText(svm)).toBe(`${SOLANA_DEVNET_ID} · ${MINT}`);
    expect(playgroundTokenRail(evm)).toBe('evm');
    expect(playgroundTokenRail(svm)).toBe('svm');
    expect(playgroundTokenKey(evm)).not.toBe(playgroundTokenKey({ chainId: 1, address: evm.address }));
    expect(feePayerText(FEE_PAYER)).toBe(`Fee paid by ${FEE_PAYER} (the facilitator, not you)`);
  });
});

describe('components: both rails', () => {
  it('AddressView keeps base58 as is and names its copy button', () => {
    const m = html(createElement(AddressView, { address: SOL, testId: 'svm-address', copyLabel: 'Copy Solana address', copyTestId: 'copy-svm-address' }));
    expect(m).toContain(`title="${SOL}"`);
    expect(testIdText(m, 'svm-address')).toBe(shortAddress(SOL));
    expect(m).toContain('aria-label="Copy Solana address"');
  });

  it('AccountAddresses: EVM and Solana, each with a rail tag and a labelled copy button', () => {
    const m = html(createElement(AccountAddresses, { evm: EVM, svm: SOL, kind: 'mnemonic', full: true, evmTestId: 'account-address', svmTestId: 'svm-address' }));
    expect(testIdText(m, 'account-address')).toBe(EVM);
    expect(testIdText(m, 'svm-address')).toBe(SOL);
    expect(m).toContain('aria-label="Copy EVM address"');
    expect(m).toContain('aria-label="Copy Solana address"');
    expect(m).toMatch(/data-rail="evm"[^>]*>EVM</);
    expect(m).toMatch(/data-rail="svm"[^>]*>Solana</);
  });

  it('AccountAddresses: a raw-key wallet has no Solana account, and says so', () => {
    const m = html(createElement(AccountAddresses, { evm: EVM, kind: 'privateKey', evmTestId: 'account-address', svmTestId: 'svm-address', noSvmTestId: 'svm-address-none' }));
    expect(testIdText(m, 'svm-address')).toBeNull();
    expect(testIdText(m, 'svm-address-none')).toBe(NO_SVM_FROM_KEY);
    expect(NO_SVM_FROM_KEY).toBe('No Solana account (imported from an EVM key)');
    expect(m).not.toContain('Copy Solana address');
  });

  const status = (over: Partial<WalletStatusDto> = {}): WalletStatusDto => ({
    initialized: true,
    unlocked: true,
    kind: 'mnemonic',
    accounts: [{ index: 0, name: 'Account 1', address: EVM, svmAddress: SOL }],
    activeIndex: 0,
    activeAddress: EVM,
    activeSvmAddress: SOL,
    autoLock: { kind: 'minutes', minutes: 15 },
    pendingApprovals: 0,
    networks: [],
    ...over,
  });

  it('onboarding done view: the full EVM address and the Solana address', () => {
    const m = html(createElement(DoneView, { status: status() }));
    expect(testIdText(m, 'onboarding-address')).toBe(EVM);
    expect(testIdText(m, 'done-svm-address')).toBe(SOL);
    const raw = html(createElement(DoneView, { status: status({ kind: 'privateKey', accounts: [{ index: 0, name: 'Account 1', address: EVM }], activeSvmAddress: undefined }) }));
    expect(testIdText(raw, 'onboarding-address')).toBe(EVM);
    expect(testIdText(raw, 'done-svm-address')).toBeNull();
    expect(raw).toContain(NO_SVM_FROM_KEY);
  });

  const evmOption: OptionDto = {
    index: 0,
    rail: 'evm',
    network: 'eip155:8453',
    networkName: 'Base',
    asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
    symbol: 'USDC',
    decimals: 6,
    amountAtomic: '10000',
    amountToken: '0.01 USDC',
    amountUsd: '$0.01',
    payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
    maxTimeoutSeconds: 300,
    transferMethod: 'eip3009',
    balance: null,
  };
  const svmOption: OptionDto = {
    index: 1,
    rail: 'svm',
    network: SOLANA_DEVNET_ID,
    networkName: 'Solana Devnet',
    asset: MINT,
    symbol: 'USDC',
    decimals: 6,
    amountAtomic: '10000',
    amountToken: '0.01 USDC',
    amountUsd: '$0.01',
    payTo: SOL,
    maxTimeoutSeconds: 60,
    transferMethod: 'spl-transfer-checked',
    feePayer: FEE_PAYER,
    balance: { atomic: '5000000', token: '5 USDC', sufficient: true },
  };
  const approval = (selectedIndex: number): ApprovalDto => ({
    id: 'a1',
    createdAt: Date.now(),
    expiresAt: Date.now() + 120_000,
    site: 'https://shop.example',
    requestOrigin: 'https://shop.example',
    resourceUrl: 'https://shop.example/article',
    method: 'GET',
    kind: 'request',
    x402Version: 2,
    options: [evmOption, svmOption],
    rejected: [],
    selectedIndex,
  });

  it('options picker: each option names its network, token and rail', () => {
    expect(optionTitle(evmOption)).toBe('Base · USDC');
    expect(optionTitle(svmOption)).toBe('Solana Devnet · USDC');
    const m = html(createElement(OptionsPicker, { approval: approval(0), selected: 0, onSelect: () => {}, disabled: false }));
    expect(testIdText(m, 'option-network-0')).toBe('Base · USDC');
    expect(testIdText(m, 'option-network-1')).toBe('Solana Devnet · USDC');
    expect(testIdText(m, 'option-rail-0')).toBe('EVM');
    expect(testIdText(m, 'option-rail-1')).toBe('Solana');
    expect(m).toContain('data-testid="option-0"');
    expect(m).toContain('data-testid="option-1"');
  });

  it('approval card, Solana option: cluster, mint, payee, fee payer, expiry; base58 verbatim', () => {
    const m = html(createElement(ApprovalCard, { approval: approval(1), gone: false, queueText: '1 of 1', onDecide: async () => {}, onSkip: () => {} }));
    expect(testIdText(m, 'approval-network')).toBe('Solana Devnet');
    expect(testIdText(m, 'approval-rail')).toBe('Solana');
    expect(m).toContain('Token mint');
    expect(testIdText(m, 'approval-asset')).toBe(MINT);
    expect(testIdText(m, 'approval-payto')).toBe(SOL);
    expect(testIdText(m, 'approval-fee-payer')).toBe(`Fee paid by ${FEE_PAYER} (the facilitator, not you)`);
    expect(testIdText(m, 'approval-expiry')).toMatch(/^in \d/);
    expect(testIdText(m, 'approval-validity')).toMatch(/^Up to 1 min after signing/);
    expect(testIdText(m, 'approval-amount')).toBe('0.01 USDC ($0.01)');
    expect(testIdText(m, 'approval-balance')).toBe('5 USDC');
  });

  it('approval card, EVM option: token contract, no fee payer', () => {
    const m = html(createElement(ApprovalCard, { approval: approval(0), gone: false, queueText: '1 of 1', onDecide: async () => {}, onSkip: () => {} }));
    expect(testIdText(m, 'approval-network')).toBe('Base');
    expect(testIdText(m, 'approval-rail')).toBe('EVM');
    expect(m).toContain('Token contract');
    expect(testIdText(m, 'approval-asset')).toBe(evmOption.asset);
    expect(testIdText(m, 'approval-payto')).toBe(evmOption.payTo);
    expect(testIdText(m, 'approval-fee-payer')).toBeNull();
    expect(testIdText(m, 'approval-validity')).toBe('Up to 5 min after signing');
  });

  it('popup: both addresses of the active account (and the note for a raw-key wallet)', () => {
    const m = html(createElement(UnlockedView, { status: status() }));
    expect(m).toMatch(new RegExp(`title="${EVM}" data-testid="account-address"`));
    expect(m).toMatch(new RegExp(`title="${SOL}" data-testid="svm-address"`));
    expect(m).toContain('aria-label="Copy EVM address"');
    expect(m).toContain('aria-label="Copy Solana address"');
    const raw = html(
      createElement(UnlockedView, {
        status: status({ kind: 'privateKey', accounts: [{ index: 0, name: 'Account 1', address: EVM }], activeSvmAddress: undefined }),
      }),
    );
    expect(raw).not.toContain('data-testid="svm-address"');
    expect(testIdText(raw, 'svm-address-none')).toBe(NO_SVM_FROM_KEY);
  });

  it('popup balances: grouped by network name, rows keep their test ids and exact values', () => {
    useBalancesStore.setState({
      loaded: true,
      error: null,
      items: [
        { rail: 'evm', network: 'eip155:31337', networkName: 'Local playground (v2)', asset: EVM, symbol: 'USDC', balance: { atomic: '100000000', token: '100 USDC' } },
        { rail: 'svm', network: SOLANA_DEVNET_ID, networkName: 'Solana Devnet', asset: MINT, symbol: 'USDC', balance: null, error: 'timeout' },
      ],
    });
    const m = html(createElement(BalancesCard, { address: EVM, svmAddress: SOL }));
    const groups = [...m.matchAll(/data-testid="balance-group-name">([^<]+)</g)].map((x) => x[1]);
    expect(groups).toEqual(['Local playground (v2)', 'Solana Devnet']);
    expect(m).toMatch(new RegExp(`data-testid="balance-row" data-network="eip155:31337" data-asset="${EVM}"`));
    expect(m).toMatch(new RegExp(`data-testid="balance-row" data-network="${SOLANA_DEVNET_ID}" data-asset="${MINT}"`));
    expect(m).toContain('<strong data-testid="balance-value">100 USDC</strong>');
    expect(m).toContain('USDC balance unknown');
  });

  it('options: every account lists both addresses', () => {
    useWalletStore.setState({
      status: status({
        accounts: [
          { index: 0, name: 'Account 1', address: EVM, svmAddress: SOL },
          { index: 1, name: 'Account 2', address: evmOption.payTo as `0x${string}`, svmAddress: FEE_PAYER },
        ],
      }),
    });
    const m = html(createElement(WalletSection));
    expect(testIdText(m, 'account-address-0')).toBe(EVM);
    expect(testIdText(m, 'account-svm-address-0')).toBe(SOL);
    expect(testIdText(m, 'account-address-1')).toBe(evmOption.payTo);
    expect(testIdText(m, 'account-svm-address-1')).toBe(FEE_PAYER);
    expect(m).toContain('aria-label="Copy Solana address of Account 2"');
  });

  it('options: playground tokens of both rails, and the EVM form by default', () => {
    const m = html(
      createElement(PlaygroundTokens, {
        tokens: [
          { chainId: 31337, address: '0x5FbDB2315678afecb367f032d93F642f64180aa3', label: 'Local playground (v2)' },
          { network: SOLANA_DEVNET_ID, address: MINT },
        ],
        busy: false,
        apply: async () => true,
      }),
    );
    const texts = [...m.matchAll(/data-testid="playground-token-text">([^<]+)</g)].map((x) => x[1]);
    expect(texts).toEqual(['chain 31337 · 0x5FbDB2315678afecb367f032d93F642f64180aa3', `${SOLANA_DEVNET_ID} · ${MINT}`]);
    for (const id of ['playground-kind', 'playground-chain', 'playground-address', 'playground-rpc', 'playground-add']) expect(m).toContain(`data-testid="${id}"`);
    expect(m).toContain('<label for="playground-kind">Network</label>');
    expect(m).toContain(`aria-label="Remove Solana test mint ${MINT} on ${SOLANA_DEVNET_ID}"`);
  });

  it('options: RPC endpoints keyed by chain id or Solana network id', () => {
    const m = html(createElement(RpcEndpoints, { rpcUrls: { [SOLANA_DEVNET_ID]: 'http://127.0.0.1:8899', '8453': '' }, busy: false, apply: async () => true }));
    expect(m).toContain('<label for="rpc-chain">Chain id or Solana network id</label>');
    expect(m).toContain('data-testid="rpc-chain"');
    const rows = [...m.matchAll(/data-testid="rpc-url-row"><span class="mono grow">([^<]+)</g)].map((x) => x[1]);
    expect(rows).toEqual(['chain 8453 · off (no lookups)', `Solana Devnet (${SOLANA_DEVNET_ID}) · http://127.0.0.1:8899`]);
  });

  it('history: a Solana signature is shortened, linked only with an explorer URL', () => {
    const p = (over: Partial<PaymentDto>): PaymentDto => ({
      id: 'p1',
      site: 'https://shop.example',
      requestOrigin: 'https://shop.example',
      resourceUrl: 'https://shop.example/a',
      network: SOLANA_DEVNET_ID,
      networkName: 'Solana Devnet',
      symbol: 'USDC',
      amountToken: '0.01 USDC',
      amountUsd: '$0.01',
      payTo: SOL,
      status: 'settled',
      auto: false,
      createdAt: 0,
      updatedAt: 0,
      expiresAt: 60_000,
      times: { reserved: 0, settled: 0 },
      scheme: 'exact',
      x402Version: 2,
      assetAddress: MINT,
      decimals: 6,
      amountAtomic: '10000',
      txHash: SIG,
      ...over,
    });
    useHistoryStore.setState({
      loaded: true,
      error: null,
      items: [p({}), p({ id: 'p2', explorerUrl: `https://explorer.solana.com/tx/${SIG}?cluster=devnet` })],
    });
    const m = html(createElement(HistorySection));
    const short = `${SIG.slice(0, 8)}…${SIG.slice(-8)}`;
    expect(m).toContain(`<span title="${SIG}" data-testid="history-tx">${short}</span>`);
    expect(m).toMatch(new RegExp(`<a href="https://explorer.solana.com/tx/${SIG}\\?cluster=devnet"[^>]*>${short}</a>`));
    expect(m.match(/<a href=/g)).toHaveLength(1);
    expect(m).toContain(`title="${SOL}">${shortAddress(SOL)}<`);
  });
});
