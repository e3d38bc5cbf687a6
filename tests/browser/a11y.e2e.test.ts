/**
 * Accessibility (issue 16): axe-core (4.14.1) scans every extension page — popup, options,
 * onboarding, and the approval window with a payment waiting — in both browsers; 0 serious or
 * critical findings. axe is injected through the driver's evaluate (the pages' CSP blocks
 * inline scripts and eval, as it should; driver evaluation is not page script).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { BrowserKind, TestPage } from './harness';
import { useWorld } from './suite';
import { isApproval, noApprovalPending } from './world';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Finding {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** rules axe checked and found passing, over all pages (proves the scan ran) */
let passedRules = 0;

async function scan(page: TestPage): Promise<Finding[]> {
  // a string is evaluated by the driver as an expression (not subject to the page's CSP)
  await page.evaluate(`${AXE};true` as never);
  const r = await page.evaluate(() =>
    (window as any).axe.run(document).then((r: any) => ({
      passes: r.passes.length as number,
      serious: r.violations
        .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
        .map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n: any) => n.target.join(' ')) })),
    })),
  );
  expect(r.passes).toBeGreaterThan(5);
  passedRules += r.passes;
  return r.serious;
}

export const a11yCounts: Record<string, number> = {};

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`accessibility (${kind})`, () => {
    const suite = useWorld(kind);

    it('popup, options, onboarding and the approval window: 0 serious or critical axe findings', async () => {
      const { ext, w } = suite;
      const findings: Record<string, Finding[]> = {};
      passedRules = 0;
      for (const [path, ready] of [
        ['/popup.html', '[data-testid="popup-unlocked"]'],
        ['/options.html', 'main'],
        ['/onboarding.html', 'main'],
      ] as const) {
        const p = await ext.openExtensionPage(path);
        await p.waitFor(ready, 15_000);
        await new Promise((r) => setTimeout(r, 500));
        findings[path] = await scan(p);
        await p.close();
      }
      // the approval window with a payment waiting
      const page = await suite.open(w.net.v2.url('/page'));
      await noApprovalPending(ext);
      const result = page.evaluate(() => fetch('/api/cheap').then((r) => r.status));
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      await win.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 15_000);
      findings['/approval.html'] = await scan(win);
      await win.click('[data-testid="approve-reject"]');
      expect(await result).toBe(402);
      const total = Object.values(findings).reduce((n, f) => n + f.length, 0);
      a11yCounts[kind] = total;
      console.log(`[security] ${kind} axe-core: ${Object.keys(findings).length} pages scanned (${passedRules} passing rule checks), ${total} serious/critical findings ${total ? JSON.stringify(findings) : ''}`);
      expect(findings).toEqual({ '/popup.html': [], '/options.html': [], '/onboarding.html': [], '/approval.html': [] });
    }, 180_000);
  });
}
