/**
 * Browser harness: loads the built extension (test build, `.output/<target>-test`) into
 * Debian's Chromium (playwright-core) or Firefox ESR (puppeteer-core over WebDriver BiDi)
 * and gives the tests one small interface for both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page as PwPage, type Worker } from 'playwright-core';
import puppeteer, { type Browser as PpBrowser, type Page as PpPage } from 'puppeteer-core';
import { browserPath } from '../../scripts/browsers.ts';

export type BrowserKind = 'chromium' | 'firefox';
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const FIREFOX_ID = 'wallet@x402.local';
export const FIREFOX_UUID = '5f0b9d2c-4a1e-4c3b-9a57-402402402402';

export function extensionDir(kind: BrowserKind, mode: 'test' | 'release' = 'test'): string {
  const target = kind === 'chromium' ? 'chrome-mv3' : 'firefox-mv3';
  return path.join(ROOT, '.output', mode === 'test' ? `${target}-test` : target);
}

export interface TestPage {
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  click(selector: string): Promise<void>;
  fill(selector: string, text: string): Promise<void>;
  press(key: string): Promise<void>;
  text(selector: string): Promise<string>;
  waitFor(selector: string, timeoutMs?: number): Promise<void>;
  waitForText(selector: string, pattern: RegExp, timeoutMs?: number): Promise<string>;
  isClosed(): boolean;
  /** the page's real URL (Firefox's BiDi reports extension pages as about:blank) */
  url(): Promise<string>;
  close(): Promise<void>;
  screenshot(file: string): Promise<void>;
  setViewport(width: number, height: number): Promise<void>;
  /** Chromium only: emulate the system's prefers-color-scheme (null: back to the real one) */
  emulateColorScheme?(scheme: 'light' | 'dark' | null): Promise<void>;
  /** makes the page's tab the active one and its window the focused one */
  bringToFront(): Promise<void>;
}

export interface ExtensionBrowser {
  kind: BrowserKind;
  /** chrome-extension://<id> or moz-extension://<uuid> */
  extensionOrigin: string;
  newPage(): Promise<TestPage>;
  /** opens one of the extension's own pages in a tab, e.g. '/popup.html' */
  openExtensionPage(pathAndQuery: string): Promise<TestPage>;
  /** waits for a page (tab or window) whose URL matches, e.g. the approval window */
  waitForPage(match: (url: string) => boolean, timeoutMs?: number): Promise<TestPage>;
  /** pages currently open whose URL matches */
  pages(match: (url: string) => boolean): Promise<TestPage[]>;
  /** sends a privileged request from an extension page, like the UI does */
  call<T = unknown>(type: string, payload?: unknown): Promise<{ ok: boolean; value?: T; error?: { code: string; message: string } }>;
  /** Chromium only: kill the MV3 service worker the way Chrome does when idle. */
  stopServiceWorker(): Promise<void>;
  /**
   * Kill the background and let it start again, losing everything in memory: Chromium stops the
   * service worker (the next event starts it); Firefox reloads the extension. Resolves once the
   * background answers again.
   */
  restartBackground(): Promise<void>;
  /**
   * What a browser restart does to the extension: Chromium closes the whole browser and starts it
   * again on the same profile (storage.local kept; storage.session, memory and the worker gone;
   * every page closed); Firefox reloads the extension (a temporary add-on does not survive a real
   * Firefox restart; the reload clears storage.session the same way). Resolves once the
   * background answers again.
   */
  restartBrowser(): Promise<void>;
  close(): Promise<void>;
}

const POLL = 50;
async function until<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v as T;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, POLL));
  }
}

// ---------------------------------------------------------------- Chromium (playwright-core)
function wrapPw(p: PwPage): TestPage {
  return {
    goto: async (url) => void (await p.goto(url)),
    reload: async () => void (await p.reload()),
    evaluate: (fn, arg) => p.evaluate(fn as never, arg) as never,
    click: (s) => p.click(s),
    fill: (s, t) => p.fill(s, t),
    press: (k) => p.keyboard.press(k),
    text: async (s) => (await p.textContent(s)) ?? '',
    waitFor: async (s, t = 10_000) => void (await p.waitForSelector(s, { timeout: t })),
    waitForText: (s, re, t = 10_000) =>
      until(async () => {
        const txt = (await p.textContent(s, { timeout: 200 }).catch(() => null)) ?? '';
        return re.test(txt) ? txt : null;
      }, t, `${s} ~ ${re}`),
    isClosed: () => p.isClosed(),
    url: async () => p.url(),
    close: () => p.close(),
    screenshot: async (file) => void (await p.screenshot({ path: file })),
    setViewport: (width, height) => p.setViewportSize({ width, height }),
    emulateColorScheme: (scheme) => p.emulateMedia({ colorScheme: scheme }),
    bringToFront: () => p.bringToFront(),
  };
}

export async function launchChromium(dir = extensionDir('chromium')): Promise<ExtensionBrowser> {
  const userDir = mkdtempSync(path.join(tmpdir(), 'x402-chromium-'));
  const launch = () => chromium.launchPersistentContext(userDir, {
    executablePath: browserPath('chromium'),
    headless: false,
    args: [
      '--headless=new',
      `--disable-extensions-except=${dir}`,
      `--load-extension=${dir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      // profiling from outside (bench/profile-worker.ts): a CDP port beside Playwright's pipe
      ...(process.env.X402_CDP_PORT ? [`--remote-debugging-port=${process.env.X402_CDP_PORT}`] : []),
    ],
  });
  let ctx: BrowserContext = await launch();
  const sw: Worker = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker', { timeout: 15_000 }));
  const id = new URL(sw.url()).host;
  const origin = `chrome-extension://${id}`;
  let caller: PwPage | null = null;
  const api: ExtensionBrowser = {
    kind: 'chromium',
    extensionOrigin: origin,
    newPage: async () => wrapPw(await ctx.newPage()),
    openExtensionPage: async (p) => {
      const page = await ctx.newPage();
      await page.goto(origin + p);
      return wrapPw(page);
    },
    waitForPage: async (match, t = 15_000) => {
      const existing = ctx.pages().find((p) => match(p.url()));
      if (existing) return wrapPw(existing);
      const page = await ctx.waitForEvent('page', { predicate: (p) => match(p.url()), timeout: t }).catch(async () => {
        const again = ctx.pages().find((p) => match(p.url()));
        if (again) return again;
        throw new Error('no page matched in time');
      });
      await page.waitForLoadState('domcontentloaded');
      return wrapPw(page);
    },
    pages: async (match) => ctx.pages().filter((p) => match(p.url())).map(wrapPw),
    call: async (type, payload) => {
      if (!caller || caller.isClosed()) {
        caller = await ctx.newPage();
        await caller.goto(`${origin}/popup.html`);
      }
      return caller.evaluate(
        ([t, p]) => (globalThis as any).chrome.runtime.sendMessage({ channel: 'x402.privileged', type: t, payload: p }),
        [type, payload] as const,
      );
    },
    stopServiceWorker: async () => {
      // Playwright keeps listing a stopped worker, so wait for CDP to report it stopped.
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      const cdp = await ctx.newCDPSession(page);
      const status = new Map<string, string>();
      const stopped = new Set<string>();
      let asked = false;
      cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
        for (const v of e.versions) {
          if (!v.scriptURL.startsWith(origin)) continue;
          status.set(v.versionId, v.runningStatus);
          // an event may start the worker again at once: having stopped once is what counts
          if (asked && v.runningStatus === 'stopped') stopped.add(v.versionId);
        }
      });
      await cdp.send('ServiceWorker.enable');
      asked = true;
      await cdp.send('ServiceWorker.stopAllWorkers');
      await until(async () => status.size > 0 && [...status].every(([k, s]) => s === 'stopped' || stopped.has(k)), 10_000, 'service worker to stop');
      await cdp.detach();
    },
    restartBackground: async () => {
      await api.stopServiceWorker();
      await until(async () => (await api.call('wallet.status')).ok, 15_000, 'the restarted service worker');
    },
    restartBrowser: async () => {
      await ctx.close();
      ctx = await launch();
      caller = null;
      await until(async () => (await api.call('wallet.status')).ok, 20_000, 'the restarted browser');
    },
    close: async () => {
      await ctx.close();
      rmSync(userDir, { recursive: true, force: true });
    },
  };
  return api;
}

// ---------------------------------------------------------------- Firefox (puppeteer-core, BiDi)
async function realUrl(p: PpPage): Promise<string> {
  if (p.isClosed()) return '';
  const u = p.url();
  if (u !== 'about:blank') return u;
  return p.evaluate(() => location.href).catch(() => u);
}

function wrapPp(p: PpPage): TestPage {
  return {
    goto: async (url) => void (await p.goto(url)),
    reload: async () => void (await p.reload()),
    evaluate: (fn, arg) => p.evaluate(fn as never, arg) as never,
    click: (s) => p.click(s),
    fill: async (s, t) => {
      // a page re-rendering between the clear and the typing (a controlled input put back by a
      // periodic refresh) would leave old text in front of the new: type again until it holds
      for (let attempt = 0; ; attempt++) {
        await p.$eval(s, (el) => ((el as HTMLInputElement).value = ''));
        await p.type(s, t);
        const now = await p.$eval(s, (el) => (el as HTMLInputElement).value);
        if (now === t || attempt >= 2) return;
      }
    },
    press: (k) => p.keyboard.press(k as never),
    text: async (s) => (await p.$eval(s, (el) => el.textContent ?? '')) ?? '',
    waitFor: async (s, t = 10_000) => void (await p.waitForSelector(s, { timeout: t })),
    waitForText: (s, re, t = 10_000) =>
      until(async () => {
        const txt = await p.$eval(s, (el) => el.textContent ?? '').catch(() => '');
        return re.test(txt) ? txt : null;
      }, t, `${s} ~ ${re}`),
    isClosed: () => p.isClosed(),
    url: () => realUrl(p),
    close: () => p.close(),
    screenshot: async (file) => void (await p.screenshot({ path: file as `${string}.png` })),
    setViewport: (width, height) => p.setViewport({ width, height }),
    bringToFront: () => p.bringToFront(),
  };
}

/**
 * Firefox. `hookPageUrl` must be an http://127.0.0.1 or http://localhost page: the test
 * build's hook content script there opens extension pages on request.
 */
export async function launchFirefox(
  hookPageUrl: string,
  dir = extensionDir('firefox'),
  opts: { executablePath?: string; prefs?: Record<string, unknown> } = {},
): Promise<ExtensionBrowser> {
  const browser: PpBrowser = await puppeteer.launch({
    browser: 'firefox',
    // a private install (tests/browser/provision.ts) carries its own distribution/policies.json
    executablePath: opts.executablePath ?? browserPath('firefox'),
    headless: true,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ID]: FIREFOX_UUID }),
      // popups opened by the extension become normal tabs we can find
      'browser.link.open_newwindow.restriction': 0,
      ...opts.prefs,
    },
  });
  await browser.installExtension(dir);
  const origin = `moz-extension://${FIREFOX_UUID}`;
  let caller: PpPage | null = null;
  const matching = async (match: (u: string) => boolean) => {
    const out: PpPage[] = [];
    for (const p of await browser.pages()) if (match(await realUrl(p))) out.push(p);
    return out;
  };
  const findPage = async (match: (u: string) => boolean) => (await matching(match))[0];

  const openExtensionPage = async (p: string): Promise<TestPage> => {
    const launcher = await browser.newPage();
    await launcher.goto(hookPageUrl);
    const want = origin + p;
    const before = new Set(await browser.pages());
    // The hook content script may not be attached yet at the very first load: retry.
    const page = await until(async () => {
      await launcher.evaluate((path) => window.postMessage({ __x402test: { type: 'openTab', path } }, '*'), p);
      await new Promise((r) => setTimeout(r, 300));
      return (await matching((u) => u.startsWith(want.split('?')[0]!))).find((x) => !before.has(x));
    }, 10_000, `extension page ${p}`);
    await launcher.close();
    await page.waitForSelector('body');
    return wrapPp(page);
  };

  const api: ExtensionBrowser = {
    kind: 'firefox',
    extensionOrigin: origin,
    newPage: async () => wrapPp(await browser.newPage()),
    openExtensionPage,
    waitForPage: async (match, t = 15_000) =>
      wrapPp(await until(() => findPage(match), t, 'a matching page')),
    pages: async (match) => (await matching(match)).map(wrapPp),
    call: async (type, payload) => {
      const send = async () => {
        if (!caller || caller.isClosed() || !(await realUrl(caller)).startsWith(`${origin}/popup.html`)) {
          const before = new Set(await browser.pages());
          await openExtensionPage('/popup.html');
          caller = (await matching((u) => u.startsWith(`${origin}/popup.html`))).find((x) => !before.has(x))!;
        }
        return caller.evaluate(
          (t, p) => (globalThis as any).browser.runtime.sendMessage({ channel: 'x402.privileged', type: t, payload: p }),
          type,
          payload as never,
        );
      };
      // Puppeteer may still hold a tab that was closed or navigated elsewhere: reopen once.
      return send().catch(() => {
        caller = null;
        return send();
      });
    },
    stopServiceWorker: async () => {
      throw new Error('Firefox runs the background as an event page; use Chromium to test worker restarts');
    },
    restartBackground: async () => {
      const ask = async () => {
        const c = caller && !caller.isClosed() ? caller : null;
        if (!c) throw new Error('no extension page to ask from');
        return c.evaluate(() => (globalThis as any).browser.runtime.sendMessage({ channel: 'x402.test', type: 'test.reloadExtension' }));
      };
      await api.call('wallet.status'); // makes sure an extension page is open to ask from
      await ask();
      await until(async () => caller === null || caller.isClosed() || !(await realUrl(caller)).startsWith(origin), 10_000, 'the extension to unload');
      caller = null;
      await until(async () => (await api.call('wallet.status')).ok, 20_000, 'the reloaded extension');
    },
    restartBrowser: () => api.restartBackground(),
    close: async () => {
      await browser.close();
    },
  };
  return api;
}
