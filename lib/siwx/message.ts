/**
 * EIP-4361 (SIWE) message text and the SIWX time/origin checks, written here so the background
 * does not ship the official client's dependencies (`@signinwithethereum/siwe` pulls ethers,
 * apg-js and a second zod: ~0.6 MB minified). Unit tests prove the text byte-identical to
 * `createSIWxMessage` of `@x402/extensions/sign-in-with-x` and the verdicts equal to its
 * `validateSIWxMessage` (tests/unit/siwx-challenge.test.ts), which stays the reference.
 */
import type { CompleteSIWxInfo, SIWxExtensionInfo, SIWxValidationCode } from '@x402/extensions/sign-in-with-x';

/** The EIP-4361 message, as SiweMessage.prepareMessage writes it (no scheme prefix). */
export function formatSiweMessage(info: CompleteSIWxInfo, address: string): string {
  const m = /^eip155:([1-9]\d{0,15})$/.exec(info.chainId);
  if (!m) throw new Error(`Invalid EVM chainId format: ${info.chainId}`);
  let head = [`${info.domain} wants you to sign in with your Ethereum account:`, address].join('\n');
  const lines = [`URI: ${info.uri}`, `Version: ${info.version}`, `Chain ID: ${Number(m[1])}`, `Nonce: ${info.nonce}`];
  if (info.issuedAt) lines.push(`Issued At: ${info.issuedAt}`);
  if (info.expirationTime) lines.push(`Expiration Time: ${info.expirationTime}`);
  if (info.notBefore) lines.push(`Not Before: ${info.notBefore}`);
  if (info.requestId !== undefined) lines.push(`Request ID: ${info.requestId}`);
  if (info.resources) lines.push(['Resources:', ...info.resources.map((r) => `- ${r}`)].join('\n'));
  head = info.statement === undefined ? `${head}\n\n` : `${[head, info.statement].join('\n\n')}\n`;
  return [head, lines.join('\n')].join('\n');
}

export type Validation = { isValid: true } | { isValid: false; invalidReason: SIWxValidationCode; invalidMessage: string };

const MAX_AGE_MS = 5 * 60_000;

/** The checks of the official `validateSIWxMessage`, in its order, with the clock passed in. */
export async function validateChallenge(
  m: SIWxExtensionInfo,
  expected: URL,
  now: number,
  checkNonce: (nonce: string) => boolean | Promise<boolean>,
): Promise<Validation> {
  const no = (invalidReason: SIWxValidationCode, invalidMessage: string): Validation => ({ isValid: false, invalidReason, invalidMessage });
  if (m.domain !== expected.host) return no('invalid_siwx_domain_mismatch', `Domain mismatch: expected "${expected.host}", got "${m.domain}"`);
  let uri: URL;
  try {
    uri = new URL(m.uri);
  } catch {
    return no('invalid_siwx_uri_mismatch', `Invalid URI: "${m.uri}" is not a valid URL`);
  }
  if (uri.origin !== expected.origin) return no('invalid_siwx_uri_mismatch', `URI mismatch: expected origin "${expected.origin}", got "${uri.origin}"`);
  const issued = new Date(m.issuedAt).getTime();
  if (Number.isNaN(issued)) return no('invalid_siwx_issued_at', 'Invalid issuedAt timestamp');
  const age = now - issued;
  if (age > MAX_AGE_MS) return no('invalid_siwx_issued_at_too_old', `Message too old: ${Math.round(age / 1000)}s exceeds ${MAX_AGE_MS / 1000}s limit`);
  if (age < 0) return no('invalid_siwx_issued_at_in_future', 'issuedAt is in the future');
  if (m.expirationTime) {
    const exp = new Date(m.expirationTime).getTime();
    if (Number.isNaN(exp)) return no('invalid_siwx_expiration_time', 'Invalid expirationTime timestamp');
    if (exp < now) return no('invalid_siwx_expired', 'Message expired');
  }
  if (m.notBefore) {
    const nb = new Date(m.notBefore).getTime();
    if (Number.isNaN(nb)) return no('invalid_siwx_not_before', 'Invalid notBefore timestamp');
    if (now < nb) return no('invalid_siwx_not_yet_valid', 'Message not yet valid (notBefore is in the future)');
  }
  if (!(await checkNonce(m.nonce))) return no('invalid_siwx_nonce', 'Nonce validation failed (possible replay attack)');
  return { isValid: true };
}
