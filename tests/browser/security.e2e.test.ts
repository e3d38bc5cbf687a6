/**
 * Security suite (issue 16), one world per browser, many cases per world:
 *  - hostile 402 servers: every case of security-server.ts (v1 body, v2 header; EVM, Solana,
 *    TRON), in ask mode AND auto mode — the page gets its 402 at once, no approval, no payment
 *    header ever reaches the server, the activity list says why;
 *  - the approval window's security delay: Pay enables only after the window was in front for
 *    a moment, script-made clicks and keystrokes decide nothing, a real click pays;
 *  - a cross-site frame inside a site with a budget asks (naming itself and the site), and pays
 *    automatically only once "embedded content may pay from this budget" is on;
 *  - extension pages' Content-Security-Policy; the approval page unreachable from a web page;
 *  - the background's logs over the whole run contain no key, phrase, password, signature or
 *    payment payload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnemonicToAccount } from 'viem/accounts';
import { DEMO_MNEMONIC, PRICES } from '../fixture/network';
import { PAGE_CHANNEL } from '../../lib/messaging/contract';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import { startHostileServer, type HostileServer } from './security-server';
import { useWorld } from './suite';
import { balances, frameCall, isApproval, noApprovalPending, PASSWORD, type World } from './world';

const SECURITY_DELAY_MS = 800;

/** fetch from the page; 'held' when the wallet kept the request waiting (an approval would) */
function fetchStatus(url: string): Promise<number | 'held'> {
  return Promise.race([
    fetch(url).then(async (r) => {
      await r.text();
      return r.status;
    }),
    new Promise<'held'>((resolve) => setTimeout(() => resolve('held'), 15_000)),
  ]);
}

async function until<T>(fn: () => Promise<T | null | undefined | false>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** the test-build hook message, sent from an extension page */
function testHook<T>(page: TestPage, type: string, payload: unknown = {}): Promise<T> {
  return page.evaluate(
    (a: { type: string; payload: unknown }) =>
      ((globalThis as any).browser ?? (globalThis as any).chrome).runtime.sendMessage({ channel: 'x402.test', type: a.type, payload: a.payload }),
    { type, payload },
  ) as Promise<T>;
}

export const securityCounts: Record<string, number> = {};

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`security (${kind})`, () => {
    const suite = useWorld(kind);
    let w: World;
    let ext: ExtensionBrowser;
    let hostile: HostileServer;
    let page: TestPage;
    /** payment headers the real servers' pages got back, for the log scan */
    const activity = async () => ((await ext.call<{ id: string; text: string; level: string }[]>('activity.list')).value ?? []);

    beforeAll(async () => {
      ({ w, ext } = suite);
      const status = await ext.call<{ accounts: { svmAddress?: string }[] }>('wallet.status');
      hostile = await startHostileServer(w.net, status.value?.accounts?.[0]?.svmAddress ?? '');
      page = await suite.open(`${hostile.origin}/page`);
    });
    afterAll(async () => {
      await hostile?.close();
    });

    for (const mode of ['ask', 'auto'] as const) {
      it(`hostile servers, ${mode} mode: every case refused unsigned, at once, with its reason in the activity list`, async () => {
        if (mode === 'auto') {
          const r = await ext.call('sites.save', { site: hostile.origin, mode: 'auto', paused: false, dayUsd: '5.00', perPaymentUsd: '1.00' });
          expect(r.ok).toBe(true);
        }
        const before = await balances(w.net, 'v2');
        const failures: string[] = [];
        for (const c of hostile.cases) {
          const seen = new Set((await activity()).map((a) => a.id));
          const status = await page.evaluate(fetchStatus, `/h/${c.id}`);
          const pending = (await ext.call<unknown[]>('approvals.list')).value ?? [];
          const all = await activity();
          // the same line as the previous case's (same reason, same origin) is not repeated within 3 s: the newest line stands for it
          const fresh = all.filter((a) => !seen.has(a.id));
          if (fresh.length === 0 && all[0]) fresh.push(all[0]);
          const why = fresh.map((a) => a.text).join(' | ');
          if (status !== 402) failures.push(`${c.id}: page got ${status}`);
          else if (pending.length) failures.push(`${c.id}: an approval was opened`);
          else if (!fresh.some((a) => a.level === 'warning' && c.why.test(a.text))) failures.push(`${c.id}: reason ${c.why} not in "${why}"`);
          if (pending.length) {
            const win = await ext.waitForPage(isApproval(ext), 10_000);
            await win.click('[data-testid="approve-reject"]');
            await noApprovalPending(ext);
          }
        }
        expect(failures).toEqual([]);
        const stats = hostile.stats();
        for (const c of hostile.cases) expect(stats[c.id]?.withPayment, c.id).toBe(0);
        expect(await balances(w.net, 'v2')).toEqual(before);
        const hist = ((await ext.call<{ resourceUrl: string }[]>('history.list', { limit: 5000 })).value ?? []).filter((h) => h.resourceUrl.startsWith(hostile.origin));
        expect(hist).toEqual([]);
        securityCounts[`hostile-${mode}-${kind}`] = hostile.cases.length;
        console.log(`[security] ${kind} hostile servers (${mode}): ${hostile.cases.length} cases, 0 signatures`);
      }, 600_000);
    }

    it('the approval security delay: Pay enables only after the window was in front for a moment; script-made clicks and keys decide nothing; a real click pays', async () => {
      const { net } = w;
      await ext.call('sites.delete', { site: net.v2.origin });
      const top = await suite.open(net.v2.url('/page'));
      await noApprovalPending(ext);
      const result = top.evaluate(fetchStatus, '/api/cheap');
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      // time since the window's document started, when Pay became enabled
      const enabledAt = await win.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const check = () => {
              const b = document.querySelector('[data-testid="approve-pay-once"]') as HTMLButtonElement | null;
              if (b && !b.disabled) resolve(performance.now());
              else setTimeout(check, 20);
            };
            check();
          }),
      );
      expect(enabledAt).toBeGreaterThanOrEqual(SECURITY_DELAY_MS);
      // a script-made click and Enter key (what a page could fake) decide nothing
      await win.evaluate(() => {
        (document.querySelector('[data-testid="approve-pay-once"]') as HTMLButtonElement).click();
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
        document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      });
      await new Promise((r) => setTimeout(r, 1000));
      expect(((await ext.call<unknown[]>('approvals.list')).value ?? []).length).toBe(1);
      await win.click('[data-testid="approve-pay-once"]');
      expect(await result).toBe(200);
      await noApprovalPending(ext);
      await top.close();
    }, 120_000);

    it('a cross-site frame inside a site with a budget asks, naming itself; with "embedded content may pay" on it pays automatically', async () => {
      const { net } = w;
      const site = net.v2.origin;
      const frameOrigin = net.v2.frameOrigin;
      expect((await ext.call('sites.save', { site, mode: 'auto', paused: false, dayUsd: '1.00', perPaymentUsd: '0.05' })).ok).toBe(true);
      await ext.call('sites.delete', { site: frameOrigin });
      const host = await suite.open(net.v2.url('/frame-relay'));
      const b0 = await balances(net, 'v2');
      const asked = frameCall(host, 'fetchGet');
      const approval = await until(async () => ((await ext.call<any[]>('approvals.list')).value ?? [])[0], 'the frame payment to ask');
      expect(approval).toMatchObject({ site, embeddedFrom: frameOrigin, requestOrigin: frameOrigin });
      const win = await ext.waitForPage(isApproval(ext), 20_000);
      expect(await win.waitForText('[data-testid="approval-embedded-from"]', new RegExp(frameOrigin.replace(/[.:/]/g, '\\$&')), 15_000)).toBeTruthy();
      // an embedded frame's approval offers neither "allow this site" nor "block this site"
      expect(await win.evaluate(() => [!!document.querySelector('[data-testid="approve-allow"]'), !!document.querySelector('[data-testid="approve-block"]')])).toEqual([false, false]);
      await win.click('[data-testid="approve-reject"]');
      expect((await asked).status).toBe(402);
      await noApprovalPending(ext);
      expect(await balances(net, 'v2')).toEqual(b0);
      // the user lets embedded content pay from this budget
      expect((await ext.call('sites.save', { site, mode: 'auto', paused: false, dayUsd: '1.00', perPaymentUsd: '0.05', embeddedPay: true })).ok).toBe(true);
      await host.reload();
      expect((await frameCall(host, 'fetchGet')).status).toBe(200);
      expect(await ext.pages(isApproval(ext))).toHaveLength(0);
      const b1 = await balances(net, 'v2');
      expect(b0.payer - b1.payer).toBe(PRICES.data);
      await ext.call('sites.delete', { site });
      await host.close();
    }, 120_000);

    it("extension pages ship a strict CSP (no inline script, no framing); a web page cannot fetch the approval page", async () => {
      const popup = await ext.openExtensionPage('/popup.html');
      const csp = await popup.evaluate(() => ((globalThis as any).browser ?? (globalThis as any).chrome).runtime.getManifest().content_security_policy?.extension_pages as string);
      for (const d of ["script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'", "default-src 'none'"]) expect(csp).toContain(d);
      const inline = await popup.evaluate(
        () =>
          new Promise<unknown>((resolve) => {
            const s = document.createElement('script');
            s.textContent = '(window as any).__inlineRan = 1'.replace(' as any', '');
            document.head.append(s);
            setTimeout(() => resolve((window as any).__inlineRan), 200);
          }),
      );
      expect(inline).toBeUndefined();
      await popup.close();
      const approvalUrl = `${ext.extensionOrigin}/approval.html`;
      const fetched = await page.evaluate(
        (u) =>
          fetch(u).then(
            (r) => `status ${r.status}`,
            () => 'refused',
          ),
        approvalUrl,
      );
      expect(fetched).toBe('refused');
    });

    it('hostile pages: forged bridge messages, spoofed frames, self-approval, secrets, settings, floods, re-sent purchases — 0 succeed', async () => {
      const { net } = w;
      await ext.call('sites.delete', { site: hostile.origin });
      await noApprovalPending(ext);
      const settings0 = JSON.stringify((await ext.call('settings.get')).value);
      const sites0 = JSON.stringify((await ext.call('sites.list')).value);
      const hist0 = ((await ext.call<unknown[]>('history.list', { limit: 5000 })).value ?? []).length;
      const bal0 = await balances(net, 'v2');
      const ok0 = hostile.ok();
      const attacks: [string, () => Promise<unknown>, (r: any) => boolean][] = [];
      /** posts on the page channel (from this page, or from a frame made by `frame`), resolves with the bridge's answer or 'no answer' */
      const forge = (kind: unknown, payload: unknown, frame?: 'about:blank' | 'srcdoc' | 'sandbox' | 'data') =>
        page.evaluate(
          (a) =>
            new Promise<unknown>((resolve) => {
              const id = 'atk' + Math.random().toString(16).slice(2);
              const msg = { channel: a.channel, dir: 'to-ext', id, kind: a.kind, payload: a.payload };
              const listen = (win: Window) =>
                win.addEventListener('message', (ev) => {
                  const d = ev.data;
                  if (d && d.channel === a.channel && d.dir === 'to-page' && d.id === id && d.answer) resolve(d.answer);
                });
              setTimeout(() => resolve('no answer'), 4000);
              if (!a.frame) {
                listen(window);
                window.postMessage(msg, '*');
                return;
              }
              const f = document.createElement('iframe');
              const script = `window.addEventListener('message',(ev)=>{if(ev.data&&ev.data.dir==='to-page')parent.postMessage(ev.data,'*')});setTimeout(()=>window.postMessage(${JSON.stringify(msg)},'*'),300);`;
              if (a.frame === 'srcdoc') f.srcdoc = `<script>${script}</script>`;
              else if (a.frame === 'data') f.src = `data:text/html,<script>${encodeURIComponent(script)}</script>`;
              else if (a.frame === 'sandbox') {
                f.setAttribute('sandbox', 'allow-scripts');
                f.src = '/page';
                f.onload = () => f.contentWindow!.postMessage(msg, '*'); // the sandboxed frame's own bridge sees a message not from its window
              }
              document.body.append(f);
              listen(window);
              if (a.frame === 'about:blank') {
                // a same-origin child posting to the parent: the parent's bridge takes only its own window's messages
                (f.contentWindow as any).parent.postMessage(msg, '*');
                (f.contentWindow as Window).postMessage(msg, '*');
              }
            }),
          { channel: PAGE_CHANNEL, kind, payload, frame },
        );
      const passed = (r: any) => r === 'no answer' || (r && r.action === 'pass' && r.headerValue === undefined) || (r && r.refused);
      const ok = `${hostile.origin}/ok`;
      attacks.push(['forged 402 for a payable URL the page never requested', () => forge('402', { url: ok, method: 'GET' }), passed]);
      attacks.push(["forged 402 for another origin's paid URL", () => forge('402', { url: net.v2.url('/api/data'), method: 'GET' }), passed]);
      attacks.push(['forged 402 for a URL that answered 200', () => forge('402', { url: `${hostile.origin}/page`, method: 'GET' }), passed]);
      attacks.push(['forged 402 with its own v1 body', () => forge('402', { url: ok, method: 'GET', bodyText: JSON.stringify({ x402Version: 1, accepts: [] }) }), passed]);
      attacks.push(['forged 402 with its own v2 header', () => forge('402', { url: ok, method: 'GET', paymentRequired: 'e30=' }), passed]);
      attacks.push(['forged 402 with a relative URL', () => forge('402', { url: '/ok', method: 'GET' }), passed]);
      attacks.push(['forged 402 with a javascript: URL', () => forge('402', { url: 'javascript:alert(1)', method: 'GET' }), passed]);
      attacks.push(['forged 402 with a 10 KB URL', () => forge('402', { url: `${ok}?${'a'.repeat(10_000)}`, method: 'GET' }), passed]);
      attacks.push(['forged 402 with a 100-character method', () => forge('402', { url: ok, method: 'G'.repeat(100) }), passed]);
      attacks.push(['a prototype key as the kind', () => forge('constructor', { url: ok }), (r) => r === 'no answer']);
      attacks.push(['a privileged request name as the kind', () => forge('settings.update', { notifications: false, showTestnets: false }), (r) => r === 'no answer']);
      attacks.push(['a privileged approval decision as the kind', () => forge('approvals.decide', { id: 'x', decision: { kind: 'pay-once', optionIndex: 0 } }), (r) => r === 'no answer']);
      attacks.push(['a forged "paid" result for a made-up ticket', () => forge('result', { ticket: crypto.randomUUID(), status: 200, paymentResponse: Buffer.from(JSON.stringify({ success: true, transaction: '0x' + 'ab'.repeat(32), network: 'eip155:31337' })).toString('base64') }), () => true]);
      attacks.push(['a forged result with a 1 MB receipt', () => forge('result', { ticket: 'x', status: 200, paymentResponse: 'A'.repeat(1_000_000) }), () => true]);
      attacks.push(['page API pay while the page API is off', () => forge('api.pay', { requirements: {}, resource: ok }), passed]);
      attacks.push(['page API capabilities while the page API is off', () => forge('api.caps', {}), passed]);
      attacks.push(['a same-origin about:blank child posting to the parent', () => forge('402', { url: ok, method: 'GET' }, 'about:blank'), passed]);
      attacks.push(['a srcdoc frame forging a report', () => forge('402', { url: ok, method: 'GET' }, 'srcdoc'), passed]);
      attacks.push(['a sandboxed frame forging a report', () => forge('402', { url: ok, method: 'GET' }, 'sandbox'), passed]);
      attacks.push(['a data: frame forging a report', () => forge('402', { url: ok, method: 'GET' }, 'data'), passed]);
      attacks.push([
        'document.domain changed, then a forged report',
        async () => {
          await page.evaluate(() => {
            try {
              document.domain = '127.0.0.1';
            } catch {
              /* not allowed: fine */
            }
          });
          return forge('402', { url: ok, method: 'GET' });
        },
        passed,
      ]);
      attacks.push([
        'history.pushState to the paid path, then a forged report for it',
        async () => {
          await page.evaluate(() => history.pushState({}, '', '/ok'));
          const r = await forge('402', { url: ok, method: 'GET' });
          await page.evaluate(() => history.pushState({}, '', '/page'));
          return r;
        },
        passed,
      ]);
      attacks.push([
        'reading the approval page, the vault or the session key from the page',
        () =>
          page.evaluate(async (extOrigin) => {
            const out: string[] = [];
            const c = (globalThis as any).chrome;
            if (c?.storage) out.push('chrome.storage is visible');
            if (c?.runtime?.sendMessage) out.push('runtime.sendMessage is visible');
            if ((globalThis as any).browser?.storage) out.push('browser.storage is visible');
            for (const p of ['/approval.html', '/popup.html', '/options.html', '/manifest.json'])
              await fetch(extOrigin + p).then(
                () => out.push(`fetched ${p}`),
                () => undefined,
              );
            return out;
          }, ext.extensionOrigin),
        (r) => Array.isArray(r) && r.length === 0,
      ]);
      attacks.push([
        'the approval window opened or framed by the page',
        () =>
          page.evaluate(async (extOrigin) => {
            const f = document.createElement('iframe');
            f.src = `${extOrigin}/approval.html`;
            document.body.append(f);
            await new Promise((r) => setTimeout(r, 800));
            let readable = false;
            try {
              readable = !!f.contentDocument?.querySelector('[data-testid="approve-pay-once"]');
            } catch {
              readable = false;
            }
            return readable;
          }, ext.extensionOrigin),
        (r) => r === false,
      ]);
      attacks.push([
        'a flood of 1,000 forged reports in one go',
        async () => {
          const t0 = Date.now();
          const answers = await page.evaluate(
            (a) =>
              new Promise<number>((resolve) => {
                let n = 0;
                window.addEventListener('message', (ev) => {
                  const d = ev.data;
                  if (d && d.channel === a.channel && d.dir === 'to-page' && d.answer && String(d.id).startsWith('flood')) if (++n === 1000) resolve(n);
                });
                for (let i = 0; i < 1000; i++) window.postMessage({ channel: a.channel, dir: 'to-ext', id: `flood${i}`, kind: '402', payload: { url: a.url, method: 'GET' } }, '*');
                setTimeout(() => resolve(n), 60_000);
              }),
            { channel: PAGE_CHANNEL, url: ok },
          );
          // the browser stays responsive
          const t1 = Date.now();
          const s = await page.evaluate(() => fetch('/page').then((r) => r.status));
          return { answers, floodMs: t1 - t0, afterMs: Date.now() - t1, status: s };
        },
        (r) => r.answers === 1000 && r.status === 200 && r.afterMs < 5000,
      ]);
      attacks.push([
        'a flood of 1,000 real bad 402s: all refused, one activity notice, no window',
        async () => {
          const seen = new Set((await activity()).map((a) => a.id));
          const statuses = await page.evaluate(() => Promise.all(Array.from({ length: 1000 }, () => fetch('/h/evm-domain-name').then((r) => r.status, () => 0))));
          const all = await activity();
          // the same line as the previous case's (same reason, same origin) is not repeated within 3 s: the newest line stands for it
          const fresh = all.filter((a) => !seen.has(a.id));
          if (fresh.length === 0 && all[0]) fresh.push(all[0]);
          return { all402: statuses.every((s) => s === 402), notices: fresh.length, windows: (await ext.pages(isApproval(ext))).length };
        },
        (r) => r.all402 && r.notices >= 1 && r.notices <= 3 && r.windows === 0,
      ]);
      attacks.push([
        're-sending the same purchase 10 times at once: one window, one question, nothing paid',
        async () => {
          const all = page.evaluate(() => Promise.all(Array.from({ length: 10 }, () => fetch('/ok').then((r) => r.status))));
          const win = await ext.waitForPage(isApproval(ext), 20_000);
          await until(async () => ((await ext.call<unknown[]>('approvals.list')).value ?? []).length === 1, 'the queued approval');
          await new Promise((r) => setTimeout(r, 1_000)); // the nine others are refused, never queued
          const queued = ((await ext.call<unknown[]>('approvals.list')).value ?? []).length;
          const windows = (await ext.pages(isApproval(ext))).length;
          await win.close(); // closing the window rejects the waiting one
          const statuses = await all;
          return { windows, queued, statuses };
        },
        (r) => r.windows === 1 && r.queued === 1 && r.statuses.every((s: number) => s === 402),
      ]);
      attacks.push([
        'a flood of 1,000 payable 402s at once (ask mode): 10 questions, the rest refused at once with one notice, one window, the page stays responsive',
        async () => {
          const seen = new Set((await activity()).map((a) => a.id));
          const t0 = Date.now();
          const all = page.evaluate(() => {
            const w = window as unknown as { floodDone?: number };
            w.floodDone = 0;
            return Promise.all(Array.from({ length: 1000 }, (_, i) => fetch(`/ok?item=${i}`).then((r) => (w.floodDone!++, r.status), () => (w.floodDone!++, 0))));
          });
          // all but the ten asked are answered (refused) without anyone deciding
          await until(async () => (await page.evaluate(() => (window as unknown as { floodDone?: number }).floodDone ?? 0)) >= 990, '990 refused at once', 150_000);
          const refusedMs = Date.now() - t0;
          const win = await ext.waitForPage(isApproval(ext), 30_000);
          const queued = ((await ext.call<unknown[]>('approvals.list')).value ?? []).length;
          const windows = (await ext.pages(isApproval(ext))).length;
          const t1 = Date.now();
          const other = await page.evaluate(() => fetch('/page').then((r) => r.status));
          const responsiveMs = Date.now() - t1;
          await win.close();
          const statuses = await all;
          const fresh = (await activity()).filter((a) => !seen.has(a.id) && /asked for more payments at once/.test(a.text));
          const r = { queued, windows, refusedMs, responsiveMs, other, notices: fresh.length, all402: statuses.every((s: number) => s === 402) };
          console.log(`[security] ${kind} payable flood: 1,000 payable 402s in ask mode → ${queued} asked, ${1000 - queued} refused unasked in ${refusedMs} ms, ${windows} window, ${fresh.length} notice, another request ${responsiveMs} ms`);
          return r;
        },
        (r) => r.queued === 10 && r.windows === 1 && r.other === 200 && r.responsiveMs < 5_000 && r.notices >= 1 && r.notices <= 3 && r.all402,
      ]);
      const failures: string[] = [];
      for (const [name, run, safe] of attacks) {
        const r = await run().catch((e) => ({ error: String(e) }));
        if (!safe(r)) {
          failures.push(`${name}: ${JSON.stringify(r).slice(0, 300)}`);
          console.warn(`[attack] ${kind} ${failures.at(-1)}`);
        }
        const pending = (await ext.call<unknown[]>('approvals.list')).value ?? [];
        if (pending.length) {
          failures.push(`${name}: left ${pending.length} approvals waiting`);
          for (const p of await ext.pages(isApproval(ext))) await p.close();
          await noApprovalPending(ext);
        }
      }
      expect(failures).toEqual([]);
      // nothing changed: settings, budgets, history, balances; no payment header reached the server
      expect(JSON.stringify((await ext.call('settings.get')).value)).toBe(settings0);
      expect(JSON.stringify((await ext.call('sites.list')).value)).toBe(sites0);
      expect(((await ext.call<unknown[]>('history.list', { limit: 5000 })).value ?? []).length).toBe(hist0);
      expect(await balances(net, 'v2')).toEqual(bal0);
      expect(hostile.ok().withPayment - ok0.withPayment).toBe(0);
      expect(attacks.length).toBeGreaterThanOrEqual(25);
      console.log(`[security] ${kind} hostile pages: ${attacks.length} attacks, 0 succeeded`);
    }, 480_000);

    it('the background logs of the whole run hold no key, phrase, password, signature or payment payload', async () => {
      const { net } = w;
      // exercise the secret-handling paths once more: lock, a wrong password, unlock, reveal
      await ext.call('wallet.lock');
      await ext.call('wallet.unlock', { password: 'not the password' });
      expect((await ext.call('wallet.unlock', { password: PASSWORD })).ok).toBe(true);
      await ext.call('wallet.reveal', { password: PASSWORD });
      // one automatic v2 payment on the real server, whose header we know
      expect((await ext.call('sites.save', { site: net.v2.origin, mode: 'auto', paused: false, dayUsd: '1.00' })).ok).toBe(true);
      const top = await suite.open(net.v2.url('/page'));
      const header = await top.evaluate(async () => {
        const r = await fetch('/api/cheap');
        return { status: r.status, receipt: r.headers.get('PAYMENT-RESPONSE') };
      });
      expect(header.status).toBe(200);
      await ext.call('sites.delete', { site: net.v2.origin });
      const popup = await ext.openExtensionPage('/popup.html');
      const logs = await testHook<{ ok: boolean; lines: string[] }>(popup, 'test.logs');
      await popup.close();
      expect(logs.ok).toBe(true);
      // not vacuous: the run's decisions are in the log (one line each, outcome and origin only)
      expect(logs.lines.filter((l) => l.includes('[x402] payment')).length).toBeGreaterThanOrEqual(hostile.cases.length);
      const text = logs.lines.join('\n');
      const words = DEMO_MNEMONIC.split(' ');
      const account = mnemonicToAccount(DEMO_MNEMONIC);
      const pk = Buffer.from(account.getHdKey().privateKey!).toString('hex');
      const found: string[] = [];
      // three consecutive words of the phrase anywhere
      for (let i = 0; i + 3 <= words.length; i++) if (text.includes(words.slice(i, i + 3).join(' '))) found.push(`phrase words ${i}..${i + 2}`);
      if (text.toLowerCase().includes(pk)) found.push('private key');
      if (text.includes(PASSWORD) || text.includes('not the password')) found.push('password');
      if (/0x[0-9a-fA-F]{130}/.test(text)) found.push('a 65-byte signature');
      if (/[A-Za-z0-9+/]{200,}={0,2}/.test(text)) found.push('a long base64 payload');
      for (const h of hostile.paymentHeaders()) if (text.includes(h.slice(0, 60))) found.push('a payment header');
      if (header.receipt && text.includes(header.receipt)) found.push('a settlement receipt');
      expect(found).toEqual([]);
      securityCounts[`log-lines-${kind}`] = logs.lines.length;
      console.log(`[security] ${kind} background log lines scanned: ${logs.lines.length}, secrets found: 0`);
      await top.close();
    }, 120_000);
  });
}
