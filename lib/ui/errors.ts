/** Turns anything thrown by `call()` (or elsewhere) into the contract's ApiError shape for display. */
import type { ApiError } from '../messaging/contract';

export function toApiError(e: unknown): ApiError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const o = e as { code: unknown; message: unknown; retryAfterMs?: unknown };
    return {
      code: String(o.code),
      message: String(o.message),
      ...(typeof o.retryAfterMs === 'number' ? { retryAfterMs: o.retryAfterMs } : {}),
    };
  }
  if (e instanceof Error) return { code: 'error', message: e.message };
  return { code: 'error', message: String(e) };
}
