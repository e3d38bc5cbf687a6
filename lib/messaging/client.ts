/**
 * Client side of the privileged surface, for extension pages (popup, onboarding, approval,
 * options). The background refuses these messages from anywhere else.
 */
import { browser } from 'wxt/browser';
import type { ApiError, Envelope, In, Out, PrivilegedApi, PrivilegedType, Result } from './contract';

export class WalletApiError extends Error {
  readonly code: string;
  readonly retryAfterMs?: number;
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'WalletApiError';
    this.code = error.code;
    this.retryAfterMs = error.retryAfterMs;
  }
}

export async function call<K extends PrivilegedType>(
  type: K,
  ...payload: In<PrivilegedApi, K> extends void ? [] : [In<PrivilegedApi, K>]
): Promise<Out<PrivilegedApi, K>> {
  const envelope: Envelope<K> = { channel: 'x402.privileged', type, payload: payload[0] };
  const res = (await browser.runtime.sendMessage(envelope)) as Result<Out<PrivilegedApi, K>> | undefined;
  if (!res) throw new WalletApiError({ code: 'no-answer', message: 'The wallet background did not answer.' });
  if (!res.ok) throw new WalletApiError(res.error);
  return res.value;
}
