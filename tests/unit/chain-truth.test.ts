/**
 * Truth from the chain: each rail's reading of a claimed settlement (EVM receipt + Transfer log,
 * Solana getTransaction + token balances, both with the chain/cluster checked) and EIP-3009
 * authorizationState, against stubbed RPCs with the real wire shapes. The real chains answer in
 * tests/browser (anvil receipts, litesvm signatures).
 */
import { PERMIT2_ADDRESS } from '@x402/evm';
import { custom, decodeFunctionData, parseAbi, encodeAbiParameters, encodeEventTopics, erc20Abi, numberToHex, pad, type EIP1193RequestFn } from 'viem';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findEvmAuthorizationTx, readEvmAuthorizationUsed, readEvmSettlement } from '../../lib/rails/evm/balance';
import { localPlaygroundAsset } from '../../lib/rails/evm/assets';
import { readSvmSettlement } from '../../lib/rails/svm/balance';
import { localSvmPlaygroundAsset, SOLANA_DEVNET } from '../../lib/rails/svm/assets';

const TOKEN = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0' as const;
const FROM = '0x41CAcd5819833aE857686f9C387d25B5C257B880' as const;
const TO = '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720' as const;
const TX = `0x${'ab'.repeat(32)}` as const;
const asset = localPlaygroundAsset({ chainId: 31337, address: TOKEN });

function transferLog(token: string, from: string, to: string, value: bigint) {
  return {
    address: token,
    topics: encodeEventTopics({ abi: erc20Abi, eventName: 'Transfer', args: { from: from as `0x${string}`, to: to as `0x${string}` } }),
    data: encodeAbiParameters([{ type: 'uint256' }], [value]),
    blockHash: pad('0x1'),
    blockNumber: '0x1',
    logIndex: '0x0',
    transactionHash: TX,
    transactionIndex: '0x0',
    removed: false,
  };
}

function node(opts: { chainId?: number; receipt?: Record<string, unknown> | null; used?: boolean }) {
  const request = (async ({ method }: { method: string }) => {
    if (method === 'eth_chainId') return numberToHex(opts.chainId ?? 31337);
    if (method === 'eth_getTransactionReceipt') return opts.receipt ?? null;
    if (method === 'eth_call') return opts.used ? pad('0x1') : pad('0x0');
    throw new Error(`unexpected ${method}`);
  }) as EIP1193RequestFn;
  return () => custom({ request }, { retryCount: 0 });
}

function receipt(status: '0x1' | '0x0', logs: unknown[]) {
  return {
    status, logs, transactionHash: TX, transactionIndex: '0x0', blockHash: pad('0x1'), blockNumber: '0x1', from: FROM, to: TOKEN,
    cumulativeGasUsed: '0x1', gasUsed: '0x1', effectiveGasPrice: '0x1', contractAddress: null, logsBloom: pad('0x0', { size: 256 }), type: '0x2',
  };
}

const q = { asset, tx: TX, from: FROM, to: TO, amount: 10_000n, rpcUrl: 'http://127.0.0.1:1/', timeoutMs: 1_000 };

describe('EVM: readSettlement (receipt + Transfer log of the trusted token)', () => {
  it('confirmed only for a successful receipt with Transfer(from → to, exactly amount) emitted by the token', async () => {
    expect(await readEvmSettlement(q, node({ receipt: receipt('0x1', [transferLog(TOKEN, FROM, TO, 10_000n)]) }))).toEqual({ state: 'confirmed' });
  });
  it.each([
    ['another amount', [transferLog(TOKEN, FROM, TO, 9_999n)]],
    ['another payee', [transferLog(TOKEN, FROM, FROM, 10_000n)]],
    ['another payer', [transferLog(TOKEN, TO, TO, 10_000n)]],
    ['another token', [transferLog('0x5eb1e51e0000000000000000000000000000dead', FROM, TO, 10_000n)]],
    ['no transfer at all', []],
  ])('a receipt with %s is a mismatch', async (_n, logs) => {
    expect(await readEvmSettlement(q, node({ receipt: receipt('0x1', logs) }))).toMatchObject({ state: 'mismatch' });
  });
  it('EIP-3009: the receipt must carry AuthorizationUsed(payer, this nonce) — another payment’s receipt with the same payer, payee and amount is not this one', async () => {
    const nonce = `0x${'11'.repeat(32)}`;
    const usedLog = (n: string) => ({
      ...transferLog(TOKEN, FROM, TO, 0n),
      topics: encodeEventTopics({ abi: [{ type: 'event', name: 'AuthorizationUsed', inputs: [{ name: 'authorizer', type: 'address', indexed: true }, { name: 'nonce', type: 'bytes32', indexed: true }] }], eventName: 'AuthorizationUsed', args: { authorizer: FROM, nonce: n as `0x${string}` } }),
      data: '0x',
    });
    const logs = (n: string) => [usedLog(n), transferLog(TOKEN, FROM, TO, 10_000n)];
    expect(await readEvmSettlement({ ...q, authorizationId: nonce }, node({ receipt: receipt('0x1', logs(nonce)) }))).toEqual({ state: 'confirmed' });
    expect(await readEvmSettlement({ ...q, authorizationId: nonce }, node({ receipt: receipt('0x1', logs(`0x${'22'.repeat(32)}`)) }))).toMatchObject({ state: 'mismatch', reason: expect.stringMatching(/another authorization/) });
  });

  it('reverted → failed; no receipt → not-found; another chain → unknown; a made-up hash → mismatch', async () => {
    expect(await readEvmSettlement(q, node({ receipt: receipt('0x0', []) }))).toMatchObject({ state: 'failed' });
    expect(await readEvmSettlement(q, node({ receipt: null }))).toEqual({ state: 'not-found' });
    expect(await readEvmSettlement(q, node({ chainId: 1, receipt: receipt('0x1', [transferLog(TOKEN, FROM, TO, 10_000n)]) }))).toMatchObject({ state: 'unknown' });
    expect(await readEvmSettlement({ ...q, tx: '0xdeadbeef' }, node({}))).toMatchObject({ state: 'mismatch' });
  });
  it('authorizationState(from, nonce): used / unused; wrong chain or malformed nonce → undefined', async () => {
    const a = { asset, from: FROM, nonce: `0x${'11'.repeat(32)}`, rpcUrl: 'http://x/', timeoutMs: 1_000 };
    expect(await readEvmAuthorizationUsed(a, node({ used: true }))).toBe(true);
    expect(await readEvmAuthorizationUsed(a, node({ used: false }))).toBe(false);
    expect(await readEvmAuthorizationUsed(a, node({ used: true, chainId: 5 }))).toBeUndefined();
    expect(await readEvmAuthorizationUsed({ ...a, nonce: '42' }, node({ used: true }))).toBeUndefined();
  });
  it('Permit2 (permit2:<nonce>): the nonce\'s bit in nonceBitmap(owner, nonce >> 8) on the canonical Permit2 contract', async () => {
    const nonce = (5n << 8n) | 37n; // word 5, bit 37
    const calls: Array<{ to: string; owner: string; word: bigint }> = [];
    const bitmapNode = (bitmap: bigint, chainId = 31337) => {
      const request = (async ({ method, params }: { method: string; params: any[] }) => {
        if (method === 'eth_chainId') return numberToHex(chainId);
        if (method === 'eth_call') {
          const { to, data } = params[0] as { to: string; data: `0x${string}` };
          const [owner, word] = decodeFunctionData({ abi: parseAbi(['function nonceBitmap(address owner, uint256 wordPos) view returns (uint256)']), data }).args as [string, bigint];
          calls.push({ to, owner, word });
          return pad(numberToHex(bitmap));
        }
        throw new Error(`unexpected ${method}`);
      }) as EIP1193RequestFn;
      return () => custom({ request }, { retryCount: 0 });
    };
    const q = { asset, from: FROM, nonce: `permit2:${nonce}`, rpcUrl: 'http://x/', timeoutMs: 1_000 };
    expect(await readEvmAuthorizationUsed(q, bitmapNode(1n << 37n))).toBe(true);
    expect({ ...calls[0], to: calls[0]!.to.toLowerCase() }).toEqual({ to: PERMIT2_ADDRESS.toLowerCase(), owner: FROM, word: 5n });
    expect(await readEvmAuthorizationUsed(q, bitmapNode((1n << 36n) | (1n << 38n)))).toBe(false); // neighbours used, not this one
    expect(await readEvmAuthorizationUsed(q, bitmapNode(1n << 37n, 5))).toBeUndefined(); // another chain
    expect(await readEvmAuthorizationUsed({ ...q, nonce: 'permit2:0x12' }, bitmapNode(1n))).toBeUndefined();
    expect(await readEvmAuthorizationUsed({ ...q, nonce: `permit2:${2n ** 256n}` }, bitmapNode(1n))).toBeUndefined();
  });
});

describe('Solana: readSettlement (getTransaction + token balances, cluster checked)', () => {
  afterEach(() => vi.unstubAllGlobals());
  const MINT = '7LHurnExzbrPM5iPZGytbqM89baf1E2WbTsfQnw4pJpD';
  const PAYER = 'Ad94dzcmo1jysJJdxMnpY8P979bYHjD9TvnTrbGSb6dE';
  const PAYEE = '8JfSUN9hutFQfixnkpN9mn8HxkQPMUeH8jrTYKFQ14pD';
  const SIG = '5'.repeat(87);
  const sasset = localSvmPlaygroundAsset({ network: SOLANA_DEVNET, address: MINT });
  const bal = (owner: string, amount: bigint, mint = MINT) => ({ accountIndex: 1, mint, owner, uiTokenAmount: { amount: amount.toString(), decimals: 6 } });
  function rpc(tx: unknown, genesis = 'EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG') {
    vi.stubGlobal('fetch', vi.fn(async (_u: unknown, init?: RequestInit) => {
      const r = JSON.parse(String(init?.body));
      const result = r.method === 'getGenesisHash' ? genesis : r.method === 'getTransaction' ? tx : null;
      return new Response(JSON.stringify({ jsonrpc: '2.0', id: r.id, result }));
    }));
  }
  const sq = { asset: sasset, tx: SIG, from: PAYER, to: PAYEE, amount: 10_000n, rpcUrl: 'http://x/', timeoutMs: 1_000 };
  const tx = (meta: Record<string, unknown>) => ({ slot: 1, meta: { err: null, preTokenBalances: [bal(PAYER, 100n), bal(PAYEE, 0n)], postTokenBalances: [bal(PAYER, 100n), bal(PAYEE, 0n)], ...meta } });

  it('confirmed when the payee gains exactly the amount of the mint and the payer loses it', async () => {
    rpc(tx({ postTokenBalances: [bal(PAYER, 100n - 10_000n), bal(PAYEE, 10_000n)] }));
    expect(await readSvmSettlement(sq)).toEqual({ state: 'confirmed' });
  });
  it('with the payer’s signature known, the transaction must carry it (another identical payment’s transaction does not count)', async () => {
    const moved = { postTokenBalances: [bal(PAYER, 100n - 10_000n), bal(PAYEE, 10_000n)] };
    rpc({ ...tx(moved), transaction: { signatures: ['feepayersig', 'oursig'] } });
    expect(await readSvmSettlement({ ...sq, authorizationId: 'oursig' })).toEqual({ state: 'confirmed' });
    rpc({ ...tx(moved), transaction: { signatures: ['feepayersig', 'othersig'] } });
    expect(await readSvmSettlement({ ...sq, authorizationId: 'oursig' })).toMatchObject({ state: 'mismatch' });
  });

  it('mismatch for another amount, another mint, or nothing moved; failed; not-found; another cluster → unknown', async () => {
    rpc(tx({ postTokenBalances: [bal(PAYER, 100n - 9_999n), bal(PAYEE, 9_999n)] }));
    expect(await readSvmSettlement(sq)).toMatchObject({ state: 'mismatch' });
    rpc(tx({ preTokenBalances: [bal(PAYEE, 0n, PAYER)], postTokenBalances: [bal(PAYEE, 10_000n, PAYER)] }));
    expect(await readSvmSettlement(sq)).toMatchObject({ state: 'mismatch' });
    rpc(tx({}));
    expect(await readSvmSettlement(sq)).toMatchObject({ state: 'mismatch' });
    rpc(tx({ err: { InstructionError: [2, 'Custom'] } }));
    expect(await readSvmSettlement(sq)).toMatchObject({ state: 'failed' });
    rpc(null);
    expect(await readSvmSettlement(sq)).toEqual({ state: 'not-found' });
    rpc(tx({ postTokenBalances: [bal(PAYER, 100n - 10_000n), bal(PAYEE, 10_000n)] }), '5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d');
    expect(await readSvmSettlement(sq)).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/another cluster/) });
    expect(await readSvmSettlement({ ...sq, tx: '0xdeadbeef' })).toMatchObject({ state: 'mismatch' });
    // base58 of more than 64 bytes is not a signature (an RPC error must not let the server's word through)
    expect(await readSvmSettlement({ ...sq, tx: 'z'.repeat(90) })).toMatchObject({ state: 'mismatch', reason: expect.stringMatching(/malformed/) });
  });
});

describe('EVM: the transaction that used an EIP-3009 authorization (AuthorizationUsed event)', () => {
  const NONCE = `0x${'5a'.repeat(32)}`;
  const USED_TOPIC = '0x98de503528ee59b575ef0c0a2576a82497bfc029a5685b209e9ec333479b10a5';
  const aq = { asset, from: FROM, nonce: NONCE, rpcUrl: 'http://127.0.0.1:1/', timeoutMs: 1_000 };
  function logsNode(opts: { chainId?: number; head?: bigint; logs?: unknown[] | 'refuse' }) {
    const filters: any[] = [];
    const request = (async ({ method, params }: { method: string; params?: any[] }) => {
      if (method === 'eth_chainId') return numberToHex(opts.chainId ?? 31337);
      if (method === 'eth_blockNumber') return numberToHex(opts.head ?? 500_000n);
      if (method === 'eth_getLogs') {
        filters.push(params![0]);
        if (opts.logs === 'refuse') throw new Error('query exceeds max block range');
        return opts.logs ?? [];
      }
      throw new Error(`unexpected ${method}`);
    }) as EIP1193RequestFn;
    return { transport: () => custom({ request }, { retryCount: 0 }), filters };
  }
  it('asks the token for AuthorizationUsed(payer, nonce) over the last 100,000 blocks and returns the transaction', async () => {
    const n = logsNode({ logs: [{ transactionHash: TX, removed: false, topics: [] }] });
    expect(await findEvmAuthorizationTx(aq, n.transport)).toEqual({ tx: TX });
    expect(n.filters[0]).toMatchObject({ address: TOKEN, fromBlock: numberToHex(400_000n), toBlock: 'latest' });
    expect(n.filters[0].topics).toEqual([USED_TOPIC, pad(FROM.toLowerCase() as `0x${string}`), NONCE]);
  });
  it('no such event → { none } (the RPC\'s "used" is unproven); removed logs do not count', async () => {
    expect(await findEvmAuthorizationTx(aq, logsNode({ logs: [] }).transport)).toEqual({ none: true });
    expect(await findEvmAuthorizationTx(aq, logsNode({ logs: [{ transactionHash: TX, removed: true, topics: [] }] }).transport)).toEqual({ none: true });
  });
  it('cannot tell (undefined) when the RPC refuses the range, serves another chain, or the nonce is not an EIP-3009 nonce', async () => {
    expect(await findEvmAuthorizationTx(aq, logsNode({ logs: 'refuse' }).transport)).toBeUndefined();
    expect(await findEvmAuthorizationTx(aq, logsNode({ chainId: 1 }).transport)).toBeUndefined();
    expect(await findEvmAuthorizationTx({ ...aq, nonce: 'permit2:7' }, logsNode({}).transport)).toBeUndefined();
  });
  it('a young chain is searched from block 0', async () => {
    const n = logsNode({ head: 42n, logs: [] });
    await findEvmAuthorizationTx(aq, n.transport);
    expect(n.filters[0].fromBlock).toBe('0x0');
  });
});
