/**
 * The page wrapper's handler: injected by the background into a frame's MAIN world on that
 * frame's first 402 (lib/page/wrapper.ts asks for it through the bridge), then kept for the
 * frame's lifetime. Untrusted like the loader. It asks the extension (through the bridge, over
 * window.postMessage) for a payment header and retries the SAME request once with it in the
 * page's own context; on anything but an explicit "retry" the page gets the original 402,
 * carrying `x402Refusal` {code, message, url, cap?, retryAfter?}, and window gets an
 * `x402:refused` CustomEvent with the same detail.
 */
import { PAGE_CHANNEL } from '../messaging/contract';
import { HANDLER_HOOK, type Handler, type HandlerContext, type XhrState } from './wrapper';

export type PageAnswer =
  | { action: 'retry'; headerName: string; headerValue: string; ticket: string }
  | { action: 'pass'; reason: string; code?: string; cap?: string; retryAfter?: number };

const MAX_BODY = 64 * 1024;
/** The bridge acknowledges at once; without an ack the extension is gone and we pass. */
const ACK_TIMEOUT_MS = 3_000;
/** Hard ceiling so nothing ever hangs, even if the extension dies mid-approval. */
const ANSWER_TIMEOUT_MS = 10 * 60_000;

/** Hands the handler to the loader waiting in this frame (nothing happens without one). */
export function installX402Handler(win: Window & typeof globalThis): void {
  const hook = (win as unknown as Record<string, unknown>)[HANDLER_HOOK];
  if (typeof hook !== 'function') return;
  delete (win as unknown as Record<string, unknown>)[HANDLER_HOOK];
  Object.defineProperty(win, '__x402HandlerLoaded', { value: true });
  (hook as (make: (c: HandlerContext) => Handler) => void)(createHandler);
}

export function createHandler({ win, fetch: origFetch, XHR: OrigXHR, Request: OrigRequest, Headers: OrigHeaders }: HandlerContext): Handler {
  const pending = new Map<string, { ack: boolean; resolve: (a: PageAnswer) => void }>();

  win.addEventListener('message', (ev: MessageEvent) => {
    const d = ev.data as { channel?: string; dir?: string; id?: string; ack?: boolean; answer?: PageAnswer } | null;
    if (ev.source !== win || !d || d.channel !== PAGE_CHANNEL || d.dir !== 'to-page' || typeof d.id !== 'string') return;
    const p = pending.get(d.id);
    if (!p) return;
    if (d.ack) {
      p.ack = true;
      return;
    }
    pending.delete(d.id);
    const a = d.answer;
    if (a && a.action === 'retry' && typeof a.headerName === 'string' && typeof a.headerValue === 'string') p.resolve(a);
    else p.resolve(a && a.action === 'pass' ? a : { action: 'pass', reason: 'no answer' });
  });

  function refused(target: object, a: PageAnswer, url: string): void {
    if (a.action !== 'pass') return;
    const detail = { code: String(a.code || 'unavailable'), message: String(a.reason), url, cap: a.cap, retryAfter: a.retryAfter };
    // our own Response / XHR object, never frozen
    Object.defineProperty(target, 'x402Refusal', { value: detail, configurable: true });
    win.dispatchEvent(new CustomEvent('x402:refused', { detail }));
  }

  function newId(): string {
    const b = new Uint8Array(12);
    win.crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  }

  function post(kind: '402' | 'result', id: string, payload: unknown): void {
    win.postMessage({ channel: PAGE_CHANNEL, dir: 'to-ext', id, kind, payload }, win.location.origin === 'null' ? '*' : win.location.origin);
  }

  function ask(payload: { url: string; method: string; paymentRequired?: string; bodyText?: string }): Promise<PageAnswer> {
    return new Promise((resolve) => {
      const id = newId();
      const entry = { ack: false, resolve };
      pending.set(id, entry);
      const finish = (reason: string) => {
        if (pending.get(id) === entry) {
          pending.delete(id);
          resolve({ action: 'pass', reason });
        }
      };
      setTimeout(() => {
        if (!entry.ack) finish('x402 Wallet did not answer');
      }, ACK_TIMEOUT_MS);
      setTimeout(() => finish('x402 Wallet timed out'), ANSWER_TIMEOUT_MS);
      post('402', id, payload);
    });
  }

  function report(ticket: string, status: number, paymentResponse: string | null): void {
    post('result', newId(), { ticket, status, paymentResponse: paymentResponse ?? undefined });
  }

  function readHeader(get: (n: string) => string | null, name: string): string | undefined {
    try {
      return get(name) ?? undefined;
    } catch {
      return undefined;
    }
  }

  function settlementHeader(get: (n: string) => string | null): string | null {
    return readHeader(get, 'PAYMENT-RESPONSE') ?? readHeader(get, 'X-PAYMENT-RESPONSE') ?? null;
  }

  const P = OrigXHR.prototype;
  const raw = (x: XMLHttpRequest, p: string) => Reflect.get(P, p, x) as unknown;

  return {
    async fetch402(res, input, init, replay) {
      let base: Request;
      try {
        base = new OrigRequest(replay ?? (input as RequestInfo), init);
      } catch {
        return res;
      }
      if (init && init.body instanceof win.ReadableStream) {
        console.warn('[x402 Wallet] this request has a streamed body that cannot be sent twice; not paying.');
        return res;
      }
      // The page runs its own x402 flow (it already sent a payment): never pay on top of it.
      if (base.headers.has('payment-signature') || base.headers.has('x-payment')) return res;
      const paymentRequired = readHeader((n) => res.headers.get(n), 'PAYMENT-REQUIRED');
      let bodyText: string | undefined;
      if (!paymentRequired) {
        try {
          const t = await res.clone().text();
          if (t.length <= MAX_BODY) bodyText = t;
        } catch {
          /* opaque or unreadable body */
        }
      }
      const answer = await ask({ url: base.url, method: base.method, paymentRequired, bodyText });
      if (answer.action !== 'retry') {
        refused(res, answer, base.url);
        return res;
      }
      const headers = new OrigHeaders(base.headers);
      headers.set(answer.headerName, answer.headerValue);
      let paid: Response;
      try {
        const retry = new OrigRequest(base, { headers, ...(base.body ? { duplex: 'half' } : {}) } as RequestInit);
        paid = await origFetch.call(win, retry);
      } catch (e) {
        report(answer.ticket, 0, null);
        throw e;
      }
      report(answer.ticket, paid.status, settlementHeader((n) => paid.headers.get(n)));
      return paid;
    },

    async xhr402(xhr: XMLHttpRequest, s: XhrState) {
      const paymentRequired = readHeader((n) => P.getResponseHeader.call(xhr, n), 'PAYMENT-REQUIRED');
      const responseType = raw(xhr, 'responseType') as XMLHttpRequestResponseType;
      let bodyText: string | undefined;
      if (!paymentRequired) {
        try {
          if (responseType === '' || responseType === 'text') bodyText = (raw(xhr, 'responseText') as string).slice(0, MAX_BODY);
        } catch {
          /* unreadable */
        }
      }
      // The page runs its own x402 flow (it already sent a payment): never pay on top of it.
      const ownPayment = s.h.some(([n]) => /^(payment-signature|x-payment)$/i.test(n));
      const answer: PageAnswer = ownPayment ? { action: 'pass', reason: 'the page pays by itself' } : await ask({ url: s.u, method: s.m, paymentRequired, bodyText });
      if (s.x) return;
      if (!ownPayment) refused(xhr, answer, s.u);
      if (answer.action !== 'retry') return;
      const inner = new OrigXHR();
      inner.open(s.m, s.u, true);
      for (const [n, v] of s.h) inner.setRequestHeader(n, v);
      inner.setRequestHeader(answer.headerName, answer.headerValue);
      inner.responseType = responseType;
      inner.withCredentials = raw(xhr, 'withCredentials') as boolean;
      inner.timeout = raw(xhr, 'timeout') as number;
      const done = await new Promise<boolean>((resolve) => {
        inner.onloadend = () => resolve(inner.status !== 0);
        inner.send(s.b as XMLHttpRequestBodyInit | null);
      });
      report(answer.ticket, inner.status, done ? settlementHeader((n) => inner.getResponseHeader(n)) : null);
      if (done) s.f = inner;
    },
  };
}
