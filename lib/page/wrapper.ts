/**
 * The page wrapper: runs in the page's MAIN world at document_start in every frame.
 *
 * Untrusted by design (the page can read and tamper with it). Its only job: notice a 402
 * answered to the page's own fetch / XMLHttpRequest, ask the extension (through the bridge,
 * over window.postMessage) for a payment header, and retry the SAME request once with it in
 * the page's own context. On anything but an explicit "retry" the page gets the original 402
 * response untouched. Non-402 traffic costs one extra promise reaction (fetch) or one status
 * check (XHR) and is otherwise untouched.
 *
 * Dependency-free on purpose: it is bundled into every page.
 */
import { PAGE_CHANNEL } from '../messaging/contract';

export type PageAnswer =
  | { action: 'retry'; headerName: string; headerValue: string; ticket: string }
  | { action: 'pass'; reason: string; code?: string; cap?: string; retryAfter?: number };

interface PageRequestMsg {
  channel: typeof PAGE_CHANNEL;
  dir: 'to-ext';
  id: string;
  kind: '402' | 'result';
  payload: unknown;
}

const MAX_BODY = 64 * 1024;
/** The bridge acknowledges at once; without an ack the extension is gone and we pass. */
const ACK_TIMEOUT_MS = 3_000;
/** Hard ceiling so nothing ever hangs, even if the extension dies mid-approval. */
const ANSWER_TIMEOUT_MS = 10 * 60_000;

export function installX402Wrapper(win: Window & typeof globalThis): void {
  const w = win as Window & typeof globalThis & { __x402WrapperInstalled?: boolean };
  if (w.__x402WrapperInstalled) return;
  Object.defineProperty(w, '__x402WrapperInstalled', { value: true });

  const origFetch = win.fetch;
  const OrigXHR = win.XMLHttpRequest;
  const OrigRequest = win.Request;
  const OrigHeaders = win.Headers;
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

  /**
   * Not paid: the page keeps the original 402, which carries `x402Refusal` {code, message, url,
   * cap?, retryAfter?}, and window gets an `x402:refused` CustomEvent with the same detail.
   */
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

  function post(kind: PageRequestMsg['kind'], id: string, payload: unknown): void {
    const msg: PageRequestMsg = { channel: PAGE_CHANNEL, dir: 'to-ext', id, kind, payload };
    win.postMessage(msg, win.location.origin === 'null' ? '*' : win.location.origin);
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

  function absolute(url: string): string {
    try {
      return new URL(url, win.location.href).href;
    } catch {
      return url;
    }
  }

  // ---------------------------------------------------------------- fetch
  async function on402Fetch(
    res: Response,
    input: RequestInfo | URL,
    init: RequestInit | undefined,
    replay: Request | null,
  ): Promise<Response> {
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
  }

  const wrappedFetch = function fetch(this: unknown, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    let replay: Request | null = null;
    if (input instanceof OrigRequest && input.body !== null && !(init && 'body' in init)) {
      try {
        replay = input.clone();
      } catch {
        replay = null;
      }
    }
    return origFetch.call(this === win || this === undefined ? win : this, input, init).then((res) =>
      res.status === 402 ? on402Fetch(res, input, init, replay) : res,
    );
  };
  Object.defineProperty(wrappedFetch, 'toString', { value: () => 'function fetch() { [native code] }' });
  win.fetch = wrappedFetch as typeof fetch;

  // ---------------------------------------------------------------- XMLHttpRequest
  const HELD = new WeakSet<XMLHttpRequest>();
  class X402XMLHttpRequest extends OrigXHR {
    #method = 'GET';
    #url = '';
    #async = true;
    #headers: [string, string][] = [];
    #final: XMLHttpRequest | null = null;
    #handling = false;
    /** the held 402 was handed to the page as is (no payment) */
    #released = false;
    #aborted = false;

    constructor() {
      super();
      // Registered first, so it runs before any page listener (and on* handler) on this object.
      // From the moment the headers of a 402 arrive (readyState 2) every event is held back:
      // the page sees this request end once, with the paid response or with the original 402.
      const hold = (ev: Event) => {
        if (HELD.has(this) || !this.#hiding()) return;
        ev.stopImmediatePropagation();
        if (ev.type === 'readystatechange' && super.readyState === 4 && !this.#handling) {
          this.#handling = true;
          void this.#on402();
        }
      };
      for (const t of ['readystatechange', 'progress', 'load', 'loadend'] as const) super.addEventListener(t, hold);
    }

    /** A 402 (async request) being held back from the page: it looks "opened, not answered yet". */
    #hiding(): boolean {
      return this.#async && !this.#final && !this.#released && !this.#aborted && super.readyState >= 2 && super.status === 402;
    }

    override open(method: string, url: string | URL, async = true, user?: string | null, password?: string | null): void {
      this.#method = String(method).toUpperCase();
      this.#url = absolute(String(url));
      this.#async = async !== false;
      this.#headers = [];
      this.#final = null;
      this.#handling = false;
      this.#released = false;
      this.#aborted = false;
      super.open(method, url, this.#async, user, password);
    }

    override setRequestHeader(name: string, value: string): void {
      this.#headers.push([name, value]);
      super.setRequestHeader(name, value);
    }

    override abort(): void {
      if (this.#handling) this.#aborted = true;
      super.abort();
    }

    #body: Document | XMLHttpRequestBodyInit | null | undefined;
    override send(body?: Document | XMLHttpRequestBodyInit | null): void {
      this.#body = body;
      super.send(body);
    }

    async #on402(): Promise<void> {
      const paymentRequired = readHeader((n) => super.getResponseHeader(n), 'PAYMENT-REQUIRED');
      let bodyText: string | undefined;
      if (!paymentRequired) {
        try {
          const rt = super.responseType;
          if (rt === '' || rt === 'text') bodyText = super.responseText.slice(0, MAX_BODY);
        } catch {
          /* unreadable */
        }
      }
      // The page runs its own x402 flow (it already sent a payment): never pay on top of it.
      const ownPayment = this.#headers.some(([n]) => /^(payment-signature|x-payment)$/i.test(n));
      const answer: PageAnswer = ownPayment
        ? { action: 'pass', reason: 'the page pays by itself' }
        : await ask({ url: this.#url, method: this.#method, paymentRequired, bodyText });
      if (this.#aborted) return; // the page gave up on this request meanwhile (and saw its abort)
      if (!ownPayment) refused(this, answer, this.#url);
      if (answer.action === 'retry') {
        const inner = new OrigXHR();
        inner.open(this.#method, this.#url, true);
        for (const [n, v] of this.#headers) inner.setRequestHeader(n, v);
        inner.setRequestHeader(answer.headerName, answer.headerValue);
        inner.responseType = super.responseType;
        inner.withCredentials = super.withCredentials;
        inner.timeout = super.timeout;
        const done = await new Promise<boolean>((resolve) => {
          inner.onloadend = () => resolve(inner.status !== 0);
          inner.send(this.#body as XMLHttpRequestBodyInit | null);
        });
        report(answer.ticket, inner.status, done ? settlementHeader((n) => inner.getResponseHeader(n)) : null);
        if (done) this.#final = inner;
      }
      if (this.#aborted) return;
      // Release the held events: the page now sees either the paid response or the original 402.
      if (!this.#final) this.#released = true;
      this.#handling = false;
      HELD.add(this);
      try {
        this.dispatchEvent(new Event('readystatechange'));
        this.dispatchEvent(new ProgressEvent('load'));
        this.dispatchEvent(new ProgressEvent('loadend'));
      } finally {
        HELD.delete(this);
      }
    }

    override get readyState(): number {
      return this.#hiding() ? 1 : super.readyState;
    }
    override get status(): number {
      return this.#final ? this.#final.status : this.#hiding() ? 0 : super.status;
    }
    override get statusText(): string {
      return this.#final ? this.#final.statusText : this.#hiding() ? '' : super.statusText;
    }
    override get response(): unknown {
      if (this.#final) return this.#final.response;
      if (this.#hiding()) return super.responseType === '' || super.responseType === 'text' ? '' : null;
      return super.response;
    }
    override get responseText(): string {
      return this.#final ? this.#final.responseText : this.#hiding() ? '' : super.responseText;
    }
    override get responseURL(): string {
      return this.#final ? this.#final.responseURL : this.#hiding() ? '' : super.responseURL;
    }
    override get responseXML(): Document | null {
      return this.#final ? this.#final.responseXML : this.#hiding() ? null : super.responseXML;
    }
    override getResponseHeader(name: string): string | null {
      return this.#final ? this.#final.getResponseHeader(name) : this.#hiding() ? null : super.getResponseHeader(name);
    }
    override getAllResponseHeaders(): string {
      return this.#final ? this.#final.getAllResponseHeaders() : this.#hiding() ? '' : super.getAllResponseHeaders();
    }
  }
  Object.defineProperty(X402XMLHttpRequest, 'name', { value: 'XMLHttpRequest' });
  win.XMLHttpRequest = X402XMLHttpRequest as unknown as typeof XMLHttpRequest;
}
