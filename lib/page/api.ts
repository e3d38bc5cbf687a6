/**
 * `window.x402`, the page API (MAIN world, top-level frame of allowed sites only — registered by
 * the background, never part of the every-frame wrapper). Untrusted like the wrapper: it only
 * relays to the bridge; the background decides. Documented in README ("Page API").
 *
 *   await x402.getCapabilities()          → {x402Versions, schemes, networks}
 *   await x402.pay(requirements, {resource, method?})
 *                                         → {headerName, headerValue}: send it with the request
 *   throws X402Refusal {code, message, cap?, retryAfter?, url} when the wallet does not pay
 *   window events: 'x402:ready', 'x402:payment' {outcome: 'paid'|'refused', url, code?},
 *                  'x402:refused' (the same detail as a refused 402)
 */
import { PAGE_CHANNEL } from '../messaging/contract';

type Answer = { action?: string; headerName?: string; headerValue?: string; reason?: string; code?: string; cap?: string; retryAfter?: number; refused?: { code: string; message: string } } | null;

export function installPageApi(win: Window & typeof globalThis): void {
  if ('x402' in win) return;
  const pending = new Map<string, (a: Answer) => void>();
  win.addEventListener('message', (ev: MessageEvent) => {
    const d = ev.data as { channel?: string; dir?: string; id?: string; ack?: boolean; answer?: Answer } | null;
    if (ev.source !== win || !d || d.channel !== PAGE_CHANNEL || d.dir !== 'to-page' || d.ack || typeof d.id !== 'string') return;
    const r = pending.get(d.id);
    if (!r) return;
    pending.delete(d.id);
    r(d.answer ?? null);
  });
  const call = (kind: 'api.caps' | 'api.pay', payload?: unknown) =>
    new Promise<Answer>((resolve) => {
      const b = new Uint8Array(12);
      win.crypto.getRandomValues(b);
      const id = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
      pending.set(id, resolve);
      setTimeout(() => pending.delete(id) && resolve(null), 10 * 60_000);
      win.postMessage({ channel: PAGE_CHANNEL, dir: 'to-ext', id, kind, payload }, win.location.origin);
    });
  const emit = (type: string, detail: object) => win.dispatchEvent(new CustomEvent(type, { detail }));
  const refusal = (detail: { code: string; message: string; url: string; cap?: string; retryAfter?: number }) =>
    Object.assign(new Error(detail.message), { name: 'X402Refusal', ...detail });

  const api = {
    async getCapabilities() {
      const a = await call('api.caps');
      if (!a || a.refused) {
        const r = a?.refused ?? { code: 'unavailable', message: 'x402 Wallet did not answer' };
        throw refusal({ ...r, url: win.location.href });
      }
      return a;
    },
    async pay(requirements: unknown, opts?: { resource?: string; method?: string }) {
      const url = new URL(opts?.resource ?? win.location.href, win.location.href).href;
      const a = await call('api.pay', { requirements, resource: url, method: opts?.method });
      if (a && a.action === 'retry' && typeof a.headerName === 'string' && typeof a.headerValue === 'string') {
        emit('x402:payment', { outcome: 'paid', url });
        return { headerName: a.headerName, headerValue: a.headerValue };
      }
      const detail = { code: String(a?.code || 'unavailable'), message: String(a?.reason || 'x402 Wallet did not answer'), url, cap: a?.cap, retryAfter: a?.retryAfter };
      emit('x402:refused', detail);
      emit('x402:payment', { outcome: 'refused', url, code: detail.code });
      throw refusal(detail);
    },
  };
  Object.defineProperty(win, 'x402', { value: Object.freeze(api), enumerable: false });
  emit('x402:ready', {});
}
