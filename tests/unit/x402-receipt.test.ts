/**
 * offer-receipt receipts (lib/x402/receipt.ts): an EIP-712 receipt made by the official issuer is
 * verified and its signer recovered; each field that disagrees with the payment is named; a JWS
 * receipt is read but marked unverified; anything else is no receipt.
 */
import { describe, expect, it } from 'vitest';
import { privateKeyToAccount } from 'viem/accounts';
import { createReceiptEIP712 } from '@x402/extensions/offer-receipt';
import { readReceipt } from '../../lib/x402/receipt.ts';

const issuer = privateKeyToAccount('0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6');
const PAYER = '0x41CAcd5819833aE857686f9C387d25B5C257B880';
const TX = `0x${'ab'.repeat(32)}`;
const RESOURCE = 'http://127.0.0.1:4020/siwx/data';
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64');

async function response(over: Record<string, unknown> = {}) {
  const receipt = await createReceiptEIP712({ resourceUrl: RESOURCE, payer: PAYER, network: 'eip155:31337', transaction: TX, ...over } as never, (a) => issuer.signTypedData(a as never));
  return b64({ success: true, transaction: TX, network: 'eip155:31337', payer: PAYER, extensions: { 'offer-receipt': { info: { receipt } } } });
}
const expectation = { network: 'eip155:31337', payer: PAYER.toLowerCase(), resourceUrl: RESOURCE, transaction: TX };

describe('readReceipt', () => {
  it('an EIP-712 receipt: verified, signer recovered, matches the payment', async () => {
    const r = await readReceipt(await response(), expectation);
    expect(r).toMatchObject({ format: 'eip712', verified: true, matches: true, signer: issuer.address });
    expect(r!.issuedAt).toBeGreaterThan(1_700_000_000);
  });
  const wrong: [string, Record<string, unknown>, RegExp][] = [
    ['another network', { network: 'eip155:8453' }, /network/],
    ['another payer', { payer: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' }, /payer/],
    ['another resource', { resourceUrl: 'http://127.0.0.1:4020/other' }, /resource/],
    ['another origin', { resourceUrl: 'http://evil.example/siwx/data' }, /resource/],
    ['another transaction', { transaction: `0x${'cd'.repeat(32)}` }, /transaction/],
  ];
  it.each(wrong)('names %s', async (_n, over, what) => {
    const r = await readReceipt(await response(over), expectation);
    expect(r).toMatchObject({ verified: true, matches: false });
    expect(r!.note).toMatch(what);
  });
  it('a tampered EIP-712 receipt recovers another signer (the signer is what the history shows)', async () => {
    const doc = JSON.parse(Buffer.from(await response(), 'base64').toString('utf8'));
    doc.extensions['offer-receipt'].info.receipt.payload.transaction = `0x${'ee'.repeat(32)}`;
    const r = await readReceipt(b64(doc), expectation);
    expect(r?.signer).not.toBe(issuer.address);
    expect(r?.matches).toBe(false);
  });
  it('a JWS receipt is read, not verified', async () => {
    const payload = Buffer.from(JSON.stringify({ version: 1, network: 'eip155:31337', resourceUrl: RESOURCE, payer: PAYER, issuedAt: 1_800_000_000, transaction: TX })).toString('base64url');
    const jws = `${Buffer.from('{"alg":"ES256","kid":"k"}').toString('base64url')}.${payload}.sig`;
    const r = await readReceipt(b64({ success: true, extensions: { 'offer-receipt': { info: { receipt: { format: 'jws', signature: jws } } } } }), expectation);
    expect(r).toMatchObject({ format: 'jws', verified: false, matches: true, issuedAt: 1_800_000_000 });
  });
  it.each([
    ['no extensions', b64({ success: true })],
    ['not base64 JSON', '%%%'],
    ['an unknown format', b64({ extensions: { 'offer-receipt': { info: { receipt: { format: 'pgp', signature: 'x' } } } } })],
    ['a receipt that is a string', b64({ extensions: { 'offer-receipt': { info: { receipt: 'r' } } } })],
  ])('%s → no receipt', async (_n, v) => {
    expect(await readReceipt(v, expectation)).toBeUndefined();
  });
});
