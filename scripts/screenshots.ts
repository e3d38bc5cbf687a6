/**
 * Regenerates the README screenshots (docs/images/*.png) from the real extension on the
 * local playground: `npx tsx scripts/screenshots.ts` (needs `npm run build:test`).
 */
import path from 'node:path';
import { startWorld, isApproval } from '../tests/browser/world';

const OUT = path.resolve(import.meta.dirname, '../docs/images');
const w = await startWorld('chromium');
try {
  const { net, ext } = w;
  await ext.call('sites.save', { site: net.v2.origin, mode: 'auto', paused: false, dayUsd: '0.05', perPaymentUsd: '0.01' });
  const page = await ext.newPage();
  await page.goto(net.v2.url('/page'));
  await page.evaluate(() => (window as any).demo.fetchGet());
  // over the per-payment cap: the approval window explains why it asks
  void page.evaluate(() => fetch('/article', { headers: { Accept: 'application/json' } }).then((r) => r.status)).catch(() => undefined);
  const approval = await ext.waitForPage(isApproval(ext), 20_000);
  await approval.waitFor('[data-testid="approve-pay-once"]');
  await approval.setViewport(460, 720);
  await approval.screenshot(path.join(OUT, 'approval.png'));
  await approval.click('[data-testid="approve-reject"]');
  const popup = await ext.openExtensionPage('/popup.html');
  await popup.waitFor('[data-testid="popup-unlocked"]');
  await popup.setViewport(380, 640);
  await popup.screenshot(path.join(OUT, 'popup.png'));
  console.log(`screenshots written to ${OUT}`);
} finally {
  await w.close();
}
