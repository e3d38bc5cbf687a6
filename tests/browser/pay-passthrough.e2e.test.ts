/**
 * Non-402 traffic is untouched: the same page makes the same requests (fetch and XHR; JSON,
 * UTF-8 text, binary, HTML, a 404, a 500, a redirect, a CORS failure) in a browser with the
 * extension and in the same browser without it; status, every response header (but Date)
 * and the SHA-256 of the body bytes must be identical. Both Chromium and Firefox.
 */
import { chromium, type Browser as PwBrowser } from 'playwright-core';
import puppeteer, { type Browser as PpBrowser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserKind } from './harness';
import { startWorld, type World } from './world';

interface Probe {
  via: 'fetch' | 'xhr';
  path: string;
}
type Outcome = Record<string, unknown>;

/** Runs in the page: requests every probe and describes the responses byte for byte. */
async function probeAll(probes: Probe[]): Promise<Outcome[]> {
  const hex = async (buf: ArrayBuffer) =>
    Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', buf)), (b) => b.toString(16).padStart(2, '0')).join('');
  const out: Outcome[] = [];
  for (const p of probes) {
    if (p.via === 'fetch') {
      try {
        const res = await fetch(p.path);
        const buf = await res.arrayBuffer();
        out.push({
          ...p,
          status: res.status,
          statusText: res.statusText,
          ok: res.ok,
          redirected: res.redirected,
          url: res.url,
          type: res.type,
          headers: [...res.headers].filter(([k]) => k !== 'date').sort(),
          length: buf.byteLength,
          sha256: await hex(buf),
        });
      } catch (e) {
        out.push({ ...p, error: (e as Error).name });
      }
    } else {
      out.push(
        await new Promise<Outcome>((resolve) => {
          const xhr = new XMLHttpRequest();
          const states: number[] = [];
          xhr.onreadystatechange = () => states.push(xhr.readyState);
          xhr.open('GET', p.path);
          xhr.responseType = 'arraybuffer';
          xhr.onloadend = async () => {
            const buf = (xhr.response as ArrayBuffer | null) ?? new ArrayBuffer(0);
            resolve({
              ...p,
              status: xhr.status,
              statusText: xhr.statusText,
              url: xhr.responseURL,
              states,
              headers: xhr
                .getAllResponseHeaders()
                .trim()
                .split(/\r\n/)
                .filter((l) => l && !/^date:/i.test(l))
                .sort(),
              length: buf.byteLength,
              sha256: await hex(buf),
            });
          };
          xhr.send();
        }),
      );
    }
  }
  return out;
}

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`non-402 traffic is byte-identical with and without the extension (${kind})`, () => {
    let w: World;
    let plainPw: PwBrowser | undefined;
    let plainPp: PpBrowser | undefined;

    beforeAll(async () => {
      w = await startWorld(kind);
      if (kind === 'chromium')
        plainPw = await chromium.launch({
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          headless: false,
          args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
        });
      else
        plainPp = await puppeteer.launch({
          browser: 'firefox',
          executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
          headless: true,
        });
    });
    afterAll(async () => {
      await plainPw?.close();
      await plainPp?.close();
      await w?.close();
    });

    it('fetch and XHR: status, headers and body bytes match a browser without the extension', async () => {
      const { net, ext } = w;
      const paths = ['/free', '/free/bytes', '/free/text', '/free/error', '/free/redirect', '/no-such-route', '/page', `${net.v2.frameOrigin}/free`];
      const probes: Probe[] = [
        ...paths.map((path) => ({ via: 'fetch' as const, path })),
        ...['/free', '/free/bytes', '/free/text', '/free/error', '/free/redirect'].map((path) => ({ via: 'xhr' as const, path })),
      ];
      const pageUrl = net.v2.url('/page');

      const withExt = await ext.newPage();
      await withExt.goto(pageUrl);
      expect(await withExt.evaluate(() => (window as any).__x402WrapperInstalled === true)).toBe(true);
      const a = await withExt.evaluate(probeAll, probes);
      // ordinary traffic never loads the wrapper's handler (it is injected on a frame's first 402 only)
      expect(await withExt.evaluate(() => (window as any).__x402HandlerLoaded ?? null)).toBeNull();
      await withExt.close();

      let b: Outcome[];
      if (plainPw) {
        const p = await plainPw.newPage();
        await p.goto(pageUrl);
        expect(await p.evaluate(() => (window as any).__x402WrapperInstalled)).toBeUndefined();
        b = await p.evaluate(probeAll, probes);
        await p.close();
      } else {
        const p = await plainPp!.newPage();
        await p.goto(pageUrl);
        expect(await p.evaluate(() => (window as any).__x402WrapperInstalled ?? null)).toBeNull();
        b = await p.evaluate(probeAll, probes);
        await p.close();
      }

      // sanity: the probes really cover what they claim
      const byPath = (list: Outcome[], via: string, path: string) => list.find((o) => o.via === via && o.path === path)!;
      expect(byPath(b, 'fetch', '/free/bytes')).toMatchObject({ status: 200, length: 4096 });
      expect(byPath(b, 'fetch', '/free/error')).toMatchObject({ status: 500 });
      expect(byPath(b, 'fetch', '/no-such-route')).toMatchObject({ status: 404 });
      expect(byPath(b, 'fetch', '/free/redirect')).toMatchObject({ status: 200, redirected: true });
      expect(byPath(b, 'fetch', `${net.v2.frameOrigin}/free`)).toMatchObject({ error: 'TypeError' });

      expect(a).toEqual(b);
    });
  });
}
