/**
 * Sign-in-with-x (CAIP-122 / EIP-4361) challenges from a 402's `extensions["sign-in-with-x"]`,
 * checked before anything is signed (pure: the clock and the used nonces are passed in).
 *
 * The message and the time/origin checks follow the official `@x402/extensions/sign-in-with-x`
 * (`createSIWxMessage`, `validateSIWxMessage`; ported in message.ts, proven equal in the unit
 * tests): the domain must be the host of the URL the
 * browser saw answer 402 and the uri on that origin — never a field of the server's that the
 * wallet would trust; issuedAt at most 5 minutes old and not in the future; not expired; not
 * before notBefore; a nonce this wallet has not signed before for that origin (replay). EVM
 * chains only (EIP-191 personal_sign), and only a chain the wallet's trusted table knows.
 */
import type { CompleteSIWxInfo, SIWxExtensionInfo } from '@x402/extensions/sign-in-with-x';
import { formatSiweMessage, validateChallenge } from './message';

export const SIGN_IN_WITH_X = 'sign-in-with-x';
export const SIWX_HEADER = 'SIGN-IN-WITH-X';

export type SiwxResult<T> = { ok: true; value: T } | { ok: false; code: SiwxCode; reason: string };
export type SiwxCode =
  | 'siwx-not-offered'
  | 'siwx-bad-shape'
  | 'siwx-domain-mismatch'
  | 'siwx-uri-mismatch'
  | 'siwx-bad-time'
  | 'siwx-too-old'
  | 'siwx-in-future'
  | 'siwx-expired'
  | 'siwx-not-yet-valid'
  | 'siwx-replayed'
  | 'siwx-no-chain';

const fail = (code: SiwxCode, reason: string): { ok: false; code: SiwxCode; reason: string } => ({ ok: false, code, reason });

const MAX_FIELD = 2048;
const OPTIONAL_TEXT = ['statement', 'expirationTime', 'notBefore', 'requestId'] as const;
const NONCE = /^[A-Za-z0-9]{8,128}$/;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Text that a message line can carry: no line breaks or control characters (they would forge lines). */
const lineSafe = (s: string) => !/[\u0000-\u001f\u007f\u2028\u2029]/.test(s);

/** The server's declaration, shape-checked (unknown keys ignored). */
export function readDeclaration(extensions: Readonly<Record<string, unknown>> | undefined): SiwxResult<{ info: SIWxExtensionInfo; chains: { chainId: string; type: string }[] }> {
  const ext = extensions?.[SIGN_IN_WITH_X];
  if (ext === undefined) return fail('siwx-not-offered', 'the site does not offer sign-in');
  if (!isObj(ext) || !isObj(ext.info) || !Array.isArray(ext.supportedChains)) return fail('siwx-bad-shape', 'the sign-in offer is malformed');
  const i = ext.info;
  for (const k of ['domain', 'uri', 'version', 'nonce', 'issuedAt'] as const)
    if (typeof i[k] !== 'string' || !(i[k] as string) || (i[k] as string).length > MAX_FIELD || !lineSafe(i[k] as string))
      return fail('siwx-bad-shape', `the sign-in offer has no valid ${k}`);
  for (const k of OPTIONAL_TEXT)
    if (i[k] !== undefined && (typeof i[k] !== 'string' || (i[k] as string).length > MAX_FIELD || !lineSafe(i[k] as string)))
      return fail('siwx-bad-shape', `the sign-in offer's ${k} is not valid text`);
  // EIP-4361's statement grammar: reserved / unreserved characters and spaces (the official parser refuses anything else)
  if (i.statement !== undefined && !/^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;= ]*$/.test(i.statement as string))
    return fail('siwx-bad-shape', 'the sign-in statement has characters EIP-4361 does not allow');
  if (i.version !== '1') return fail('siwx-bad-shape', `sign-in version ${String(i.version).slice(0, 8)} is not 1`);
  if (!NONCE.test(i.nonce as string)) return fail('siwx-bad-shape', 'the sign-in nonce must be 8–128 letters and digits');
  if (i.resources !== undefined && (!Array.isArray(i.resources) || i.resources.length > 20 || !i.resources.every((r) => typeof r === 'string' && r.length <= MAX_FIELD && lineSafe(r))))
    return fail('siwx-bad-shape', 'the sign-in resources are not a list of URIs');
  const chains = ext.supportedChains.filter((c): c is { chainId: string; type: string } => isObj(c) && typeof c.chainId === 'string' && typeof c.type === 'string');
  const info: SIWxExtensionInfo = {
    domain: i.domain as string,
    uri: i.uri as string,
    version: '1',
    nonce: i.nonce as string,
    issuedAt: i.issuedAt as string,
    ...(i.statement !== undefined ? { statement: i.statement as string } : {}),
    ...(i.expirationTime !== undefined ? { expirationTime: i.expirationTime as string } : {}),
    ...(i.notBefore !== undefined ? { notBefore: i.notBefore as string } : {}),
    ...(i.requestId !== undefined ? { requestId: i.requestId as string } : {}),
    ...(i.resources !== undefined ? { resources: i.resources as string[] } : {}),
  };
  return { ok: true, value: { info, chains } };
}

const CODE_OF: Record<string, SiwxCode> = {
  invalid_siwx_domain_mismatch: 'siwx-domain-mismatch',
  invalid_siwx_uri_mismatch: 'siwx-uri-mismatch',
  invalid_siwx_issued_at: 'siwx-bad-time',
  invalid_siwx_issued_at_too_old: 'siwx-too-old',
  invalid_siwx_issued_at_in_future: 'siwx-in-future',
  invalid_siwx_expiration_time: 'siwx-bad-time',
  invalid_siwx_expired: 'siwx-expired',
  invalid_siwx_not_before: 'siwx-bad-time',
  invalid_siwx_not_yet_valid: 'siwx-not-yet-valid',
  invalid_siwx_nonce: 'siwx-replayed',
};

export interface CheckedChallenge {
  info: CompleteSIWxInfo;
  /** the EIP-4361 message exactly as it will be signed */
  message: string;
  /** the origin it is bound to (the browser's) */
  origin: string;
}

/**
 * The full check of a sign-in challenge for `address`. `observedUrl`: the URL the browser saw
 * answer 402 (webRequest); `knownChain`: whether the wallet's trusted table knows an EVM network;
 * `preferChain`: the network the user paid on, when the server offers it; `usedNonce`: whether
 * this wallet already signed that nonce for this origin.
 */
export async function checkChallenge(args: {
  extensions: Readonly<Record<string, unknown>> | undefined;
  observedUrl: string;
  address: string;
  knownChain: (caip2: string) => boolean;
  preferChain?: string;
  usedNonce: (nonce: string) => boolean | Promise<boolean>;
  /** epoch ms (default: now) */
  now?: number;
}): Promise<SiwxResult<CheckedChallenge>> {
  const d = readDeclaration(args.extensions);
  if (!d.ok) return d;
  let observed: URL;
  try {
    observed = new URL(args.observedUrl);
  } catch {
    return fail('siwx-uri-mismatch', 'the request URL is not valid');
  }
  if (observed.protocol !== 'https:' && observed.protocol !== 'http:') return fail('siwx-uri-mismatch', 'sign-in is for web origins only');
  const v = await validateChallenge(d.value.info, observed, args.now ?? Date.now(), async (n) => !(await args.usedNonce(n)));
  if (!v.isValid) {
    const code = CODE_OF[v.invalidReason] ?? 'siwx-bad-shape';
    const reason =
      code === 'siwx-domain-mismatch'
        ? `the sign-in is for "${d.value.info.domain.slice(0, 80)}", but ${observed.host} asked for it`
        : code === 'siwx-uri-mismatch'
          ? `the sign-in names ${d.value.info.uri.slice(0, 80)}, not a page of ${observed.origin}`
          : code === 'siwx-replayed'
            ? 'this sign-in challenge was already signed once (replayed nonce)'
            : code === 'siwx-expired'
              ? 'the sign-in challenge has expired'
              : v.invalidMessage;
    return fail(code, reason);
  }
  const evm = d.value.chains.filter((c) => c.type === 'eip191' && /^eip155:[1-9]\d{0,15}$/.test(c.chainId) && args.knownChain(c.chainId));
  const chain = evm.find((c) => c.chainId === args.preferChain) ?? evm[0];
  if (!chain) return fail('siwx-no-chain', 'the site offers sign-in only on chains this wallet does not sign for');
  const info: CompleteSIWxInfo = { ...d.value.info, chainId: chain.chainId, type: 'eip191' };
  let message: string;
  try {
    message = formatSiweMessage(info, args.address);
  } catch (e) {
    return fail('siwx-bad-shape', `the sign-in message cannot be built: ${(e as Error).message.slice(0, 120)}`);
  }
  return { ok: true, value: { info, message, origin: observed.origin } };
}
