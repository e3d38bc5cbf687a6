/**
 * Design system (issue 14), in both browsers, on the built extension with a realistic state (a
 * site with a budget, three payments made within it, one more waiting for approval, balances on
 * the local chains and the built-in networks without a reachable RPC):
 *  - the popup at its natural size (360 × 600) and the approval window (at the size the
 *    background opens it, and at 440 × 620 — a window with an address bar) do not scroll;
 *  - dark mode applies with the system's preference (Chromium: emulated prefers-color-scheme;
 *    Firefox: launched with a dark system theme), and the manual override (Settings → Appearance)
 *    wins both ways, persists in settings, and is on <html> before the page's script runs;
 *  - Tab reaches every control of the popup and the approval window, each with a visible focus ring.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { launchFirefox, type BrowserKind, type TestPage } from './harness';
import { useWorld } from './suite';
import { isApproval } from './world';

/** body background of the light and dark tokens (components/styles.css) */
const LIGHT_BG = 'rgb(255, 255, 255)';
const DARK_BG = 'rgb(17, 21, 25)';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's colour-contrast rule on the page as shown (the a11y suite scans the light theme) */
async function contrast(p: TestPage): Promise<{ passes: number; violations: string[] }> {
  await p.evaluate(`${AXE};true` as never);
  return p.evaluate(() =>
    (window as any).axe.run(document, { runOnly: ['color-contrast'] }).then((r: any) => ({
      passes: r.passes.length + r.passes.reduce((n: number, x: any) => n + x.nodes.length, 0),
      violations: r.violations.flatMap((v: any) => v.nodes.map((n: any) => `${n.target.join(' ')}: ${n.failureSummary}`)),
    })),
  );
}

const overflow = (p: TestPage) =>
  p.evaluate(() => {
    const el = document.scrollingElement!;
    return { scrollHeight: el.scrollHeight, clientHeight: el.clientHeight, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, innerHeight, innerWidth };
  });

const theme = (p: TestPage) =>
  p.evaluate(() => ({ attr: document.documentElement.getAttribute('data-theme'), bg: getComputedStyle(document.body).backgroundColor }));

/**
 * Presses Tab until focus comes back round; returns every control reached (with whether it
 * showed a focus ring) and every control on the page that Tab should reach.
 */
async function tabWalk(p: TestPage, max = 60) {
  // before the walk: Tab leaving the page blurs the window, and the approval's security delay then holds its spending buttons again
  const expected = await p.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, select, input, textarea, a[href], summary')]
      .filter((el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0 && !el.closest('details:not([open]) > :not(summary)'))
      // a radio group is one Tab stop (its checked radio)
      .filter((el) => !(el instanceof HTMLInputElement && el.type === 'radio' && !el.checked))
      .map((el) => el.id || el.getAttribute('data-testid') || `${el.tagName}:${el.textContent?.trim().slice(0, 30)}`),
  );
  // keyboard focus (and :focus-visible) belongs to the page in front
  await p.bringToFront();
  await p.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  const reached: { key: string; ring: boolean; how: string }[] = [];
  for (let i = 0; i < max; i++) {
    await p.press('Tab');
    const r = await p.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      const key = el.id || el.getAttribute('data-testid') || `${el.tagName}:${el.textContent?.trim().slice(0, 30)}`;
      return { key, ring: el.matches(':focus-visible') && cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2, how: `${el.matches(':focus-visible')} ${cs.outlineStyle} ${cs.outlineWidth} ${document.hasFocus()}` };
    });
    if (!r) continue;
    if (reached.some((x) => x.key === r.key)) break;
    reached.push(r);
  }
  return { reached, expected };
}

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`design system (${kind})`, () => {
    // Firefox: a dark system theme for the whole browser (Chromium emulates it per page)
    const suite = useWorld(kind, kind === 'firefox' ? { launch: (net) => launchFirefox(net.v2.url('/page'), undefined, { prefs: { 'ui.systemUsesDarkTheme': 1, 'layout.css.prefers-color-scheme.content-override': 0 } }) } : {});
    let approval: TestPage;
    let popup: TestPage;
    /** the popup shows the site's budget card (the browser let a background tab read the active one) */
    let siteCard = false;

    it('a realistic state: a site with a budget, three payments within it, one more waiting for approval', async () => {
      const { ext, w } = suite;
      const saved = await ext.call('sites.save', { site: w.net.v2.origin, mode: 'auto', paused: false, dayUsd: '0.50', perPaymentUsd: '0.01' });
      expect(saved.ok).toBe(true);
      const site = await suite.open(w.net.v2.url('/page'));
      for (let i = 0; i < 3; i++) expect((await site.evaluate(() => (window as any).demo.fetchGet())).status).toBe(200);
      void site.evaluate(() => fetch('/article', { headers: { Accept: 'application/json' } }).then((r) => r.status)).catch(() => undefined);
      approval = await ext.waitForPage(isApproval(ext), 20_000);
      await approval.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 15_000);
      popup = await ext.openExtensionPage('/popup.html');
      await popup.setViewport(360, 600);
      // the popup reads "this site" from the active tab: put the site in front, and load the popup anew behind it
      await site.bringToFront();
      await popup.evaluate(() => setTimeout(() => location.reload(), 50));
      await new Promise((r) => setTimeout(r, 500));
      siteCard = await popup.waitFor('[data-testid="site-pause-toggle"]', 8_000).then(() => true, () => false);
      await popup.waitForText('[data-testid="recent-payments"]', /Paid/, 15_000);
      await popup.waitFor('[data-testid="pending-approvals"]', 10_000);
      await popup.waitFor('[data-testid="balance-value"]', 15_000);
    }, 120_000);

    it('the popup at 360 × 600 does not scroll, and nothing is cut sideways', async () => {
      await new Promise((r) => setTimeout(r, 800));
      const o = await overflow(popup);
      const bottom = await popup.evaluate(() => Math.ceil(document.querySelector('main')!.getBoundingClientRect().bottom));
      console.log(`[design] ${kind} popup 360×600 (${siteCard ? 'with' : 'without'} the site's budget card): content ends at ${bottom} px; scrollHeight ${o.scrollHeight} / clientHeight ${o.clientHeight}, scrollWidth ${o.scrollWidth} / ${o.clientWidth}`);
      expect(o.clientHeight).toBe(600);
      expect(o.scrollHeight).toBeLessThanOrEqual(o.clientHeight);
      expect(o.scrollWidth).toBeLessThanOrEqual(o.clientWidth);
      // long network names are cut with an ellipsis on one line, the full name in the title
      const names = await popup.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('[data-testid="balance-group-name"]')].map((el) => ({ title: el.title, text: el.textContent, lines: Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight || '20')) })),
      );
      expect(names.length).toBeGreaterThanOrEqual(3);
      for (const n of names) {
        expect(n.title).toBe(n.text);
        expect(n.lines).toBeLessThanOrEqual(1);
      }
      // the footer's Auto-lock select is wide enough for its longest choice (not cut, "After 15 minutes id"),
      // and "Last payment on …" sits in the flow under the header, not over the title
      const fit = await popup.evaluate(() => {
        const sel = document.querySelector<HTMLSelectElement>('[data-testid="auto-lock"]')!;
        const cs = getComputedStyle(sel);
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const text = Math.max(...[...sel.options].map((o) => ctx.measureText(o.text).width));
        const head = document.querySelector('.popup-head')!.getBoundingClientRect();
        const label = document.querySelector('[data-testid="network-label"]')!.getBoundingClientRect();
        return { select: sel.getBoundingClientRect().width, text: Math.ceil(text), padding: parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight), right: Math.ceil(sel.getBoundingClientRect().right), labelTop: label.top, headBottom: head.bottom };
      });
      console.log(`[design] ${kind} popup footer: auto-lock select ${fit.select} px for a longest choice of ${fit.text} px (+${fit.padding} padding); network label top ${fit.labelTop}, header bottom ${fit.headBottom}`);
      expect(fit.select).toBeGreaterThanOrEqual(fit.text + fit.padding);
      expect(fit.right).toBeLessThanOrEqual(360);
      expect(fit.labelTop).toBeGreaterThanOrEqual(fit.headBottom);
    });

    it('the approval window does not scroll at the size the wallet opens it, nor at 440 × 620', async () => {
      const natural = await overflow(approval);
      console.log(`[design] ${kind} approval at its own size ${natural.innerWidth}×${natural.innerHeight}: scrollHeight ${natural.scrollHeight} / ${natural.clientHeight}`);
      expect(natural.scrollHeight).toBeLessThanOrEqual(natural.clientHeight);
      await approval.setViewport(440, 620);
      const small = await overflow(approval);
      const bottom = await approval.evaluate(() => Math.ceil(document.querySelector('main')!.getBoundingClientRect().bottom));
      console.log(`[design] ${kind} approval 440×620: content ends at ${bottom} px; scrollHeight ${small.scrollHeight} / ${small.clientHeight}`);
      expect(small.clientHeight).toBe(620);
      expect(small.scrollHeight).toBeLessThanOrEqual(small.clientHeight);
      expect(small.scrollWidth).toBeLessThanOrEqual(small.clientWidth);
      // the hero: amount in token and dollars; the site and the payee on screen
      expect(await approval.text('[data-testid="approval-amount"]')).toMatch(/^0\.05 USDC \(\$0\.05\)$/);
      const seen = await approval.evaluate(() =>
        ['approval-site', 'approval-payto', 'approval-amount', 'approval-why', 'approve-pay-once', 'approve-reject'].map((id) => {
          const r = document.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect();
          return r.height > 0 && r.bottom <= innerHeight ? id : `${id} off screen`;
        }),
      );
      expect(seen).toEqual(['approval-site', 'approval-payto', 'approval-amount', 'approval-why', 'approve-pay-once', 'approve-reject']);
    });

    it('keyboard: Tab reaches every control of the popup and of the approval window, each with a visible focus ring', async () => {
      for (const [name, page] of [['popup', popup], ['approval', approval]] as const) {
        await page.bringToFront();
        // coming to the front makes the popup look at the active tab again (itself now): let it settle
        await new Promise((r) => setTimeout(r, 1500));
        // the approval's security delay arms its spending buttons once the window has been in front for a moment
        if (name === 'approval') await page.waitFor('[data-testid="approve-pay-once"]:not([disabled])', 10_000);
        const { reached, expected } = await tabWalk(page);
        console.log(`[design] ${kind} ${name}: Tab reached ${reached.length} controls of ${expected.length}: ${reached.map((r) => r.key).join(", ")} / ${expected.join(", ")}`);
        expect(expected.length).toBeGreaterThan(name === 'popup' ? 8 : 6);
        expect(reached.map((r) => r.key).sort()).toEqual([...new Set(expected)].sort());
        expect(reached.filter((r) => !r.ring)).toEqual([]);
      }
      // Escape in the approval window still rejects (the keyboard path is intact)
      // (the window closes itself as the key is handled)
      await approval.press('Escape').catch(() => undefined);
      await expect.poll(async () => (await suite.ext.call<unknown[]>('approvals.list')).value, { timeout: 5_000 }).toEqual([]);
    });

    it('dark mode follows the system; Settings → Appearance overrides it both ways, persists, and is applied before the page script runs', async () => {
      const { ext } = suite;
      /** a popup page opened now, in a dark system (emulated in Chromium before its script runs its course) */
      const openPopup = async (system: 'light' | 'dark' = 'dark') => {
        const p = await ext.openExtensionPage('/popup.html');
        if (kind === 'chromium') await p.emulateColorScheme!(system);
        await p.waitFor('[data-testid="popup-unlocked"]', 15_000);
        return p;
      };
      const stored = async () => (await ext.call<{ theme?: string }>('settings.get')).value?.theme;

      let page = await openPopup();
      expect(await theme(page)).toEqual({ attr: 'system', bg: DARK_BG });
      if (kind === 'chromium') {
        await page.emulateColorScheme!('light');
        expect(await theme(page)).toEqual({ attr: 'system', bg: LIGHT_BG });
        await page.emulateColorScheme!('dark');
      }

      // the override, chosen in the options page
      const options = await ext.openExtensionPage('/options.html');
      if (kind === 'chromium') await options.emulateColorScheme!('dark');
      await options.click('[data-testid="tab-settings"]');
      await options.waitFor('[data-testid="theme-light"]', 15_000);
      await options.click('[data-testid="theme-light"]');
      expect(await theme(options)).toEqual({ attr: 'light', bg: LIGHT_BG });
      await expect.poll(stored, { timeout: 5_000 }).toBe('light');
      // the open popup follows at once
      await expect.poll(async () => (await theme(page)).attr, { timeout: 5_000 }).toBe('light');
      expect((await theme(page)).bg).toBe(LIGHT_BG);
      await page.close();
      // a page opened later starts with it: theme.js, the only classic script, in <head>
      page = await openPopup();
      expect(await theme(page)).toEqual({ attr: 'light', bg: LIGHT_BG });
      const inHead = await page.evaluate(() => [...document.head.querySelectorAll('script:not([type="module"])')].map((s) => new URL((s as HTMLScriptElement).src).pathname));
      expect(inHead).toEqual(['/theme.js']);
      await page.close();

      await options.click('[data-testid="theme-dark"]');
      expect(await theme(options)).toEqual({ attr: 'dark', bg: DARK_BG });
      await expect.poll(stored, { timeout: 5_000 }).toBe('dark');
      // the stored setting is the source: with the pages' copy gone, a new page in a light system still ends up dark
      await options.evaluate(() => localStorage.removeItem('x402.theme'));
      page = await openPopup('light');
      await expect.poll(async () => (await theme(page)).attr, { timeout: 5_000 }).toBe('dark');
      expect((await theme(page)).bg).toBe(DARK_BG);
      expect(await page.evaluate(() => localStorage.getItem('x402.theme'))).toBe('dark');
      // the dark tokens keep text readable: axe's colour-contrast rule on the popup and the options page
      for (const p of [page, options]) {
        const c = await contrast(p);
        expect(c.passes).toBeGreaterThan(5);
        expect(c.violations).toEqual([]);
      }
      await page.close();

      await options.click('[data-testid="theme-system"]');
      await expect.poll(stored, { timeout: 5_000 }).toBe('system');
      await options.close();
    }, 90_000);
  });
}
