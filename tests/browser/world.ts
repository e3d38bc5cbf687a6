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

export async function startWorld(kind: BrowserKind, opts: { wallet?: boolean } = {}): Promise<World> {
  const net = await startNetwork();
  let ext: ExtensionBrowser | undefined;
  try {
    ext = kind === 'chromium' ? await launchChromium() : await launchFirefox(net.v2.url('/page'));
    if (opts.wallet !== false) {
      const imp = await ext.call('wallet.import', { kind: 'mnemonic', secret: DEMO_MNEMONIC, password: PASSWORD });
      if (!imp.ok) throw new Error(`wallet.import failed: ${JSON.stringify(imp.error)}`);
    }
    const set = await ext.call('settings.update', {
      playgroundTokens: [
        { chainId: net.v2.chainId, address: net.v2.usdc, label: 'Local playground (v2)' },
        { chainId: net.v1.chainId, address: net.v1.usdc, label: 'Local playground (v1, "base-sepolia")' },
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

/** Waits for the approval window and clicks one of its buttons. */
export async function answerApproval(ext: ExtensionBrowser, button: 'approve-pay-once' | 'approve-reject' | 'approve-block' | 'approve-allow'): Promise<TestPage> {
  const win = await ext.waitForPage(isApproval(ext), 20_000);
  await win.waitFor(`[data-testid="${button}"]:not([disabled])`, 15_000);
  await win.click(`[data-testid="${button}"]`);
  return win;
}
