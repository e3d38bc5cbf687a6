/**
 * The EVM `upto` scheme: offer validation (each rule with the bad inputs it refuses), the
 * payload built with the official @x402/evm upto client and checked before it leaves, the
 * chain's reading of what was settled (≤ the maximum), and the ledger: the maximum reserved
 * and counted, the settled amount kept, the difference released, old records decoding.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { encodePaymentRequiredHeader, decodePaymentSignatureHeader } from '@x402/core/http';
import { PERMIT2_ADDRESS, uptoPermit2WitnessTypes, x402UptoPermit2ProxyAddress } from '@x402/evm';
import { custom, encodeAbiParameters, encodeEventTopics, erc20Abi, getAddress, numberToHex, pad, recoverTypedDataAddress, type EIP1193RequestFn } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { parsePaymentRequired } from '../../lib/x402/parse.ts';
import { createRegistry } from '../../lib/x402/registry.ts';
import { evaluateOptions } from '../../lib/x402/validate.ts';
import { createPaymentHeader, PaymentBuildError, type PaymentSigner } from '../../lib/x402/payment.ts';
import type { PaymentRequiredNormalized } from '../../lib/x402/types.ts';
import type { EvmOption } from '../../lib/rails/types.ts';
import { readEvmSettlement } from '../../lib/rails/evm/balance.ts';
import { localPlaygroundAsset } from '../../lib/rails/evm/assets.ts';
import { Ledger, type ReserveInput } from '../../lib/ledger/ledger.ts';
import { decodeRecord, encodeRecord } from '../../lib/ledger/codec.ts';
import { toCsv, toJson, CSV_COLUMNS } from '../../lib/ledger/export.ts';
import { uptoText } from '../../lib/ui/history.ts';
import type { StoredRecord } from '../../lib/ledger/types.ts';

const account = privateKeyToAccount('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
const other = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
const signer: PaymentSigner = { rail: 'evm', address: account.address, signTypedData: (a) => account.signTypedData(a as never) };

const USDC = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
const PAY_TO = '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720';
const FACILITATOR = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const registry = createRegistry([localPlaygroundAsset({ chainId: 31337, address: USDC })]);

function uptoOption(over: Record<string, unknown> = {}) {
  return {
    scheme: 'upto',
    network: 'eip155:31337',
    amount: '50000',
    asset: USDC,
    payTo: PAY_TO,
    maxTimeoutSeconds: 60,
    extra: { name: 'USD Coin', version: '2', assetTransferMethod: 'permit2', facilitatorAddress: FACILITATOR },
    ...over,
  };
}

function pr(option: Record<string, unknown>, version: 1 | 2 = 2): PaymentRequiredNormalized {
  const r =
    version === 2
      ? parsePaymentRequired({
          status: 402,
          headers: { 'PAYMENT-REQUIRED': encodePaymentRequiredHeader({ x402Version: 2, resource: { url: 'http://127.0.0.1/upto' }, accepts: [option] } as never) },
        })
      : parsePaymentRequired({ status: 402, headers: {}, bodyText: JSON.stringify({ x402Version: 1, accepts: [option] }) });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('upto offer validation', () => {
  it('a well-formed upto offer is payable: the amount is the maximum, the facilitator checksummed, Permit2', () => {
    const { payable, rejected } = evaluateOptions(pr(uptoOption({ extra: { assetTransferMethod: 'permit2', facilitatorAddress: FACILITATOR.toLowerCase() } })), registry);
    expect(rejected).toEqual([]);
    expect(payable[0]).toMatchObject({ rail: 'evm', scheme: 'upto', amount: 50_000n, transferMethod: 'permit2', facilitator: FACILITATOR, payTo: PAY_TO });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no extra at all', { extra: undefined }, 'invalid-facilitator'],
    ['no facilitatorAddress', { extra: { assetTransferMethod: 'permit2' } }, 'invalid-facilitator'],
    ['facilitatorAddress not hex', { extra: { facilitatorAddress: 'facilitator.example' } }, 'invalid-facilitator'],
    ['facilitatorAddress too short', { extra: { facilitatorAddress: '0x70997970C51812dc3A010C7d01b50e0d17dc79' } }, 'invalid-facilitator'],
    ['facilitatorAddress with a bad checksum', { extra: { facilitatorAddress: '0x70997970c51812dc3A010C7d01b50e0d17dc79C8' } }, 'invalid-facilitator'],
    ['facilitatorAddress a number', { extra: { facilitatorAddress: 1234 } }, 'invalid-facilitator'],
    ['facilitatorAddress the zero address', { extra: { facilitatorAddress: '0x0000000000000000000000000000000000000000' } }, 'invalid-facilitator'],
    ['transfer method EIP-3009', { extra: { assetTransferMethod: 'eip3009', facilitatorAddress: FACILITATOR } }, 'unsupported-transfer-method'],
    ['transfer method unknown', { extra: { assetTransferMethod: 'permit3', facilitatorAddress: FACILITATOR } }, 'unsupported-transfer-method'],
    ['EIP-712 name of another token', { extra: { name: 'Fake USD', version: '2', facilitatorAddress: FACILITATOR } }, 'domain-mismatch'],
    ['EIP-712 version only, wrong', { extra: { version: '1', facilitatorAddress: FACILITATOR } }, 'domain-mismatch'],
    ['payTo the zero address', { payTo: '0x0000000000000000000000000000000000000000' }, 'zero-pay-to'],
    ['payTo malformed', { payTo: '0x1234' }, 'invalid-pay-to'],
    ['maximum zero', { amount: '0' }, 'zero-amount'],
    ['maximum negative', { amount: '-1' }, 'invalid-amount'],
    ['maximum a decimal', { amount: '0.05' }, 'invalid-amount'],
    ['maximum above 2^256-1', { amount: (2n ** 256n).toString() }, 'invalid-amount'],
    ['untrusted token', { asset: '0x5eb1e51e0000000000000000000000000000dEaD' }, 'untrusted-asset'],
    ['timeout below the minimum', { maxTimeoutSeconds: 3 }, 'timeout-too-short'],
  ])('refuses %s', (_name, over, code) => {
    const { payable, rejected } = evaluateOptions(pr(uptoOption(over)), registry);
    expect(payable).toEqual([]);
    expect(rejected[0]?.code).toBe(code);
  });

  it('refuses upto in x402 v1 and on rails that do not speak it', () => {
    const v1 = { ...uptoOption({ network: 'base-sepolia' }), maxAmountRequired: '50000', resource: 'http://x/', description: '', mimeType: 'application/json' } as Record<string, unknown>;
    delete v1.amount;
    const r1 = evaluateOptions(pr(v1, 1), createRegistry([localPlaygroundAsset({ chainId: 84532, address: USDC })]));
    expect(r1.rejected[0]?.code).toBe('unsupported-scheme');
    const sol = evaluateOptions(pr(uptoOption({ network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1', asset: 'So11111111111111111111111111111111111111112' })), registry);
    expect(sol.rejected[0]?.code).toBe('unsupported-scheme');
  });
});

describe('upto payload (official UptoEvmScheme client, checked before it leaves)', () => {
  it('signs a Permit2 witness transfer of the maximum to the upto proxy, naming the facilitator', async () => {
    const p = pr(uptoOption());
    const option = evaluateOptions(p, registry).payable[0] as EvmOption;
    const t0 = Math.floor(Date.now() / 1000);
    const out = await createPaymentHeader({ pr: p, option, signer });
    expect(out.headerName).toBe('PAYMENT-SIGNATURE');
    const doc = decodePaymentSignatureHeader(out.headerValue) as unknown as { accepted: unknown; payload: { signature: `0x${string}`; permit2Authorization: Record<string, any> } };
    expect(doc.accepted).toEqual(option.raw);
    const a = doc.payload.permit2Authorization;
    expect(a).toMatchObject({ from: account.address, spender: x402UptoPermit2ProxyAddress, permitted: { token: USDC, amount: '50000' }, witness: { to: PAY_TO, facilitator: FACILITATOR, validAfter: '0' } });
    expect(Number(a.deadline) - t0).toBeGreaterThanOrEqual(60);
    expect(Number(a.deadline) - t0).toBeLessThanOrEqual(61);
    const recovered = await recoverTypedDataAddress({
      domain: { name: 'Permit2', chainId: 31337, verifyingContract: PERMIT2_ADDRESS },
      types: uptoPermit2WitnessTypes,
      primaryType: 'PermitWitnessTransferFrom',
      message: {
        permitted: { token: USDC, amount: 50_000n },
        spender: x402UptoPermit2ProxyAddress,
        nonce: BigInt(a.nonce),
        deadline: BigInt(a.deadline),
        witness: { to: PAY_TO, facilitator: FACILITATOR, validAfter: 0n },
      },
      signature: doc.payload.signature,
    });
    expect(recovered).toBe(account.address);
    expect(out.summary).toMatchObject({ value: 50_000n, transferMethod: 'permit2', authorizationId: `permit2:${a.nonce}` });
  });

  it('refuses to hand out a signature the wallet did not make, or an option that no longer matches the server', async () => {
    const p = pr(uptoOption());
    const option = evaluateOptions(p, registry).payable[0] as EvmOption;
    const wrong: PaymentSigner = { rail: 'evm', address: account.address, signTypedData: (a) => other.signTypedData(a as never) };
    await expect(createPaymentHeader({ pr: p, option, signer: wrong })).rejects.toThrow(/not made by the wallet/);
    const swapped = { ...option, facilitator: getAddress('0x1111111111111111111111111111111111111111') };
    await expect(createPaymentHeader({ pr: p, option: swapped, signer })).rejects.toBeInstanceOf(PaymentBuildError);
    const bigger = { ...option, amount: 60_000n };
    await expect(createPaymentHeader({ pr: p, option: bigger, signer })).rejects.toThrow(/amount/);
  });
});

describe('upto settlement read: what the chain shows moved, within the maximum', () => {
  const TX = `0x${'cd'.repeat(32)}` as const;
  const asset = localPlaygroundAsset({ chainId: 31337, address: USDC });
  const log = (from: string, to: string, value: bigint, token = USDC) => ({
    address: token,
    topics: encodeEventTopics({ abi: erc20Abi, eventName: 'Transfer', args: { from: from as `0x${string}`, to: to as `0x${string}` } }),
    data: encodeAbiParameters([{ type: 'uint256' }], [value]),
    blockHash: pad('0x1'), blockNumber: '0x1', logIndex: '0x0', transactionHash: TX, transactionIndex: '0x0', removed: false,
  });
  const node = (logs: unknown[]) => () =>
    custom({
      request: (async ({ method }: { method: string }) => {
        if (method === 'eth_chainId') return numberToHex(31337);
        if (method === 'eth_getTransactionReceipt')
          return { status: '0x1', logs, transactionHash: TX, transactionIndex: '0x0', blockHash: pad('0x1'), blockNumber: '0x1', from: FACILITATOR, to: x402UptoPermit2ProxyAddress, cumulativeGasUsed: '0x1', gasUsed: '0x1', effectiveGasPrice: '0x1', contractAddress: null, logsBloom: pad('0x0', { size: 256 }), type: '0x2' };
        throw new Error(method);
      }) as EIP1193RequestFn,
    }, { retryCount: 0 });
  const q = { asset, tx: TX, from: account.address, to: PAY_TO, amount: 50_000n, upTo: true, rpcUrl: 'http://127.0.0.1:1/', timeoutMs: 1000 };

  it('reports the amount the Transfer log moved (less than the maximum)', async () => {
    expect(await readEvmSettlement(q, node([log(account.address, PAY_TO, 12_345n)]))).toEqual({ state: 'confirmed', amount: 12_345n });
  });
  it.each<[string, unknown[]]>([
    ['more than the maximum', [log(account.address, PAY_TO, 50_001n)]],
    ['nothing to the payee', [log(account.address, other.address, 12_345n)]],
    ['another token', [log(account.address, PAY_TO, 12_345n, '0x5eb1e51e0000000000000000000000000000dEaD')]],
    ['no transfer at all', []],
  ])('a receipt with %s is a mismatch', async (_n, logs) => {
    expect((await readEvmSettlement(q, node(logs))).state).toBe('mismatch');
  });
  it('an exact query still wants exactly the amount (upTo off)', async () => {
    expect((await readEvmSettlement({ ...q, upTo: undefined }, node([log(account.address, PAY_TO, 12_345n)]))).state).toBe('mismatch');
  });
});

describe('upto in the ledger: the maximum reserved, the settled amount kept, the rest released', () => {
  beforeEach(() => fakeBrowser.reset());
  const T0 = Date.parse('2026-05-14T10:00:00Z');
  const USDC_ASSET = { address: USDC, symbol: 'USDC', decimals: 6, usdPegged: true };
  const input = (over: Partial<ReserveInput> = {}): ReserveInput => ({
    site: 'http://127.0.0.1:4020',
    requestOrigin: 'http://127.0.0.1:4020',
    resourceUrl: 'http://127.0.0.1:4020/upto/api/metered',
    scheme: 'upto',
    network: 'eip155:31337',
    asset: USDC_ASSET,
    amount: 50_000n,
    payTo: PAY_TO,
    expiresAt: T0 + 120_000,
    auto: true,
    now: T0,
    policyCheck: () => ({ action: 'pay' }),
    ...over,
  });

  it('counts the maximum until settled, then only what the chain showed', async () => {
    const l = new Ledger({ timeZone: 'UTC', clock: () => T0 });
    const { record } = await l.reserve(input());
    expect(record).toMatchObject({ amount: 50_000n, maxAmount: 50_000n });
    expect((await l.snapshot(input().site, T0)).site.usd.day).toBe(50_000n);
    await l.markSigned(record!.id, { expiresAt: T0 + 60_000 }, T0 + 1);
    const settled = await l.commit(record!.id, { txHash: '0xabc', network: 'eip155:31337', payer: account.address, settledAmount: 12_345n }, T0 + 2);
    expect(settled).toMatchObject({ status: 'settled', amount: 12_345n, maxAmount: 50_000n, settledAmount: 12_345n });
    const snap = await l.snapshot(input().site, T0 + 3);
    expect(snap.site.usd).toEqual({ day: 12_345n, week: 12_345n, month: 12_345n, lifetime: 12_345n });
    expect(snap.global.usd.day).toBe(12_345n);
  });

  it.each<[string, Partial<ReserveInput>, bigint | undefined, bigint]>([
    ['more than the maximum (ignored: the maximum stays counted)', {}, 50_001n, 50_000n],
    ['zero (ignored)', {}, 0n, 50_000n],
    ['no amount known (the maximum stays counted)', {}, undefined, 50_000n],
    ['an exact payment (the amount never changes)', { scheme: 'exact' }, 1n, 50_000n],
  ])('a settled amount of %s', async (_n, over, settledAmount, counted) => {
    const l = new Ledger({ timeZone: 'UTC', clock: () => T0 });
    const { record } = await l.reserve(input(over));
    await l.markSigned(record!.id, { expiresAt: T0 + 60_000 }, T0 + 1);
    const s = await l.commit(record!.id, { txHash: '0xabc', network: 'eip155:31337', payer: account.address, ...(settledAmount !== undefined ? { settledAmount } : {}) }, T0 + 2);
    expect(s.amount).toBe(counted);
    expect(s.settledAmount).toBeUndefined();
    expect((await l.snapshot(input().site, T0 + 3)).site.usd.lifetime).toBe(counted);
  });

  it('settled on "authorization used" first (maximum counted), a later receipt brings it down to what moved', async () => {
    const l = new Ledger({ timeZone: 'UTC', clock: () => T0 });
    const { record } = await l.reserve(input());
    await l.markSigned(record!.id, { expiresAt: T0 + 60_000 }, T0 + 1);
    await l.commit(record!.id, { txHash: '', network: 'eip155:31337', payer: account.address, confirmedBy: 'chain' }, T0 + 2);
    expect((await l.snapshot(input().site, T0 + 3)).site.usd.lifetime).toBe(50_000n);
    const s = await l.commit(record!.id, { txHash: '0xdef', network: 'eip155:31337', payer: account.address, settledAmount: 20_000n }, T0 + 4);
    expect(s).toMatchObject({ txHash: '0xdef', amount: 20_000n, settledAmount: 20_000n, maxAmount: 50_000n });
    expect((await l.snapshot(input().site, T0 + 5)).site.usd.lifetime).toBe(20_000n);
  });

  it('codec: the new fields round-trip as strings; records from before them decode without them; garbage is dropped', async () => {
    const l = new Ledger({ timeZone: 'UTC', clock: () => T0 });
    const { record } = await l.reserve(input());
    const settled = { ...record!, status: 'settled' as const, amount: 12_345n, settledAmount: 12_345n };
    const stored = encodeRecord(settled);
    expect(stored).toMatchObject({ amount: '12345', maxAmount: '50000', settledAmount: '12345' });
    expect(decodeRecord(JSON.parse(JSON.stringify(stored)) as StoredRecord)).toEqual(settled);
    const old = { ...stored } as Record<string, unknown>;
    delete old.maxAmount;
    delete old.settledAmount;
    delete old.scheme;
    const d = decodeRecord(old as unknown as StoredRecord);
    expect(d.maxAmount).toBeUndefined();
    expect(d.settledAmount).toBeUndefined();
    expect(d.scheme).toBe('exact');
    const bad = decodeRecord({ ...stored, maxAmount: '1e5', settledAmount: 7 } as unknown as StoredRecord);
    expect(bad.maxAmount).toBeUndefined();
    expect(bad.settledAmount).toBeUndefined();
  });

  it('export: CSV columns for the maximum and the settled amount, JSON as decimal strings; history text', async () => {
    const l = new Ledger({ timeZone: 'UTC', clock: () => T0 });
    const { record } = await l.reserve(input());
    await l.markSigned(record!.id, { expiresAt: T0 + 60_000 }, T0 + 1);
    const s = await l.commit(record!.id, { txHash: '0xabc', network: 'eip155:31337', payer: account.address, settledAmount: 12_345n }, T0 + 2);
    const [head, row] = toCsv([s]).trim().split('\r\n');
    const cols = head!.split(',');
    const cells = row!.split(',');
    expect(cols.slice(-2)).toEqual(['max_amount_atomic', 'settled_amount_atomic']);
    expect(cells[CSV_COLUMNS.indexOf('amount_atomic')]).toBe('12345');
    expect(cells.slice(-2)).toEqual(['50000', '12345']);
    const json = JSON.parse(toJson([s], T0)) as { records: Record<string, unknown>[] };
    expect(json.records[0]).toMatchObject({ amount: '12345', maxAmount: '50000', settledAmount: '12345' });
    expect(uptoText({ maxAmount: { atomic: '50000', token: '0.05 USDC', usd: '$0.05' }, settledAmountAtomic: '12345', amountToken: '0.012345 USDC', amountUsd: '$0.012345', status: 'settled' })).toBe(
      'Up to 0.05 USDC ($0.05) authorized; 0.012345 USDC ($0.012345) taken, the rest released',
    );
    expect(uptoText({ maxAmount: { atomic: '50000', token: '0.05 USDC', usd: null }, amountToken: '0.05 USDC', amountUsd: null, status: 'signed' })).toMatch(/counted in full/);
  });
});
