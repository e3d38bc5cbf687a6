/**
 * One test world: the local x402 network + the built extension in one browser, with a
 * wallet imported from the demo phrase and the playground USDC added to the trusted table —
 * all through the extension's own privileged API, as the UI would.
 */
import { DEMO_ADDRESSES, DEMO_MNEMONIC, startNetwork, type LocalX402Network } from '../fixture/network';
import { launchChromium, launchFirefox, type BrowserKind, type ExtensionBrowser, type TestPage } from './harness';

export const PASSWORD = 'correct horse battery staple';
export const PAYER = DEMO_ADDRESSES[0]!;

export interface World {
  net: LocalX402Network;
  ext: ExtensionBrowser;
  close(): Promise<void>;
}

/**
 * `rpc: false` leaves the playground tokens without an RPC URL (balances unknown); by default
 * the wallet reads balances from the local anvil chains.
 */
export async function startWorld(
  kind: BrowserKind,
  opts: {
    wallet?: boolean;
    rpc?: boolean;
    /** launch the browser yourself (e.g. provisioned with a managed policy for this network) */
    launch?: (net: LocalX402Network) => Promise<ExtensionBrowser>;
    network?: Parameters<typeof startNetwork>[0];
  } = {},
): Promise<World> {
  const net = await startNetwork(opts.network);
  let ext: ExtensionBrowser | undefined;
  try {
    ext = opts.launch ? await opts.launch(net) : kind === 'chromium' ? await launchChromium() : await launchFirefox(net.v2.url('/page'));
    if (opts.wallet !== false) {
      const imp = await ext.call('wallet.import', { kind: 'mnemonic', secret: DEMO_MNEMONIC, password: PASSWORD });
      if (!imp.ok) throw new Error(`wallet.import failed: ${JSON.stringify(imp.error)}`);
    }
    const set = await ext.call('settings.update', {
      // a developer's wallet: built-in test networks (Base Sepolia, Solana Devnet, …) listed and
      // payable; the default for users is off (tokens.e2e checks both)
      showTestnets: true,
      playgroundTokens: [
        {
          chainId: net.v2.chainId,
          address: net.v2.usdc,
          label: 'Local playground (v2)',
          ...(opts.rpc === false ? {} : { rpcUrl: net.v2.rpcUrl }),
        },
        {
          chainId: net.v1.chainId,
          address: net.v1.usdc,
          label: 'Local playground (v1, "base-sepolia")',
          ...(opts.rpc === false ? {} : { rpcUrl: net.v1.rpcUrl }),
        },
        // the local Solana cluster (answers as devnet); its RPC also builds the payments
        { network: net.svm.network, address: net.svm.mint, label: 'Local Solana', rpcUrl: net.svm.rpcUrl },
      ],
    });
    if (!set.ok) throw new Error(`settings.update failed: ${JSON.stringify(set.error)}`);
  } catch (e) {
    await ext?.close();
    await net.stop();
    throw e;
  }
  const world: World = {
    net,
    ext,
    close: async () => {
      await ext!.close();
      await net.stop();
    },
  };
  return world;
}

export const isApproval = (ext: ExtensionBrowser) => (u: string) => u.startsWith(`${ext.extensionOrigin}/approval.html`);

/** Starts a request in the page, answers the approval window, and returns the page's result. */
export async function withApproval<T>(
  ext: ExtensionBrowser,
  run: () => Promise<T>,
  button: Parameters<typeof answerApproval>[1] = 'approve-pay-once',
): Promise<T> {
  await noApprovalPending(ext);
  const result = run();
  await answerApproval(ext, button);
  return result;
}

/** Waits for the approval window and clicks one of its buttons. */
export async function answerApproval(ext: ExtensionBrowser, button: 'approve-pay-once' | 'approve-reject' | 'approve-block' | 'approve-allow'): Promise<TestPage> {
  const win = await ext.waitForPage(isApproval(ext), 20_000);
  await win.waitFor(`[data-testid="${button}"]:not([disabled])`, 15_000);
  await win.click(`[data-testid="${button}"]`);
  return win;
}

// ---------------------------------------------------------------- helpers for the pay/hostile suites

async function waitUntil(fn: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until no approval window is open and no approval is pending (after a decision the window closes itself). */
export async function noApprovalPending(ext: ExtensionBrowser, timeoutMs = 10_000): Promise<void> {
  await waitUntil(
    async () => {
      if ((await ext.pages(isApproval(ext))).length > 0) return false;
      const list = await ext.call<unknown[]>('approvals.list');
      return list.ok && (list.value ?? []).length === 0;
    },
    timeoutMs,
    'no approval window / pending approval',
  );
}

/** Payer and merchant USDC balances on one side of the local network (atomic units). */
export async function balances(net: LocalX402Network, side: 'v1' | 'v2', payer = PAYER): Promise<{ payer: bigint; merchant: bigint }> {
  const [p, m] = await Promise.all([net.usdcBalance(side, payer), net.usdcBalance(side, net.merchant)]);
  return { payer: p, merchant: m };
}

/** Payer and merchant balances of the local SPL token (atomic units). */
export async function svmBalances(net: LocalX402Network, payer = net.svm.payers[0]!): Promise<{ payer: bigint; merchant: bigint }> {
  const [p, m] = await Promise.all([net.svm.tokenBalance(payer), net.svm.tokenBalance(net.svm.merchant)]);
  return { payer: p, merchant: m };
}

/** The cluster's own status of a transaction signature (JSON-RPC getSignatureStatuses). */
export async function svmSignatureStatus(net: LocalX402Network, signature: string): Promise<{ err: unknown; confirmationStatus?: string } | null> {
  const res = await fetch(net.svm.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getSignatureStatuses', params: [[signature]] }),
  });
  const doc = (await res.json()) as { result: { value: ({ err: unknown; confirmationStatus?: string } | null)[] } };
  return doc.result.value[0] ?? null;
}

export interface HistoryEntry {
  id: string;
  resourceUrl: string;
  status: string;
  txHash?: string;
  explorerUrl?: string;
  payTo?: string;
  confirmedBy?: 'chain' | 'server';
  errorReason?: string;
  network: string;
  site: string;
  requestOrigin: string;
}

/** The wallet's history entries (newest first) for a resource URL. */
export async function historyFor(ext: ExtensionBrowser, resourceUrl: string): Promise<HistoryEntry[]> {
  const res = await ext.call<HistoryEntry[]>('history.list', { limit: 1000 });
  if (!res.ok) throw new Error(`history.list failed: ${JSON.stringify(res.error)}`);
  return (res.value ?? []).filter((h) => h.resourceUrl === resourceUrl);
}

/** Waits until the wallet has recorded `count` settled payments for the URL; returns them. */
export async function settledFor(ext: ExtensionBrowser, resourceUrl: string, count = 1, timeoutMs = 10_000): Promise<HistoryEntry[]> {
  let out: HistoryEntry[] = [];
  await waitUntil(
    async () => {
      out = (await historyFor(ext, resourceUrl)).filter((h) => h.status === 'settled');
      return out.length >= count;
    },
    timeoutMs,
    `${count} settled payment(s) for ${resourceUrl}`,
  );
  return out;
}

/**
 * Runs one of `window.demo`'s calls inside the cross-origin iframe of `/frame-relay` (the
 * parent relays it with postMessage) and resolves with the frame's result.
 */
export function frameCall(page: TestPage, call: 'fetchGet' | 'fetchPost' | 'xhrGet' | 'xhrPost'): Promise<{ status: number; body: any }> {
  return page.evaluate(
    (c) =>
      new Promise<{ status: number; body: any }>((resolve) => {
        const id = Math.random();
        window.addEventListener('message', (ev) => {
          if (ev.data && ev.data.demoResult === id) resolve(ev.data.result);
        });
        (document.getElementById('paid-frame') as HTMLIFrameElement).contentWindow!.postMessage({ demoCall: c, id }, '*');
      }),
    call,
  );
}
