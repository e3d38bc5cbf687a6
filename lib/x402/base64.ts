/**
 * x402 base64: standard alphabet with `=` padding over the UTF-8 bytes of a string.
 *
 * Encoding reuses `safeBase64Encode` from @x402/core (it already encodes UTF-8 bytes via
 * TextEncoder + btoa, so any Unicode is fine). Decoding is ours: @x402/core's decoder goes
 * through `atob`, which silently accepts missing padding and whitespace, and a non-fatal
 * TextDecoder that turns invalid UTF-8 into U+FFFD. Here decoding is strict: only the
 * standard alphabet, length a multiple of 4, correct padding, canonical trailing bits, and
 * well-formed UTF-8. Browser-safe (btoa/atob/TextDecoder; no Buffer).
 */
import { safeBase64Encode } from '@x402/core/utils';

export class Base64Error extends Error {
  override name = 'Base64Error';
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Encode a string's UTF-8 bytes as standard, padded base64. */
export function encodeBase64Utf8(text: string): string {
  return safeBase64Encode(text);
}

/** Encode raw bytes as standard, padded base64. */
export function encodeBase64Bytes(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Strictly decode standard, padded base64 into bytes. Throws Base64Error. */
export function decodeBase64Bytes(input: string): Uint8Array {
  if (typeof input !== 'string') throw new Base64Error('base64 input must be a string');
  if (!STRICT_BASE64.test(input)) {
    if (/[-_]/.test(input)) throw new Base64Error('URL-safe base64 alphabet is not accepted');
    if (/\s/.test(input)) throw new Base64Error('whitespace inside base64 is not accepted');
    if (input.length % 4 !== 0) throw new Base64Error('base64 must be padded to a multiple of 4');
    throw new Base64Error('not valid base64');
  }
  const binary = atob(input);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // Non-zero bits in the final partial group would decode identically; refuse them.
  if (encodeBase64Bytes(bytes) !== input) throw new Base64Error('non-canonical base64 encoding');
  return bytes;
}

/** Strictly decode standard, padded base64 whose bytes must be well-formed UTF-8. */
export function decodeBase64Utf8(input: string): string {
  const bytes = decodeBase64Bytes(input);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new Base64Error('base64 payload is not valid UTF-8');
  }
}
