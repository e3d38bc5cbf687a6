/**
 * Regenerates the README screenshots (docs/screenshots/<page>-<theme>.png) of every page —
 * onboarding, popup, approval window, options (sites, history, settings) — in the light and dark
 * theme, from the real extension on the local playground, driven by the browser tests' harness:
 * `npm run build:test && npx tsx scripts/screenshots.ts`. The popup is shot at its natural size
 * (360 × 600), the approval window at 440 × 640 (inside its 440 × 720 window), the other pages in
 * a 600-px-wide viewport.
 */
import path from 'node:path';
import { DEMO_MNEMONIC } from '../tests/fixture/network';
import type { TestPage } from '../tests/browser/harness';
import { PASSWORD, isApproval, startWorld } from '../tests/browser/world';

const OUT = path.resolve(import.meta.dirname, '../docs/screenshots');
const THEMES = ['light', 'dark'] as const;
const settle = (ms = 600) => new Promise((r) => setTimeout(r, ms));

// Firefox by default: its popup tab can read the site tab in front of it, so the popup shows the
// site's budget card as it does from the toolbar (X402_SCREENSHOT_BROWSER=chromium for Chromium)
const kind = process.env.X402_SCREENSHOT_BROWSER === 'chromium' ? 'chromium' : 'firefox';
const w = await startWorld(kind, { wallet: false });
try {
  const { net, ext } = w;
  const setTheme = async (theme: 'light' | 'dark') => {
    const r = await ext.call('settings.update', { theme });
    if (!r.ok) throw new Error(`settings.update: ${JSON.stringify(r.error)}`);
  };
  /** each theme: store it, and apply it in the page as Settings → Appearance does; shoot */
  const shoot = async (page: TestPage, name: string, ready: string) => {
    await page.waitFor(ready, 15_000);
    for (const theme of THEMES) {
      await setTheme(theme);
      await page.evaluate((t) => {
        localStorage.setItem('x402.theme', t);
        document.documentElement.setAttribute('data-theme', t);
      }, theme);
      await settle();
      await page.screenshot(path.join(OUT, `${name}-${theme}.png`));
    }
  };

  const onboarding = await ext.openExtensionPage('/onboarding.html');
  await onboarding.setViewport(600, 420);
  await shoot(onboarding, 'onboarding', '[data-testid="onboarding-choose"]');
  await onboarding.close();

  const imp = await ext.call('wallet.import', { kind: 'mnemonic', secret: DEMO_MNEMONIC, password: PASSWORD });
  if (!imp.ok) throw new Error(`wallet.import: ${JSON.stringify(imp.error)}`);
  // a site with a budget and a few payments made within it
  await ext.call('sites.save', { site: net.v2.origin, mode: 'auto', paused: false, dayUsd: '0.50', perPaymentUsd: '0.01' });
  const site = await ext.newPage();
  await site.goto(net.v2.url('/page'));
  for (let i = 0; i < 3; i++) await site.evaluate(() => (window as any).demo.fetchGet());

  // over the per-payment cap: the approval window explains why it asks
  void site.evaluate(() => fetch('/article', { headers: { Accept: 'application/json' } }).then((r) => r.status)).catch(() => undefined);
  const approval = await ext.waitForPage(isApproval(ext), 20_000);
  await approval.setViewport(440, 640);
  await shoot(approval, 'approval', '[data-testid="approve-pay-once"]');

  const popup = await ext.openExtensionPage('/popup.html');
  await popup.setViewport(360, 600);
  // the popup reads "this site" from the active tab: the site in front, the popup loaded anew behind it
  await site.bringToFront();
  await popup.evaluate(() => setTimeout(() => location.reload(), 50));
  await settle(1500);
  await shoot(popup, 'popup', '[data-testid="balance-value"]');
  await popup.close();
  await approval.click('[data-testid="approve-reject"]');

  for (const section of ['sites', 'history', 'settings'] as const) {
    const page = await ext.openExtensionPage('/options.html');
    await page.setViewport(600, 720);
    await page.click(`[data-testid="tab-${section}"]`);
    await shoot(page, `options-${section}`, `[role="tabpanel"]`);
    await page.close();
  }
  await setTheme('light');
  console.log(`screenshots written to ${OUT}`);
} finally {
  await w.close();
}
