/**
 * The background's message router. The trust boundary lives here:
 *  - privileged messages are served only to the extension's own pages;
 *  - content messages go through a tiny allowlist, and their handlers get the sender's
 *    tab/frame/URL from the browser, never from the payload.
 * Anything else is refused and the refusal says nothing about the wallet.
 */
import { browser, type Browser } from 'wxt/browser';
import {
  CONTENT_TYPES,
  type ApiError,
  type ContentApi,
  type ContentType,
  type Envelope,
  type In,
  type Out,
  type PrivilegedApi,
  type PrivilegedType,
  type Result,
} from '../messaging/contract';

export type Sender = Browser.runtime.MessageSender;

/** A frame of a web page, as the browser identifies it. */
export interface ContentSender {
  tabId: number;
  frameId: number;
  /** URL of the frame that sent the message (from the browser) */
  frameUrl: string;
  /** URL of the tab's top-level document (from the browser) */
  tabUrl: string;
  /** the frame's origin as the browser reports it ('null' for a sandboxed frame), when it does */
  origin?: string;
}

export type PrivilegedHandlers = {
  [K in PrivilegedType]: (input: In<PrivilegedApi, K>, sender: Sender) => Promise<Out<PrivilegedApi, K>>;
};
export type ContentHandlers = {
  [K in ContentType]: (input: unknown, sender: ContentSender) => Promise<Out<ContentApi, K>>;
};
/** Extra privileged handlers (test builds only). */
export type ExtraHandlers = Record<string, (input: unknown, sender: Sender) => Promise<unknown>>;

export class HandlerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** True when the message comes from one of this extension's own pages (not a content script). */
export function isExtensionPage(sender: Sender): boolean {
  if (sender.id !== browser.runtime.id) return false;
  const base = browser.runtime.getURL('/');
  const url = sender.url ?? '';
  if (!url.startsWith(base)) return false;
  const origin = (sender as { origin?: string }).origin;
  return origin === undefined || base.startsWith(origin);
}

function contentSender(sender: Sender): ContentSender | null {
  if (sender.id !== browser.runtime.id || !sender.tab || typeof sender.tab.id !== 'number') return null;
  const frameUrl = sender.url ?? '';
  if (!/^https?:/i.test(frameUrl)) return null;
  return {
    tabId: sender.tab.id,
    frameId: sender.frameId ?? 0,
    frameUrl,
    tabUrl: sender.tab.url ?? (sender.frameId === 0 ? frameUrl : ''),
    ...(typeof (sender as { origin?: unknown }).origin === 'string' ? { origin: (sender as { origin: string }).origin } : {}),
  };
}

function toError(e: unknown): ApiError {
  if (e instanceof HandlerError) return { code: e.code, message: e.message, retryAfterMs: e.retryAfterMs };
  const err = e as { code?: unknown; message?: unknown; retryAfterMs?: unknown };
  if (err && typeof err.code === 'string' && typeof err.message === 'string')
    return {
      code: err.code,
      message: err.message,
      retryAfterMs: typeof err.retryAfterMs === 'number' ? err.retryAfterMs : undefined,
    };
  return { code: 'internal', message: 'Something went wrong in the wallet.' };
}

const REFUSED: Result<never> = { ok: false, error: { code: 'forbidden', message: 'Not allowed.' } };

export function installRouter(privileged: PrivilegedHandlers, content: ContentHandlers, extra: ExtraHandlers = {}): void {
  browser.runtime.onMessage.addListener((message: unknown, sender: Sender) => {
    const env = message as Envelope | null;
    if (!env || typeof env !== 'object' || typeof env.type !== 'string') return undefined;
    if (env.channel === 'x402.privileged') {
      if (!isExtensionPage(sender)) return Promise.resolve(REFUSED);
      const h =
        (privileged as unknown as Record<string, (i: unknown, s: Sender) => Promise<unknown>>)[env.type] ??
        extra[env.type];
      if (!h || !Object.prototype.hasOwnProperty.call(privileged, env.type) && !Object.prototype.hasOwnProperty.call(extra, env.type))
        return Promise.resolve({ ok: false, error: { code: 'unknown', message: `Unknown request ${env.type}` } });
      return h(env.payload, sender).then(
        (value) => ({ ok: true, value }),
        (e) => ({ ok: false, error: toError(e) }),
      );
    }
    if (env.channel === 'x402.content') {
      const cs = contentSender(sender);
      if (!cs || !(CONTENT_TYPES as readonly string[]).includes(env.type)) return Promise.resolve(REFUSED);
      const h = content[env.type as ContentType] as (i: unknown, s: ContentSender) => Promise<unknown>;
      return h(env.payload, cs).then(
        (value) => ({ ok: true, value }),
        (e) => ({ ok: false, error: toError(e) }),
      );
    }
    return undefined;
  });
}
