import { browser } from 'wxt/browser';
import { PAGE_CHANNEL, type ContentType, type Envelope, type Result } from '@/lib/messaging/contract';

/**
 * The bridge (ISOLATED world): relays exactly five message shapes from the page (the wrapper's
 * handler request, 402 and result; the page API's capabilities and pay) to the background and the answer back. It never adds identity: the background learns the frame
 * and the site from the browser's `sender`. Anything else posted by the page is ignored.
 */
// a Map, not an object: a page-sent kind like "constructor" must find nothing
const KINDS = new Map<unknown, ContentType>([
  ['load', 'content.loadHandler'],
  ['402', 'content.402'],
  ['result', 'content.result'],
  ['api.caps', 'content.apiCaps'],
  ['api.pay', 'content.apiPay'],
]);

// Registered by the background for the sites the wallet works on (lib/background/activation.ts).
export default defineContentScript({
  registration: 'runtime',
  matches: ['http://*/*', 'https://*/*'],
  runAt: 'document_start',
  allFrames: true,
  main() {
    const origin = location.origin === 'null' ? '*' : location.origin;
    const reply = (id: string, body: object) =>
      window.postMessage({ channel: PAGE_CHANNEL, dir: 'to-page', id, ...body }, origin);

    window.addEventListener('message', (ev: MessageEvent) => {
      const d = ev.data as { channel?: unknown; dir?: unknown; id?: unknown; kind?: unknown; payload?: unknown } | null;
      if (ev.source !== window || !d || d.channel !== PAGE_CHANNEL || d.dir !== 'to-ext') return;
      if (typeof d.id !== 'string' || d.id.length > 64) return;
      const id = d.id;
      const type = KINDS.get(d.kind);
      if (!type) return;
      if (type === 'content.402') reply(id, { ack: true });
      const envelope: Envelope = { channel: 'x402.content', type, payload: d.payload };
      browser.runtime.sendMessage(envelope).then(
        (res: Result<unknown> | undefined) => {
          if (type === 'content.result' || type === 'content.loadHandler') return;
          reply(id, { answer: res && res.ok ? res.value : { action: 'pass', reason: res?.error.message ?? 'no answer', code: 'unavailable' } });
        },
        () => {
          if (type !== 'content.result' && type !== 'content.loadHandler') reply(id, { answer: { action: 'pass', reason: 'x402 Wallet is unavailable', code: 'unavailable' } });
        },
      );
    });
  },
});
