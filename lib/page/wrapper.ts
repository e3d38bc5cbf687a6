/**
 * The page wrapper's loader: runs in the page's MAIN world at document_start in every frame.
 *
 * Untrusted by design (the page can read and tamper with it); it only gives hints. It patches
 * fetch and XMLHttpRequest to notice a 402 answered to the page's own request — nothing more.
 * Non-402 traffic costs one promise reaction (fetch) or one status check (XHR). On the first
 * 402 of the frame it asks the extension (through the bridge) to inject the handler
 * (lib/page/handler.ts: the message plumbing, the ask and the paid retry), which hands itself
 * to this loader; until then, and on anything but an explicit "retry", the page gets the
 * original 402 untouched. An XHR's 402 is held back from the page from its first event, so the
 * page sees the request end once: with the paid response or with the original 402.
 *
 * Dependency-free and small on purpose: it is bundled into every frame.
 */
import { PAGE_CHANNEL } from '../messaging/contract';

/** Per-XHR state the handler reads and completes. */
export interface XhrState {
  /** method, absolute URL, async, request headers, body */
  m: string;
  u: string;
  a: boolean;
  h: [string, string][];
  b?: Document | XMLHttpRequestBodyInit | null;
  /** the paid response */
  f?: XMLHttpRequest;
  /** k: handling the 402 now; r: it was handed to the page as is (released); x: the page aborted */
  k?: boolean;
  r?: boolean;
  x?: boolean;
}

/** What the handler gets from the loader: the originals captured at document_start. */
export interface HandlerContext {
  win: Window & typeof globalThis;
  fetch: typeof fetch;
  XHR: typeof XMLHttpRequest;
  Request: typeof Request;
  Headers: typeof Headers;
}

export interface Handler {
  fetch402(res: Response, input: RequestInfo | URL, init: RequestInit | undefined, replay: Request | null): Promise<Response>;
  /** settles `s` (s.f = the paid response, or s.r), then the loader releases the events */
  xhr402(xhr: XMLHttpRequest, s: XhrState): Promise<void>;
}

/** The name under which the loader waits for the injected handler (page-visible: a hint path only). */
export const HANDLER_HOOK = '__x402Handler';
/** Without the handler within this time the extension is gone: the 402 stays the page's. */
const LOAD_TIMEOUT_MS = 3_000;

export function installX402Wrapper(win: Window & typeof globalThis): void {
  const w = win as Window & typeof globalThis & { __x402WrapperInstalled?: boolean };
  if (w.__x402WrapperInstalled) return;
  Object.defineProperty(w, '__x402WrapperInstalled', { value: true });

  const ctx: HandlerContext = { win, fetch: win.fetch, XHR: win.XMLHttpRequest, Request: win.Request, Headers: win.Headers };
  const OrigXHR = ctx.XHR;
  let loading: Promise<Handler | null> | undefined;
  const load = () =>
    (loading ??= new Promise<Handler | null>((resolve) => {
      Object.defineProperty(win, HANDLER_HOOK, { value: (make: (c: HandlerContext) => Handler) => resolve(make(ctx)), configurable: true });
      setTimeout(() => resolve(null), LOAD_TIMEOUT_MS);
      // to this same window (the bridge listens on it); the message carries nothing but its kind
      win.postMessage({ channel: PAGE_CHANNEL, dir: 'to-ext', id: 'load', kind: 'load' }, '*');
    }));

  // ---------------------------------------------------------------- fetch
  const wrappedFetch = function fetch(this: unknown, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    let replay: Request | null = null;
    if (input instanceof ctx.Request && input.body !== null && !(init && 'body' in init)) {
      try {
        replay = input.clone();
      } catch {
        /* not replayable */
      }
    }
    return ctx.fetch
      .call(this === win || this === undefined ? win : this, input, init)
      .then((res) => (res.status === 402 ? load().then((h) => (h ? h.fetch402(res, input, init, replay) : res)) : res));
  };
  Object.defineProperty(wrappedFetch, 'toString', { value: () => 'function fetch() { [native code] }' });
  win.fetch = wrappedFetch as typeof fetch;

  // ---------------------------------------------------------------- XMLHttpRequest
  const P = OrigXHR.prototype;
  const raw = (x: XMLHttpRequest, p: string) => Reflect.get(P, p, x);
  const S = new WeakMap<XMLHttpRequest, XhrState>();
  const HELD = new WeakSet<XMLHttpRequest>();
  /** the events a held request gets again, in this order, once it ends */
  const EVENTS = ['readystatechange', 'load', 'loadend'];
  /** A 402 (async request) being held back from the page: it looks "opened, not answered yet". */
  const hiding = (x: XMLHttpRequest, s: XhrState) => s.a && !s.f && !s.r && !s.x && raw(x, 'readyState') >= 2 && raw(x, 'status') === 402;

  class X402XMLHttpRequest extends OrigXHR {
    constructor() {
      super();
      S.set(this, { h: [] } as unknown as XhrState); // not opened yet: nothing is held
      // Registered first, so it runs before any page listener (and on* handler) on this object.
      const hold = (ev: Event) => {
        const s = S.get(this)!;
        if (HELD.has(this) || !hiding(this, s)) return;
        ev.stopImmediatePropagation();
        if (ev.type !== 'readystatechange' || raw(this, 'readyState') !== 4 || s.k) return;
        s.k = true;
        void load()
          .then((h) => h?.xhr402(this, s))
          .catch(() => undefined)
          .then(() => {
            if (s.x) return; // the page gave up on this request meanwhile (and saw its abort)
            if (!s.f) s.r = true;
            s.k = false;
            HELD.add(this);
            try {
              EVENTS.forEach((e, i) => this.dispatchEvent(i ? new ProgressEvent(e) : new Event(e)));
            } finally {
              HELD.delete(this);
            }
          });
      };
      for (const t of [...EVENTS, 'progress']) super.addEventListener(t, hold);
    }

    override open(method: string, url: string | URL, async = true, user?: string | null, password?: string | null): void {
      const a = async !== false;
      super.open(method, url, a, user, password);
      // opened: the URL parsed against the document's base, as the request itself does
      S.set(this, { m: String(method).toUpperCase(), u: new URL(String(url), win.document.baseURI).href, a, h: [] });
    }

    override setRequestHeader(name: string, value: string): void {
      S.get(this)!.h.push([name, value]);
      super.setRequestHeader(name, value);
    }

    override abort(): void {
      const s = S.get(this)!;
      if (s.k) s.x = true;
      super.abort();
    }

    override send(body?: Document | XMLHttpRequestBodyInit | null): void {
      S.get(this)!.b = body;
      super.send(body);
    }

  }
  // While held: readyState 1, status 0, empty texts; once paid: the paid response's.
  const blank: Record<string, unknown> = { readyState: 1, status: 0, statusText: '', responseText: '', responseURL: '', responseXML: null };
  for (const p of [...Object.keys(blank), 'response'])
    Object.defineProperty(X402XMLHttpRequest.prototype, p, {
      configurable: true,
      get(this: XMLHttpRequest) {
        const s = S.get(this)!;
        if (s.f) return Reflect.get(s.f, p);
        if (!hiding(this, s)) return raw(this, p);
        if (p !== 'response') return blank[p];
        const rt = raw(this, 'responseType');
        return rt === '' || rt === 'text' ? '' : null;
      },
    });
  // the response-header methods likewise: null / '' while held, the paid response's once paid
  for (const [p, b] of [['getResponseHeader', null], ['getAllResponseHeaders', '']] as const)
    Object.defineProperty(X402XMLHttpRequest.prototype, p, {
      configurable: true,
      writable: true,
      value(this: XMLHttpRequest, ...a: [string]) {
        const s = S.get(this)!;
        return s.f ? s.f[p](...a) : hiding(this, s) ? b : (P[p] as (...x: unknown[]) => unknown).apply(this, a);
      },
    });
  Object.defineProperty(X402XMLHttpRequest, 'name', { value: 'XMLHttpRequest' });
  win.XMLHttpRequest = X402XMLHttpRequest as unknown as typeof XMLHttpRequest;
}
