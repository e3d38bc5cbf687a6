/**
 * Agents in the browser (issue 13), in Chromium and Firefox, with the operator policy delivered
 * through managed storage the way each browser loads it (tests/browser/provision.ts):
 *  1. zero clicks within the caps — paid and settled on chain by the official servers — and beyond
 *     them a refusal the page can read (`x402:refused` event + `x402Refusal` on Response and XHR);
 *     no approval window is ever opened;
 *  2. the user cannot loosen a managed cap: read-only in the options page, refused by the background;
 *  3. (Chromium) a policy change takes effect without a restart — Firefox reads policies.json only
 *     at start-up, so there a change needs a browser restart (README);
 *  4. every decision is in the audit with the policy version;
 *  5. the documented script (`npm run agent`) completes a paid run and exports the audit.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRICES } from '../fixture/network';
import { extensionDir, launchChromium, launchFirefox, type BrowserKind, type TestPage } from './harness';
import { chromiumExtensionId, chromiumPolicy, chromiumPolicyUnavailable, firefoxWithPolicy, type ChromiumPolicy } from './provision';
import { agentPolicy, runAgent } from '../../scripts/agent';
import { balances, isApproval, startWorld, type World } from './world';

interface Refusal {
  code: string;
  message: string;
  url: string;
  cap?: string;
  retryAfter?: number;
}

async function until<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v as T;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function pageFetch(page: TestPage, url: string) {
  return page.evaluate(async (u) => {
    const r = await fetch(u);
    return { status: r.status, refusal: (r as Response & { x402Refusal?: Refusal }).x402Refusal ?? null };
  }, url);
}

function pageXhr(page: TestPage, url: string) {
  return page.evaluate(
    (u) =>
      new Promise<{ status: number; refusal: Refusal | null }>((resolve) => {
        const x = new XMLHttpRequest();
        x.open('GET', u);
        x.onloadend = () => resolve({ status: x.status, refusal: (x as XMLHttpRequest & { x402Refusal?: Refusal }).x402Refusal ?? null });
        x.send();
      }),
    url,
  );
}

/** null, or why Chromium cannot be provisioned on this machine (a normal user: no system policy folder) */
const noChromiumPolicy = chromiumPolicyUnavailable();
if (noChromiumPolicy) console.warn(`[agent tests] Chromium skipped: ${noChromiumPolicy}`);

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe.skipIf(kind === 'chromium' && noChromiumPolicy !== null)(`agents: a provisioned ${kind}`, () => {
    let world: World;
    let chromePolicy: ChromiumPolicy | undefined;
    let ffCleanup: (() => void) | undefined;
    let page: TestPage;
    const site = () => world.net.v2.origin;

    beforeAll(async () => {
      world = await startWorld(kind, {
        launch: async (net) => {
          if (kind === 'chromium') {
            const dir = extensionDir('chromium');
            chromePolicy = chromiumPolicy(dir, agentPolicy(net, 'e2e-1'));
            const ext = await launchChromium(dir);
            // the id the policy is keyed by is the one Chromium gave the unpacked extension
            expect(ext.extensionOrigin).toBe(`chrome-extension://${chromiumExtensionId(dir)}`);
            return ext;
          }
          const ff = firefoxWithPolicy(agentPolicy(net, 'e2e-1'));
          ffCleanup = ff.remove;
          return launchFirefox(net.v2.url('/page'), undefined, { executablePath: ff.executablePath });
        },
      });
      page = await world.ext.newPage();
      await page.goto(world.net.v2.url('/page'));
      await page.evaluate(() => {
        const w = window as Window & { __refusals?: Refusal[] };
        w.__refusals = [];
        window.addEventListener('x402:refused', (e) => w.__refusals!.push((e as CustomEvent<Refusal>).detail));
      });
    });
    afterAll(async () => {
      await world?.close().catch(() => undefined);
      chromePolicy?.remove();
      ffCleanup?.();
    });

    it('the wallet reads the operator policy from managed storage', async () => {
      const m = await world.ext.call<{ active: boolean; version: string; agentMode: boolean; errors: string[]; sites: { site: string }[] }>('managed.get');
      expect(m.value).toMatchObject({ active: true, version: 'e2e-1', agentMode: true, errors: [] });
      expect(m.value!.sites.map((s) => s.site)).toContain(site());
    });

    it('pays the official v2 server with zero clicks within the caps; beyond them the page gets the 402 with a readable reason', async () => {
      const before = await balances(world.net, 'v2');
      expect((await pageFetch(page, world.net.v2.url('/api/data?n=1'))).status).toBe(200);
      expect((await pageXhr(page, world.net.v2.url('/api/data?n=2'))).status).toBe(200);
      // $0.02 of $0.025 used today: the next $0.01 is over the daily cap
      const f = await pageFetch(page, world.net.v2.url('/api/data?n=3'));
      expect(f.status).toBe(402);
      expect(f.refusal).toMatchObject({ code: 'period-cap-day', cap: 'day', url: world.net.v2.url('/api/data?n=3') });
      expect(f.refusal!.retryAfter).toBeGreaterThan(0);
      expect(f.refusal!.message).toMatch(/daily|today/i);
      const x = await pageXhr(page, world.net.v2.url('/api/data?n=4'));
      expect(x.status).toBe(402);
      expect(x.refusal).toMatchObject({ code: 'period-cap-day', cap: 'day' });
      const events = await page.evaluate(() => (window as Window & { __refusals?: Refusal[] }).__refusals);
      expect(events!.map((e) => [e.code, e.url])).toEqual([
        ['period-cap-day', world.net.v2.url('/api/data?n=3')],
        ['period-cap-day', world.net.v2.url('/api/data?n=4')],
      ]);
      // never a window an agent cannot answer
      expect(await world.ext.pages(isApproval(world.ext))).toHaveLength(0);
      expect((await world.ext.call<unknown[]>('approvals.list')).value).toEqual([]);
      await until(async () => (await balances(world.net, 'v2')).merchant === before.merchant + 2n * PRICES.data, 'two settlements on chain');
    });

    it('a network the operator did not allow is refused with its code', async () => {
      // the v2 page's /api/both offers EVM (allowed) and Solana (not in allowedNetworks): only EVM may be used,
      // and it is over the day cap now → refused for the cap, never for Solana
      const r = await pageFetch(page, world.net.v2.url('/api/both'));
      expect(r.status).toBe(402);
      expect(r.refusal!.code).toBe('period-cap-day');
    });

    it('the user cannot loosen a managed cap: refused by the background, read-only in the options page', async () => {
      const loosen = await world.ext.call('sites.save', { site: site(), mode: 'auto', paused: false, perPaymentUsd: '0.05', dayUsd: '100' });
      expect(loosen.ok).toBe(false);
      expect(loosen.error).toMatchObject({ code: 'managed' });
      expect(loosen.error!.message).toMatch(/managed by your organisation/);
      const global = await world.ext.call('settings.update', { globalDailyUsd: '50' });
      expect(global.error).toMatchObject({ code: 'managed' });
      const opts = await world.ext.openExtensionPage('/options.html'); // the Sites tab is the default
      const card = `[data-testid="site-card"][data-site="${site()}"]`;
      await opts.waitFor(`${card} [data-testid="site-dayUsd"]`, 15_000);
      const state = await opts.evaluate((c) => {
        const el = document.querySelector(`${c} [data-testid="site-dayUsd"]`) as HTMLInputElement;
        const mode = document.querySelector(`${c} [data-testid="site-mode"]`) as HTMLSelectElement;
        return { readOnly: el.readOnly, value: el.value, modeDisabled: mode.disabled, badge: document.querySelector(`${c} [data-testid="managed-badge"]`)?.textContent ?? '' };
      }, card);
      expect(state).toMatchObject({ readOnly: true, value: '0.025', modeDisabled: true });
      expect(state.badge).toMatch(/Managed by your organisation/);
      await opts.close();
      // still refused: the cap did not move
      expect((await pageFetch(page, world.net.v2.url('/api/data?n=5'))).refusal?.code).toBe('period-cap-day');
    });

    it.skipIf(kind === 'firefox')('a policy change takes effect without a restart (Chromium re-reads its policy files)', async () => {
      const next = agentPolicy(world.net, 'e2e-2');
      (next.sites as { site: string; dayUsd: string }[])[0]!.dayUsd = '1.00';
      chromePolicy!.write(next);
      await until(async () => (await world.ext.call<{ version: string }>('managed.get')).value?.version === 'e2e-2', 'the new policy version', 45_000);
      expect((await pageFetch(page, world.net.v2.url('/api/data?n=6'))).status).toBe(200);
    });

    it('every decision is in the audit, with the policy version (JSON Lines and CSV)', async () => {
      const a = await world.ext.call<{ text: string; count: number }>('audit.export', { format: 'jsonl' });
      const recs = a.value!.text.trim().split('\n').map((l) => JSON.parse(l) as { outcome: string; code: string; policyVersion: string; by: string; agentMode: boolean; site: string; amount?: string });
      expect(recs.slice(0, 2).map((r) => [r.outcome, r.code, r.policyVersion, r.by])).toEqual([
        ['paid', 'paid', 'e2e-1', 'auto'],
        ['paid', 'paid', 'e2e-1', 'auto'],
      ]);
      expect(recs.filter((r) => r.code === 'period-cap-day').length).toBeGreaterThanOrEqual(3);
      expect(recs.every((r) => r.agentMode && r.site === site())).toBe(true);
      if (kind === 'chromium') expect(recs.at(-1)).toMatchObject({ outcome: 'paid', policyVersion: 'e2e-2' });
      const csv = await world.ext.call<{ text: string }>('audit.export', { format: 'csv' });
      expect(csv.value!.text.split('\r\n')[0]).toMatch(/^seq,time,outcome,by,code/);
    });

    it('page API: an allowed site pays through window.x402 (same budget), cannot read the account or approve itself', async () => {
      const origin = world.net.v2.frameOrigin;
      const url = `${origin}/api/data?api=1`;
      const api = await world.ext.newPage();
      await api.goto(`${origin}/page`);
      await until(() => api.evaluate(() => typeof (window as Window & { x402?: unknown }).x402 === 'object'), 'window.x402 on the allowed site', 10_000);
      const caps = await api.evaluate(() => (window as any).x402.getCapabilities());
      expect(caps).toMatchObject({ x402Versions: [1, 2] });
      // every scheme the wallet signs on the listed networks: EVM exact and upto at least
      expect(caps.schemes).toEqual(expect.arrayContaining(['exact', 'upto']));
      expect(caps.networks).toContain(`eip155:${world.net.v2.chainId}`);
      const status = await world.ext.call<{ activeAddress: string; activeSvmAddress?: string }>('wallet.status');
      expect(JSON.stringify(caps).toLowerCase()).not.toContain(status.value!.activeAddress.toLowerCase());
      // the requirements the server asks for (as the page's own code would know them)
      const pr = (await fetch(url)).headers.get('payment-required')!;
      const requirements = JSON.parse(Buffer.from(pr, 'base64').toString('utf8'));
      const before = await balances(world.net, 'v2');
      const paid = await api.evaluate(
        async ({ requirements, url }) => {
          const w = window as any;
          const events: unknown[] = [];
          window.addEventListener('x402:payment', (e) => events.push((e as CustomEvent).detail));
          const h = await w.x402.pay(requirements, { resource: url });
          const r = await fetch(url, { headers: { [h.headerName]: h.headerValue } });
          return { status: r.status, headerName: h.headerName, events };
        },
        { requirements, url },
      );
      expect(paid).toMatchObject({ status: 200, headerName: 'PAYMENT-SIGNATURE', events: [{ outcome: 'paid', url }] });
      await until(async () => (await balances(world.net, 'v2')).merchant === before.merchant + PRICES.data, 'the page-API payment on chain');
      // over the per-payment cap ($0.05): the same policy path refuses, with the code, and nothing asks
      const over = structuredClone(requirements);
      over.accepts = over.accepts.map((a: { amount: string }) => ({ ...a, amount: '100000' }));
      const refusedPay = await api.evaluate(
        ({ over, url }) => (window as any).x402.pay(over, { resource: url }).then(() => null, (e: { code: string; cap?: string }) => ({ code: e.code, cap: e.cap })),
        { over, url },
      );
      expect(refusedPay).toEqual({ code: 'over-per-payment-cap', cap: 'per-payment' });
      // another origin's resource is not the page's to pay for
      const cross = await api.evaluate(
        ({ requirements, url }) => (window as any).x402.pay(requirements, { resource: url }).then(() => null, (e: { code: string }) => e.code),
        { requirements, url: world.net.v2.url('/api/data') },
      );
      expect(cross).toBe('cross-origin-resource');
      // approving is not a message a page can send: the bridge relays none (no answer), and no approval exists
      const forged = await api.evaluate(
        () =>
          new Promise((resolve) => {
            const id = 'forged-approval-1';
            window.addEventListener('message', (e) => e.data?.id === id && e.data?.dir === 'to-page' && resolve(e.data));
            window.postMessage({ channel: '__x402_wallet_v1', dir: 'to-ext', id, kind: 'approvals.decide', payload: { id: 'x', decision: { kind: 'pay-once', optionIndex: 0 } } }, location.origin);
            setTimeout(() => resolve('no answer'), 1500);
          }),
      );
      expect(forged).toBe('no answer');
      expect((await world.ext.call<unknown[]>('approvals.list')).value).toEqual([]);
      expect(await world.ext.pages(isApproval(world.ext))).toHaveLength(0);
      await api.close();
    });

    it('page API: refused on a site without the permission (no window.x402; a forged call is refused)', async () => {
      // the v2 origin has a budget but not the page API
      expect(await page.evaluate(() => 'x402' in window)).toBe(false);
      const answer = await page.evaluate(
        (resource) =>
          new Promise((resolve) => {
            const id = 'forged-pay-1';
            window.addEventListener('message', (e) => e.data?.id === id && e.data?.answer && resolve(e.data.answer));
            window.postMessage({ channel: '__x402_wallet_v1', dir: 'to-ext', id, kind: 'api.pay', payload: { requirements: { x402Version: 2 }, resource } }, location.origin);
            setTimeout(() => resolve('no answer'), 5000);
          }),
        world.net.v2.url('/api/data'),
      );
      expect(answer).toMatchObject({ action: 'pass', code: 'page-api-not-allowed' });
      const caps = await page.evaluate(
        () =>
          new Promise((resolve) => {
            const id = 'forged-caps-1';
            window.addEventListener('message', (e) => e.data?.id === id && e.data?.answer && resolve(e.data.answer));
            window.postMessage({ channel: '__x402_wallet_v1', dir: 'to-ext', id, kind: 'api.caps' }, location.origin);
            setTimeout(() => resolve('no answer'), 5000);
          }),
      );
      expect(caps).toMatchObject({ refused: { code: 'page-api-not-allowed' } });
    });
  });
}

describe('npm run agent (scripts/agent.ts)', () => {
  for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
    it.skipIf(kind === 'chromium' && noChromiumPolicy !== null)(`completes a paid run in ${kind} and exports the audit`, async () => {
      const out = path.join(tmpdir(), `x402-agent-audit-${kind}-${process.pid}.jsonl`);
      const lines: string[] = [];
      try {
        const r = await runAgent({ kind, build: false, out, requests: 3, log: (l) => lines.push(l) });
        expect(r.results.map((x) => x.status)).toEqual([200, 200, 402]);
        expect(r.results[2]!.refusal).toMatchObject({ code: 'period-cap-day' });
        expect(r.events.map((e) => e.code)).toEqual(['period-cap-day']);
        expect(r.approvalWindows).toBe(0);
        const audit = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
        expect(audit.map((x: { outcome: string }) => x.outcome)).toEqual(['paid', 'paid', 'refused']);
        expect(lines.join('\n')).toMatch(/Paid 2, refused 1, approval windows opened: 0/);
        // the key came from the policy's encrypted keystore, unlocked with the script's password
        expect(lines.join('\n')).toMatch(/Provisioned wallet 0x[0-9a-fA-F]{40} unlocked/);
      } finally {
        rmSync(out, { force: true });
      }
    });
  }
});
