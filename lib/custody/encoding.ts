/**
 * Byte encoding helpers for the custody modules (owner: background custody).
 * Standard base64 (RFC 4648 §4, with `=` padding) over raw bytes, with strict
 * decoding: anything that is not canonical base64 is rejected rather than
 * silently "repaired", so a tampered record cannot smuggle odd encodings in.
 * No Buffer: these run in service workers and Firefox event pages too.
 */

const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(bin);
}

/** Strict base64 decode; returns null when the input is not canonical base64. */
export function base64ToBytes(input: unknown): Uint8Array | null {
  if (typeof input !== 'string' || !B64_RE.test(input)) return null;
  let bin: string;
  try {
    bin = atob(input);
  } catch {
    return null;
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  // Reject non-canonical encodings (non-zero padding bits) by re-encoding.
  if (bytesToBase64(out) !== input) return null;
  return out;
}

export const utf8 = {
  encode: (s: string): Uint8Array => new TextEncoder().encode(s),
  decode: (b: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(b),
};

/** Best-effort wipe of a byte buffer we own (JS gives no guarantees, but it shortens exposure). */
export function wipe(bytes: Uint8Array | null | undefined): void {
  if (bytes) bytes.fill(0);
}
