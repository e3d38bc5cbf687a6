/**
 * The background router is the trust boundary: privileged requests only from the
 * extension's own pages; content requests only on the allowlist, with the site identity
 * taken from the browser's sender (never from the payload).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import {
  HandlerError,
  installRouter,
  isExtensionPage,
  type ContentHandlers,
  type ContentSender,
  type ExtraHandlers,
  type PrivilegedHandlers,
  type Sender,
} from '../../lib/background/router';

const PRIVILEGED = ['wallet.status', 'wallet.unlock', 'wallet.reveal', 'approvals.decide', 'sites.save', 'settings.update'] as const;

let privileged: Record<string, ReturnType<typeof vi.fn>>;
let content: Record<'content.402' | 'content.result', ReturnType<typeof vi.fn>>;
let extra: Record<string, ReturnType<typeof vi.fn>>;

const extOrigin = () => browser.runtime.getURL('/').replace(/\/$/, '');
const extensionPage = (path = '/popup.html'): Sender => ({
  id: browser.runtime.id,
  url: browser.runtime.getURL(path as '/popup.html'),
  origin: extOrigin(),
});
const contentScript = (over: Partial<Sender> = {}): Sender => ({
  id: browser.runtime.id,
  url: 'https://evil.example/page',
  origin: 'https://evil.example',
  frameId: 0,
  tab: { id: 5, index: 0, url: 'https://evil.example/page' } as Sender['tab'],
  ...over,
});

/** Sends a message through the router like the browser would; returns what the sender gets. */
async function send(message: unknown, sender: Sender): Promise<unknown> {
  const results = await fakeBrowser.runtime.onMessage.trigger(message, sender);
  return results.find((r: unknown) => r !== undefined);
}

beforeEach(() => {
  fakeBrowser.reset();
  privileged = Object.fromEntries(PRIVILEGED.map((t) => [t, vi.fn(async (input: unknown) => ({ handled: t, input }))]));
  content = {
    'content.402': vi.fn(async () => ({ action: 'pass', reason: 'test' })),
    'content.result': vi.fn(async () => ({ done: true })),
  };
  extra = { 'test.extra': vi.fn(async () => 'extra-ok') };
  installRouter(privileged as unknown as PrivilegedHandlers, content as unknown as ContentHandlers, extra as unknown as ExtraHandlers);
});

describe('privileged requests', () => {
  it.each(PRIVILEGED)('%s from a content script (https page, sender.tab set) → forbidden, handler not run', async (type) => {
    const res = await send({ channel: 'x402.privileged', type, payload: { password: 'x' } }, contentScript());
    expect(res).toEqual({ ok: false, error: { code: 'forbidden', message: 'Not allowed.' } });
    expect(privileged[type]).not.toHaveBeenCalled();
  });

  it.each(PRIVILEGED)('%s from an extension page → handled with the payload', async (type) => {
    const payload = { some: 'input' };
    const res = await send({ channel: 'x402.privileged', type, payload }, extensionPage());
    expect(res).toEqual({ ok: true, value: { handled: type, input: payload } });
    expect(privileged[type]).toHaveBeenCalledTimes(1);
    expect(privileged[type]!.mock.calls[0]![0]).toEqual(payload);
  });

  it('extension pages opened in a tab (options, onboarding) are still extension pages', async () => {
    const sender = { ...extensionPage('/options.html'), tab: { id: 9, index: 0 } as Sender['tab'], frameId: 0 };
    expect(await send({ channel: 'x402.privileged', type: 'wallet.status' }, sender)).toMatchObject({ ok: true });
  });

  it('refuses look-alike senders', async () => {
    const msg = { channel: 'x402.privileged', type: 'wallet.reveal', payload: { password: 'x', what: 'mnemonic' } };
    const base = browser.runtime.getURL('/');
    const cases: Sender[] = [
      // another extension's page
      { id: 'other-extension', url: 'chrome-extension://other-extension/popup.html', origin: 'chrome-extension://other-extension' },
      // our id, but a page URL that only starts like ours
      { id: browser.runtime.id, url: base.replace(/\/$/, '') + '.evil.example/popup.html' },
      // our page URL but a web origin (content script in a web page claiming an extension URL)
      { id: browser.runtime.id, url: base + 'popup.html', origin: 'https://evil.example' },
      // content script of a frame with an http URL
      contentScript({ url: 'http://127.0.0.1:8080/page', origin: 'http://127.0.0.1:8080' }),
      // no url at all
      { id: browser.runtime.id },
      // a web page talking to us from outside (externally_connectable): different id
      { url: 'https://evil.example/', origin: 'https://evil.example' },
    ];
    for (const sender of cases) expect(await send(msg, sender)).toEqual({ ok: false, error: { code: 'forbidden', message: 'Not allowed.' } });
    expect(privileged['wallet.reveal']).not.toHaveBeenCalled();
  });

  it('unknown and inherited names are not handlers', async () => {
    for (const type of ['wallet.nope', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const res = (await send({ channel: 'x402.privileged', type }, extensionPage())) as { ok: boolean; error: { code: string } };
      expect(res.ok).toBe(false);
      expect(res.error.code).toBe('unknown');
    }
  });

  it('extra (test-build) handlers answer extension pages only', async () => {
    expect(await send({ channel: 'x402.privileged', type: 'test.extra' }, extensionPage())).toEqual({ ok: true, value: 'extra-ok' });
    expect(await send({ channel: 'x402.privileged', type: 'test.extra' }, contentScript())).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(extra['test.extra']).toHaveBeenCalledTimes(1);
  });

  it('handler errors: HandlerError keeps its code; anything else becomes a generic internal error', async () => {
    privileged['wallet.unlock']!.mockRejectedValueOnce(new HandlerError('wrong-password', 'Wrong password.', 1000));
    expect(await send({ channel: 'x402.privileged', type: 'wallet.unlock', payload: {} }, extensionPage())).toEqual({
      ok: false,
      error: { code: 'wrong-password', message: 'Wrong password.', retryAfterMs: 1000 },
    });
    privileged['wallet.status']!.mockRejectedValueOnce(new Error('secret internals 0xdeadbeef'));
    const res = (await send({ channel: 'x402.privileged', type: 'wallet.status' }, extensionPage())) as {
      error: { code: string; message: string };
    };
    expect(res.error.code).toBe('internal');
    expect(res.error.message).not.toContain('deadbeef');
  });
});

describe('content requests', () => {
  it('content types outside the allowlist are refused, even privileged names', async () => {
    for (const type of ['wallet.reveal', 'wallet.unlock', 'settings.update', 'content.pay', 'content.402 ', 'test.skewClock', 'constructor']) {
      const res = await send({ channel: 'x402.content', type, payload: {} }, contentScript());
      expect(res).toEqual({ ok: false, error: { code: 'forbidden', message: 'Not allowed.' } });
    }
    for (const h of [...Object.values(privileged), ...Object.values(content)]) expect(h).not.toHaveBeenCalled();
  });

  it('content requests need a web frame in a tab: extension pages, tabless and non-http senders are refused', async () => {
    const msg = { channel: 'x402.content', type: 'content.402', payload: { requestId: 'r', url: 'https://a/', method: 'GET' } };
    const cases: Sender[] = [
      extensionPage(),
      contentScript({ tab: undefined }),
      contentScript({ url: 'file:///etc/passwd' }),
      contentScript({ url: browser.runtime.getURL('/popup.html') }),
      contentScript({ id: 'other-extension' }),
    ];
    for (const sender of cases) expect(await send(msg, sender)).toEqual({ ok: false, error: { code: 'forbidden', message: 'Not allowed.' } });
    expect(content['content.402']).not.toHaveBeenCalled();
  });

  it('content.402 gets tab, frame and URLs from the sender, not from the payload', async () => {
    const payload = {
      requestId: 'r1',
      url: 'https://victim.example/api',
      method: 'GET',
      // a lying page: none of these may be used
      tabId: 999,
      frameId: 0,
      site: 'https://victim.example',
      tabUrl: 'https://victim.example/',
      frameUrl: 'https://victim.example/',
      origin: 'https://victim.example',
    };
    const sender = contentScript({
      url: 'https://ads.example/frame',
      origin: 'https://ads.example',
      frameId: 3,
      tab: { id: 5, index: 0, url: 'https://top.example/' } as Sender['tab'],
    });
    const res = await send({ channel: 'x402.content', type: 'content.402', payload }, sender);
    expect(res).toEqual({ ok: true, value: { action: 'pass', reason: 'test' } });
    expect(content['content.402']).toHaveBeenCalledTimes(1);
    const [input, cs] = content['content.402']!.mock.calls[0]! as [unknown, ContentSender];
    expect(input).toEqual(payload); // passed through as untrusted input…
    expect(cs).toEqual({ tabId: 5, frameId: 3, frameUrl: 'https://ads.example/frame', tabUrl: 'https://top.example/', origin: 'https://ads.example' }); // …identity from the browser
  });

  it('content.result is allowed from a web frame and gets the sender identity', async () => {
    const res = await send({ channel: 'x402.content', type: 'content.result', payload: { ticket: 't', status: 200 } }, contentScript());
    expect(res).toEqual({ ok: true, value: { done: true } });
    expect(content['content.result']!.mock.calls[0]![1]).toEqual({
      tabId: 5,
      frameId: 0,
      frameUrl: 'https://evil.example/page',
      tabUrl: 'https://evil.example/page',
      origin: 'https://evil.example',
    });
  });
});

describe('other messages', () => {
  it('non-envelopes and other channels get no answer (left to other listeners)', async () => {
    for (const m of [null, 'x', 42, {}, { type: 5 }, { channel: 'x402.test', type: 'test.skewClock', payload: { ms: 1 } }, { type: 'wallet.reveal' }])
      expect(await send(m, extensionPage())).toBeUndefined();
    for (const h of Object.values(privileged)) expect(h).not.toHaveBeenCalled();
  });

  it('isExtensionPage: our page yes, a content script no', () => {
    expect(isExtensionPage(extensionPage())).toBe(true);
    expect(isExtensionPage(contentScript())).toBe(false);
  });
});
