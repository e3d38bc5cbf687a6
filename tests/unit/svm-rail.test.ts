/**
 * The Solana rail (lib/rails/svm): SLIP-0010 derivation against known vectors and an
 * independent reference computation, option checks of hostile offers, the wallet's own reading
 * of the transaction before it signs (every field the attacker could bend), and a full payment
 * built by the official @x402/svm client scheme over a stubbed RPC (the real cluster is in the
 * browser tests and the fixture self-test).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { base58, base64 } from '@scure/base';
import { mnemonicToSeedSync } from '@scure/bip39';
import {
  AccountRole,
  appendTransactionMessageInstructions,
  compileTransaction,
  createKeyPairSignerFromPrivateKeyBytes,
  createTransactionMessage,
  getTransactionDecoder,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type Address,
  type Blockhash,
  type Instruction,
} from '@solana/kit';
import { decodePaymentSignatureHeader } from '@x402/core/http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deriveSolanaKey, isSolanaAddress, verifyEd25519 } from '../../lib/rails/svm/accounts';
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM, localSvmPlaygroundAsset, SOLANA_DEVNET, SOLANA_MAINNET } from '../../lib/rails/svm/assets';
import { createSvmPayment } from '../../lib/rails/svm/payment';
import {
  COMPUTE_BUDGET_PROGRAM,
  MAX_COMPUTE_UNIT_PRICE,
  MEMO_PROGRAM,
  associatedTokenAddress,
  checkSvmTransaction,
} from '../../lib/rails/svm/transaction';
import { svmRail } from '../../lib/rails/svm';
import type { SvmOption, SvmSigner } from '../../lib/rails/types';
import { encodeBase64Utf8 } from '../../lib/x402/base64';
import { parsePaymentRequired } from '../../lib/x402/parse';
import { createRegistry } from '../../lib/x402/registry';
import { evaluateOptions } from '../../lib/x402/validate';

const TEST_PHRASE = 'test test test test test test test test test test test junk';
const DEMO_PHRASE = 'lamp open middle coast bitter film office panther degree neglect decade young';

/** SLIP-0010 ed25519, written out here from the spec as an independent reference. */
function slip10Reference(seed: Uint8Array, path: number[]): Uint8Array {
  let I = hmac(sha512, new TextEncoder().encode('ed25519 seed'), seed);
  let key = I.slice(0, 32);
  let chain = I.slice(32);
  for (const index of path) {
    const data = new Uint8Array(37);
    data.set(key, 1);
    new DataView(data.buffer).setUint32(33, (index | 0x80000000) >>> 0);
    I = hmac(sha512, chain, data);
    key = I.slice(0, 32);
    chain = I.slice(32);
  }
  return key;
}

describe('Solana accounts (SLIP-0010 m/44\'/501\'/i\'/0\')', () => {
  it('the public test phrase gives the address Phantom and Solflare show for it', () => {
    const seed = mnemonicToSeedSync(TEST_PHRASE);
    expect(deriveSolanaKey(seed, 0).address).toBe('oeYf6KAJkLYhBuR8CiGc6L4D4Xtfepr85fuDgA9kq96');
  });

  it.each([
    [TEST_PHRASE, 0],
    [TEST_PHRASE, 1],
    [DEMO_PHRASE, 0],
    [DEMO_PHRASE, 1],
    [DEMO_PHRASE, 7],
  ])('matches an independent SLIP-0010 computation and @solana/kit’s own key → address (%s, %i)', async (phrase, i) => {
    const seed = mnemonicToSeedSync(phrase);
    const ours = deriveSolanaKey(seed, i);
    const ref = slip10Reference(seed, [44, 501, i, 0]);
    expect(Buffer.from(ours.privateKey).toString('hex')).toBe(Buffer.from(ref).toString('hex'));
    const kit = await createKeyPairSignerFromPrivateKeyBytes(ref);
    expect(ours.address).toBe(kit.address);
  });

  it('the demo phrase addresses the fixture funds', () => {
    const seed = mnemonicToSeedSync(DEMO_PHRASE);
    expect([0, 1].map((i) => deriveSolanaKey(seed, i).address)).toEqual([
      'Ad94dzcmo1jysJJdxMnpY8P979bYHjD9TvnTrbGSb6dE',
      '2HVgqJMMAP7N3x6X4NiJTNd6zVoxXAdbezzZtEy5Cuqs',
    ]);
  });

  it('addresses are base58 of 32 bytes', () => {
    expect(isSolanaAddress('oeYf6KAJkLYhBuR8CiGc6L4D4Xtfepr85fuDgA9kq96')).toBe(true);
    for (const bad of ['', 'not-base58-0OIl', '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', '1111', 'z'.repeat(44), 42]) {
      expect(isSolanaAddress(bad)).toBe(false);
    }
  });
});

// ---------------------------------------------------------------- offers

const seed = mnemonicToSeedSync(DEMO_PHRASE);
const USER = deriveSolanaKey(seed, 0);
const MERCHANT = deriveSolanaKey(seed, 5).address;
const FEE_PAYER = deriveSolanaKey(seed, 6).address;
const MINT = deriveSolanaKey(seed, 9).address;
const playground = localSvmPlaygroundAsset({ network: SOLANA_DEVNET, address: MINT, label: 'Local Solana' });
const registry = createRegistry([playground]);

function svmOption(over: Record<string, unknown> = {}) {
  return { scheme: 'exact', network: SOLANA_DEVNET, amount: '10000', asset: MINT, payTo: MERCHANT, maxTimeoutSeconds: 60, extra: { feePayer: FEE_PAYER }, ...over };
}

function v2(accepts: unknown[]) {
  const header = encodeBase64Utf8(JSON.stringify({ x402Version: 2, resource: { url: 'http://127.0.0.1/svm/api/data' }, accepts }));
  const parsed = parsePaymentRequired({ status: 402, headers: { 'payment-required': header } });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

function evaluate(option: Record<string, unknown>) {
  return evaluateOptions(v2([option]), registry, { self: { svm: USER.address } });
}

describe('Solana offers', () => {
  it('a well-formed offer on a trusted mint is payable, with the fee payer and the trusted decimals', () => {
    const { payable, rejected } = evaluate(svmOption());
    expect(rejected).toEqual([]);
    expect(payable[0]).toMatchObject({ rail: 'svm', network: SOLANA_DEVNET, amount: 10000n, payTo: MERCHANT, feePayer: FEE_PAYER, asset: { decimals: 6, symbol: 'USDC' } });
  });

  it('mainnet USDC is trusted out of the box (from @x402/svm DEFAULT_ASSETS)', () => {
    const { payable } = evaluate(svmOption({ network: SOLANA_MAINNET, asset: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v' }));
    expect(payable[0]?.asset).toMatchObject({ symbol: 'USDC', decimals: 6, tokenProgram: TOKEN_PROGRAM });
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['unknown mint', { asset: deriveSolanaKey(seed, 11).address }, 'untrusted-asset', /not in the trusted table/],
    ['fee payer is the user', { extra: { feePayer: USER.address } }, 'invalid-fee-payer', /your own account/],
    ['no fee payer', { extra: {} }, 'invalid-fee-payer', /feePayer/],
    ['fee payer malformed', { extra: { feePayer: '0xabc' } }, 'invalid-fee-payer', /not a valid Solana address/],
    ['payTo malformed', { payTo: 'not-base58-0OIl' }, 'invalid-pay-to', /base58/],
    ['payTo an EVM address', { payTo: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' }, 'invalid-pay-to', /base58/],
    ['payTo the system program', { payTo: '11111111111111111111111111111111' }, 'zero-pay-to', /system program/],
    ['amount not a decimal integer', { amount: '0.5' }, 'invalid-amount', /decimal integer/],
    ['amount negative', { amount: '-5' }, 'invalid-amount', /decimal integer/],
    ['amount over u64', { amount: (1n << 64n).toString() }, 'invalid-amount', /u64/],
    ['network/mint mismatch (the local mint named on mainnet)', { network: SOLANA_MAINNET }, 'untrusted-asset', /trusted table/],
    ['memo over 256 bytes', { extra: { feePayer: FEE_PAYER, memo: 'x'.repeat(257) } }, 'invalid-option', /memo/],
    ['an EVM transfer method on Solana', { extra: { feePayer: FEE_PAYER, assetTransferMethod: 'permit2' } }, 'unsupported-transfer-method', /not used on Solana/],
    ['a stated compute-unit price over the cap', { extra: { feePayer: FEE_PAYER, computeUnitPrice: '1000000000' } }, 'invalid-option', /computeUnitPrice 1000000000 is over/],
    ['a stated compute-unit limit over the cap', { extra: { feePayer: FEE_PAYER, computeUnitLimit: 1_400_000 } }, 'invalid-option', /computeUnitLimit 1400000 is over/],
    ['an empty memo (the client would add its own)', { extra: { feePayer: FEE_PAYER, memo: '' } }, 'invalid-option', /memo/],
    ['a malformed solana network id', { network: 'solana:mainnet' }, 'unsupported-network', /CAIP-2/],
  ])('refuses %s with a reason', (_name, over, code, reason) => {
    const { payable, rejected } = evaluate(svmOption(over));
    expect(payable).toEqual([]);
    expect(rejected[0]).toMatchObject({ index: 0, code });
    expect(rejected[0]!.reason).toMatch(reason);
  });

  it('v2 requirements with the v1 amount field are refused before any option is looked at', () => {
    const header = encodeBase64Utf8(
      JSON.stringify({ x402Version: 2, resource: { url: 'http://x/' }, accepts: [{ ...svmOption(), amount: undefined, maxAmountRequired: '10000' }] }),
    );
    const parsed = parsePaymentRequired({ status: 402, headers: { 'payment-required': header } });
    expect(parsed).toMatchObject({ ok: false, code: 'amount-field-confusion' });
  });

  it('v1 names map to the cluster (solana-devnet) and read maxAmountRequired', () => {
    const body = JSON.stringify({
      x402Version: 1,
      error: 'pay',
      accepts: [{ ...svmOption({ network: 'solana-devnet' }), amount: undefined, maxAmountRequired: '20000', resource: 'http://x/', description: 'd', mimeType: 'application/json' }],
    });
    const parsed = parsePaymentRequired({ status: 402, headers: {}, bodyText: body });
    if (!parsed.ok) throw new Error(parsed.error);
    const { payable } = evaluateOptions(parsed.value, registry);
    expect(payable[0]).toMatchObject({ rail: 'svm', network: SOLANA_DEVNET, wireNetwork: 'solana-devnet', amount: 20000n });
  });

  it('an offer on both rails: both payable, cheapest in dollars first whatever the rail, ties in server order', () => {
    const evm = { scheme: 'exact', network: 'eip155:8453', amount: '10000', asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C', maxTimeoutSeconds: 60, extra: { name: 'USD Coin', version: '2' } };
    const tie = evaluateOptions(v2([evm, svmOption()]), registry).payable.map((o) => o.rail);
    expect(tie).toEqual(['evm', 'svm']);
    const cheaperSvm = evaluateOptions(v2([evm, svmOption({ amount: '9999' })]), registry).payable.map((o) => o.rail);
    expect(cheaperSvm).toEqual(['svm', 'evm']);
  });

  it('explorer links for public clusters only', () => {
    const sig = base58.encode(new Uint8Array(64).fill(7));
    expect(svmRail.explorerTxUrl(SOLANA_MAINNET, sig)).toBe(`https://explorer.solana.com/tx/${sig}`);
    expect(svmRail.explorerTxUrl(SOLANA_DEVNET, sig)).toBe(`https://explorer.solana.com/tx/${sig}?cluster=devnet`);
    expect(svmRail.explorerTxUrl('solana:' + 'A'.repeat(32), sig)).toBeUndefined();
    expect(svmRail.explorerTxUrl(SOLANA_DEVNET, 'javascript:alert(1)')).toBeUndefined();
  });
});

// ---------------------------------------------------------------- the transaction the wallet signs

const option = evaluate(svmOption()).payable[0] as SvmOption;
const BLOCKHASH = base58.encode(new Uint8Array(32).fill(3)) as Blockhash;

function u32(n: number) {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}
function u64(n: bigint) {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n, true);
  return b;
}
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

interface Parts {
  feePayer?: string;
  limit?: number;
  price?: bigint;
  amount?: bigint;
  decimals?: number;
  mint?: string;
  source?: string;
  destination?: string;
  authority?: string;
  program?: string;
  memo?: Uint8Array | null;
  extra?: Instruction[];
  order?: (ixs: Instruction[]) => Instruction[];
}

async function messageBytes(p: Parts = {}): Promise<Uint8Array> {
  const program = p.program ?? TOKEN_PROGRAM;
  const mint = p.mint ?? MINT;
  const authority = p.authority ?? USER.address;
  const source = p.source ?? (await associatedTokenAddress(USER.address, MINT, program));
  const destination = p.destination ?? (await associatedTokenAddress(MERCHANT, MINT, program));
  let ixs: Instruction[] = [
    { programAddress: COMPUTE_BUDGET_PROGRAM as Address, data: cat(Uint8Array.of(2), u32(p.limit ?? 20_000)) },
    { programAddress: COMPUTE_BUDGET_PROGRAM as Address, data: cat(Uint8Array.of(3), u64(p.price ?? 1n)) },
    {
      programAddress: program as Address,
      accounts: [
        { address: source as Address, role: AccountRole.WRITABLE },
        { address: mint as Address, role: AccountRole.READONLY },
        { address: destination as Address, role: AccountRole.WRITABLE },
        { address: authority as Address, role: AccountRole.READONLY_SIGNER },
      ],
      data: cat(Uint8Array.of(12), u64(p.amount ?? 10_000n), Uint8Array.of(p.decimals ?? 6)),
    },
  ];
  if (p.memo !== null) ixs.push({ programAddress: MEMO_PROGRAM as Address, data: p.memo ?? new TextEncoder().encode('00112233445566778899aabbccddeeff') });
  ixs.push(...(p.extra ?? []));
  if (p.order) ixs = p.order(ixs);
  const msg = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer((p.feePayer ?? FEE_PAYER) as Address, m),
    (m) => appendTransactionMessageInstructions(ixs, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: BLOCKHASH, lastValidBlockHeight: 100n }, m),
  );
  return Uint8Array.from(compileTransaction(msg).messageBytes);
}

describe('checkSvmTransaction (what the wallet agrees to sign)', () => {
  it('accepts exactly limit, price, TransferChecked, memo — and reports the blockhash', async () => {
    const out = await checkSvmTransaction(await messageBytes(), option, USER.address);
    expect(out).toMatchObject({ blockhash: BLOCKHASH, tokenProgram: TOKEN_PROGRAM, computeUnitLimit: 20_000, computeUnitPrice: 1n });
    await expect(checkSvmTransaction(await messageBytes({ memo: null }), option, USER.address)).resolves.toBeDefined();
    const t22 = { ...option, asset: { ...option.asset } };
    await expect(checkSvmTransaction(await messageBytes({ program: TOKEN_2022_PROGRAM }), t22, USER.address)).resolves.toMatchObject({ tokenProgram: TOKEN_2022_PROGRAM });
  });

  const approve: Instruction = {
    programAddress: TOKEN_PROGRAM as Address,
    accounts: [{ address: USER.address as Address, role: AccountRole.READONLY_SIGNER }],
    data: cat(Uint8Array.of(4), u64(1n << 60n)),
  };
  const transferSol: Instruction = {
    programAddress: '11111111111111111111111111111111' as Address,
    accounts: [
      { address: USER.address as Address, role: AccountRole.WRITABLE_SIGNER },
      { address: MERCHANT as Address, role: AccountRole.WRITABLE },
    ],
    data: cat(u32(2), u64(1_000_000_000n)),
  };

  it.each<[string, Parts, RegExp]>([
    ['another fee payer', { feePayer: MERCHANT }, /fee payer is not the one/],
    ['compute-unit price over the cap', { price: MAX_COMPUTE_UNIT_PRICE + 1n }, /compute-unit price/],
    ['compute-unit limit over the cap', { limit: 1_400_000 }, /compute-unit limit/],
    ['a different amount', { amount: 10_001n }, /amount differs/],
    ['wrong decimals', { decimals: 9 }, /decimals/],
    ['another mint', { mint: deriveSolanaKey(seed, 12).address }, /mint differs|destination|source/],
    ['to another token account', { destination: deriveSolanaKey(seed, 13).address }, /destination/],
    ['from another token account', { source: deriveSolanaKey(seed, 14).address }, /source/],
    ['an approve added', { extra: [approve] }, /instructions/],
    ['a SOL transfer added', { extra: [transferSol] }, /instructions|signatures|signer roles/],
    ['a SOL transfer instead of the memo', { memo: null, extra: [transferSol] }, /memo|signatures|signer roles/],
    ['instructions reordered', { order: (ixs) => [ixs[1]!, ixs[0]!, ixs[2]!, ixs[3]!] }, /SetComputeUnitLimit/],
    ['a memo too long', { memo: new Uint8Array(300).fill(65) }, /memo is too long/],
  ])('refuses %s', async (_name, parts, reason) => {
    await expect(checkSvmTransaction(await messageBytes(parts), option, USER.address)).rejects.toThrow(reason);
  });

  it('refuses when the fee payer is the wallet account itself', async () => {
    const self = { ...option, feePayer: USER.address };
    await expect(checkSvmTransaction(await messageBytes({ feePayer: USER.address }), self, USER.address)).rejects.toThrow(/fee payer is the wallet|signatures/);
  });

  it('refuses the memo when it is not the server’s', async () => {
    const withMemo = evaluate(svmOption({ extra: { feePayer: FEE_PAYER, memo: 'order-42' } })).payable[0] as SvmOption;
    await expect(checkSvmTransaction(await messageBytes({ memo: new TextEncoder().encode('order-43') }), withMemo, USER.address)).rejects.toThrow(/memo/);
    await expect(checkSvmTransaction(await messageBytes({ memo: new TextEncoder().encode('order-42') }), withMemo, USER.address)).resolves.toBeDefined();
  });

  it('refuses trailing bytes and bent signer roles (every byte signed is a byte read)', async () => {
    const good = await messageBytes();
    await expect(checkSvmTransaction(Uint8Array.from([...good, ...new Uint8Array(64)]), option, USER.address)).rejects.toThrow(/bytes the message does not account for/);
    const readonlyFeePayer = Uint8Array.from(good);
    readonlyFeePayer[2] = 2; // header: numReadonlySignerAccounts (after the version byte and numSigners)
    await expect(checkSvmTransaction(readonlyFeePayer, option, USER.address)).rejects.toThrow(/signer roles/);
    const allReadonly = Uint8Array.from(good);
    allReadonly[3] = 200; // numReadonlyNonSignerAccounts
    await expect(checkSvmTransaction(allReadonly, option, USER.address)).rejects.toThrow(/roles are malformed|wrong roles/);
  });

  it('refuses bytes that are not a message', async () => {
    await expect(checkSvmTransaction(new Uint8Array([1, 2, 3]), option, USER.address)).rejects.toThrow(/decode|v0/);
  });
});

// ---------------------------------------------------------------- a whole payment, official scheme

function mintAccountData(decimals: number): string {
  const d = new Uint8Array(82);
  d[44] = decimals;
  d[45] = 1;
  return base64.encode(d);
}

/** A JSON-RPC stub that knows the mint and a blockhash; records the methods asked. */
function stubRpc(owner = TOKEN_PROGRAM) {
  const methods: string[] = [];
  const fetchStub = vi.fn(async (_url: unknown, init?: RequestInit) => {
    const req = JSON.parse(String(init?.body));
    const one = (r: { id: unknown; method: string }) => {
      methods.push(r.method);
      if (r.method === 'getAccountInfo')
        return { jsonrpc: '2.0', id: r.id, result: { context: { slot: 1 }, value: { owner, data: [mintAccountData(6), 'base64'], lamports: 1_000_000, executable: false, rentEpoch: 0, space: 82 } } };
      if (r.method === 'getLatestBlockhash')
        return { jsonrpc: '2.0', id: r.id, result: { context: { slot: 1 }, value: { blockhash: BLOCKHASH, lastValidBlockHeight: 100 } } };
      return { jsonrpc: '2.0', id: r.id, error: { code: -32601, message: 'no' } };
    };
    const body = Array.isArray(req) ? req.map(one) : one(req);
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetchStub);
  return { methods };
}

const signer = (key = USER): SvmSigner => ({
  rail: 'svm',
  address: key.address,
  signMessageBytes: async (m) => ed25519.sign(m, key.privateKey),
});

describe('createSvmPayment (official ExactSvmScheme + the checking signer)', () => {
  afterEach(() => vi.unstubAllGlobals());
  const pr = v2([svmOption()]);
  const opt = () => evaluateOptions(pr, registry, { self: { svm: USER.address } }).payable[0] as SvmOption;

  it('builds a v2 PAYMENT-SIGNATURE whose transaction the wallet signed, fee payer slot left to the facilitator', async () => {
    const rpc = stubRpc();
    const out = await createSvmPayment({ pr, option: opt(), signer: signer(), rpcUrl: 'http://127.0.0.1:1/' });
    expect(rpc.methods).toContain('getAccountInfo');
    expect(out.headerName).toBe('PAYMENT-SIGNATURE');
    const payload = decodePaymentSignatureHeader(out.headerValue);
    expect(payload.accepted).toEqual(pr.accepts[0]);
    expect(payload.resource).toEqual({ url: 'http://127.0.0.1/svm/api/data' });
    const tx = getTransactionDecoder().decode(base64.decode((payload.payload as { transaction: string }).transaction));
    const sigs = tx.signatures as Record<string, Uint8Array | null>;
    expect(sigs[FEE_PAYER]).toBeNull();
    expect(verifyEd25519(Uint8Array.from(sigs[USER.address]!), Uint8Array.from(tx.messageBytes), USER.address)).toBe(true);
    await expect(checkSvmTransaction(Uint8Array.from(tx.messageBytes), opt(), USER.address)).resolves.toMatchObject({ blockhash: BLOCKHASH });
    expect(out.summary).toMatchObject({ from: USER.address, to: MERCHANT, value: 10000n, network: SOLANA_DEVNET, nonce: BLOCKHASH });
    expect(out.summary.authorizationId).toBe(base58.encode(Uint8Array.from(sigs[USER.address]!))); // our signature ties the settlement to this transaction
  });

  it('refuses without an RPC endpoint, and a mint the RPC says is not a token', async () => {
    stubRpc();
    await expect(createSvmPayment({ pr, option: opt(), signer: signer() })).rejects.toThrow(/no RPC endpoint/);
    stubRpc(MERCHANT);
    await expect(createSvmPayment({ pr, option: opt(), signer: signer(), rpcUrl: 'http://127.0.0.1:1/' })).rejects.toThrow(/token program/);
  });

  it('a server blockhash hint is ignored (the blockhash ties the transaction to a cluster: it comes from the user’s RPC); the payment counts for 120 s whatever maxTimeoutSeconds says', async () => {
    const rpc = stubRpc();
    const hinted = v2([svmOption({ maxTimeoutSeconds: 10, extra: { feePayer: FEE_PAYER, recentBlockhash: base58.encode(new Uint8Array(32).fill(9)), lastValidBlockHeight: 5 } })]);
    const o = evaluateOptions(hinted, registry).payable[0] as SvmOption;
    const t0 = Math.floor(Date.now() / 1000);
    const out = await createSvmPayment({ pr: hinted, option: o, signer: signer(), rpcUrl: 'http://127.0.0.1:1/' });
    expect(rpc.methods).toContain('getLatestBlockhash');
    expect(out.summary.nonce).toBe(BLOCKHASH);
    expect(Number(out.summary.validBefore) - t0).toBeGreaterThanOrEqual(119);
  });

  it('a signer whose key does not match its address is caught after signing', async () => {
    stubRpc();
    const liar: SvmSigner = { rail: 'svm', address: USER.address, signMessageBytes: async (m) => ed25519.sign(m, deriveSolanaKey(seed, 3).privateKey) };
    await expect(createSvmPayment({ pr, option: opt(), signer: liar, rpcUrl: 'http://x/' })).rejects.toThrow(/wallet signature/);
  });

  it('never signs an option edited after validation', async () => {
    stubRpc();
    const sign = vi.fn(signer().signMessageBytes);
    const s = { ...signer(), signMessageBytes: sign };
    await expect(createSvmPayment({ pr, option: { ...opt(), amount: 1n }, signer: s, rpcUrl: 'http://x/' })).rejects.toThrow(/differs/);
    await expect(createSvmPayment({ pr, option: { ...opt(), payTo: FEE_PAYER }, signer: s, rpcUrl: 'http://x/' })).rejects.toThrow(/differs/);
    expect(sign).not.toHaveBeenCalled();
  });
});
