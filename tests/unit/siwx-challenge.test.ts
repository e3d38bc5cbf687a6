/**
 * Sign-in-with-x challenge checks (lib/siwx/challenge.ts): every rule with the bad inputs it
 * refuses; the message verified by the official server-side verifier after signing; and the port
 * (lib/siwx/message.ts) proven equal to the official client code it replaces in the bundle.
 */
import { describe, expect, it } from 'vitest';
import { privateKeyToAccount } from 'viem/accounts';
import { createSIWxMessage, encodeSIWxHeader, verifySIWxSignature, validateSIWxMessage } from '@x402/extensions/sign-in-with-x';
import { checkChallenge, readDeclaration } from '../../lib/siwx/challenge.ts';
import { formatSiweMessage, validateChallenge } from '../../lib/siwx/message.ts';
import { encodeBase64Utf8 } from '../../lib/x402/base64.ts';

const account = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
const URL_ = 'https://shop.example/articles/1';

function ext(info: Record<string, unknown> = {}, chains: unknown[] = [{ chainId: 'eip155:8453', type: 'eip191' }]) {
  return {
    'sign-in-with-x': {
      info: {
        domain: 'shop.example',
        uri: URL_,
        version: '1',
        nonce: 'a1b2c3d4e5f60718',
        issuedAt: new Date(Date.now() - 1_000).toISOString(),
        expirationTime: new Date(Date.now() + 300_000).toISOString(),
        statement: 'Sign in to read what you bought',
        resources: [URL_],
        ...info,
      },
      supportedChains: chains,
      schema: {},
    },
  };
}

const run = (extensions: Record<string, unknown> | undefined, over: Partial<Parameters<typeof checkChallenge>[0]> = {}) =>
  checkChallenge({
    extensions,
    observedUrl: URL_,
    address: account.address,
    knownChain: (n) => n === 'eip155:8453' || n === 'eip155:31337',
    usedNonce: () => false,
    ...over,
  });

describe('checkChallenge', () => {
  it('a good challenge: the EIP-4361 message names the observed host, the account, the uri, the chain and the nonce', async () => {
    const r = await run(ext());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = r.value.message;
    expect(m.split('\n')[0]).toBe('shop.example wants you to sign in with your Ethereum account:');
    expect(m.split('\n')[1]).toBe(account.address);
    expect(m).toContain('Sign in to read what you bought');
    expect(m).toContain(`URI: ${URL_}`);
    expect(m).toContain('Chain ID: 8453');
    expect(m).toContain('Nonce: a1b2c3d4e5f60718');
    expect(r.value.origin).toBe('https://shop.example');
    // what the wallet would send verifies with the official server-side code
    const signature = await account.signMessage({ message: m });
    const payload = { ...r.value.info, address: account.address, signature };
    expect(await verifySIWxSignature(payload as never)).toMatchObject({ isValid: true, payer: account.address });
    expect(await validateSIWxMessage(payload as never, new URL('https://shop.example'))).toEqual({ isValid: true });
  });

  it('prefers the chain the user paid on when the server offers several', async () => {
    const r = await run(ext({}, [{ chainId: 'eip155:8453', type: 'eip191' }, { chainId: 'eip155:31337', type: 'eip191' }]), { preferChain: 'eip155:31337' });
    expect(r.ok && r.value.info.chainId).toBe('eip155:31337');
  });

  const bad: [string, Record<string, unknown> | undefined, Partial<Parameters<typeof checkChallenge>[0]>, string][] = [
    ['no offer', undefined, {}, 'siwx-not-offered'],
    ['info missing', { 'sign-in-with-x': { supportedChains: [] } }, {}, 'siwx-bad-shape'],
    ['no nonce', ext({ nonce: undefined }), {}, 'siwx-bad-shape'],
    ['a short nonce', ext({ nonce: 'abc' }), {}, 'siwx-bad-shape'],
    ['a nonce with symbols', ext({ nonce: 'abc-def-ghi-123' }), {}, 'siwx-bad-shape'],
    ['version 2', ext({ version: '2' }), {}, 'siwx-bad-shape'],
    ['a statement that forges a line', ext({ statement: 'ok\nURI: https://evil.example' }), {}, 'siwx-bad-shape'],
    ['a statement with non-ASCII text (EIP-4361 grammar)', ext({ statement: 'Grüße — 世界' }), {}, 'siwx-bad-shape'],
    ['a domain with a line break', ext({ domain: 'shop.example\nevil' }), {}, 'siwx-bad-shape'],
    ['resources that are not text', ext({ resources: [1] }), {}, 'siwx-bad-shape'],
    ['another domain', ext({ domain: 'evil.example' }), {}, 'siwx-domain-mismatch'],
    ['a parent domain', ext({ domain: 'example' }), {}, 'siwx-domain-mismatch'],
    ['the domain with another port', ext({ domain: 'shop.example:8443' }), {}, 'siwx-domain-mismatch'],
    ['the right domain, asked by another origin', ext(), { observedUrl: 'https://evil.example/x' }, 'siwx-domain-mismatch'],
    ['a uri on another origin', ext({ uri: 'https://evil.example/articles/1' }), {}, 'siwx-uri-mismatch'],
    ['a uri on http instead of https', ext({ uri: 'http://shop.example/articles/1' }), {}, 'siwx-uri-mismatch'],
    ['a uri that is not a URL', ext({ uri: 'articles/1' }), {}, 'siwx-uri-mismatch'],
    ['expired', ext({ expirationTime: new Date(Date.now() - 1_000).toISOString() }), {}, 'siwx-expired'],
    ['issued 10 minutes ago', ext({ issuedAt: new Date(Date.now() - 600_000).toISOString() }), {}, 'siwx-too-old'],
    ['issued in the future', ext({ issuedAt: new Date(Date.now() + 60_000).toISOString() }), {}, 'siwx-in-future'],
    ['issuedAt not a date', ext({ issuedAt: 'yesterday' }), {}, 'siwx-bad-time'],
    ['not valid yet', ext({ notBefore: new Date(Date.now() + 60_000).toISOString() }), {}, 'siwx-not-yet-valid'],
    ['a nonce this wallet already signed (replay)', ext(), { usedNonce: (n) => n === 'a1b2c3d4e5f60718' }, 'siwx-replayed'],
    ['only Solana', ext({}, [{ chainId: 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp', type: 'ed25519' }]), {}, 'siwx-no-chain'],
    ['a chain the wallet does not know', ext({}, [{ chainId: 'eip155:999999', type: 'eip191' }]), {}, 'siwx-no-chain'],
    ['an EVM chain with another signature type', ext({}, [{ chainId: 'eip155:8453', type: 'ed25519' }]), {}, 'siwx-no-chain'],
    ['a malformed chain id', ext({}, [{ chainId: 'eip155:0x2105', type: 'eip191' }]), {}, 'siwx-no-chain'],
  ];
  it.each(bad)('refuses %s', async (_n, extensions, over, code) => {
    const r = await run(extensions, over);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.reason.length).toBeGreaterThan(5);
    }
  });

  it('reasons name what was wrong', async () => {
    const r = await run(ext({ domain: 'evil.example' }));
    expect(!r.ok && r.reason).toBe('the sign-in is for "evil.example", but shop.example asked for it');
  });
});

describe('readDeclaration', () => {
  it('keeps only the known fields of info', () => {
    const r = readDeclaration(ext({ extra: 'x' }));
    expect(r.ok && Object.keys(r.value.info).sort()).toEqual(['domain', 'expirationTime', 'issuedAt', 'nonce', 'resources', 'statement', 'uri', 'version']);
  });
});

describe('the port equals the official code (message text, verdicts, header)', () => {
  const base = { domain: 'shop.example', uri: URL_, version: '1', nonce: 'a1b2c3d4e5f60718', issuedAt: '2026-12-03T12:00:00.000Z', chainId: 'eip155:8453', type: 'eip191' as const };
  const infos = [
    base,
    { ...base, statement: 'Sign in to read what you bought' },
    { ...base, expirationTime: '2026-12-03T12:05:00.000Z', notBefore: '2026-12-03T12:00:00.000Z' },
    { ...base, requestId: 'req-1', resources: [URL_, 'https://shop.example/b'] },
    { ...base, chainId: 'eip155:31337', statement: "Sign in: it's $0 & free (really)!", domain: '127.0.0.1:4020', uri: 'http://127.0.0.1:4020/siwx/data' },
  ];
  it.each(infos.map((i, n) => [n, i] as const))('message %i is byte-identical to createSIWxMessage', (_n, info) => {
    expect(formatSiweMessage(info, account.address)).toBe(createSIWxMessage(info, account.address));
  });

  it('every time/origin verdict of the table equals validateSIWxMessage’s', async () => {
    const now = Date.now();
    const cases: [Record<string, unknown>, string][] = [
      [{}, URL_],
      [{ domain: 'evil.example' }, URL_],
      [{ uri: 'https://evil.example/x' }, URL_],
      [{ uri: 'nope' }, URL_],
      [{ expirationTime: new Date(now - 5_000).toISOString() }, URL_],
      [{ issuedAt: new Date(now - 600_000).toISOString() }, URL_],
      [{ issuedAt: new Date(now + 60_000).toISOString() }, URL_],
      [{ issuedAt: 'yesterday' }, URL_],
      [{ expirationTime: 'never' }, URL_],
      [{ notBefore: new Date(now + 60_000).toISOString() }, URL_],
      [{ notBefore: 'soon' }, URL_],
      [{}, 'https://evil.example/x'],
    ];
    for (const [over, observed] of cases) {
      const info = { ...base, issuedAt: new Date(now - 1_000).toISOString(), ...over } as never;
      const ours = await validateChallenge(info, new URL(observed), Date.now(), () => true);
      const theirs = await validateSIWxMessage(info, new URL(observed));
      expect(ours.isValid ? 'ok' : ours.invalidReason, JSON.stringify(over)).toBe(theirs.isValid ? 'ok' : theirs.invalidReason);
    }
    const replay = await validateChallenge({ ...base, issuedAt: new Date(now).toISOString() }, new URL(URL_), Date.now(), () => false);
    const official = await validateSIWxMessage({ ...base, issuedAt: new Date(now).toISOString() } as never, new URL(URL_), { checkNonce: () => false });
    expect(replay).toEqual(official);
  });

  it('the header is what encodeSIWxHeader writes', () => {
    const payload = { ...base, statement: 'Grüße', address: account.address, signature: '0xabc' };
    expect(encodeBase64Utf8(JSON.stringify(payload))).toBe(encodeSIWxHeader(payload as never));
  });
});
