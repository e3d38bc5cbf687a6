/**
 * SPL token balance over Solana JSON-RPC: the cluster's genesis hash (an RPC of another
 * cluster must not answer for this one) and the owner's associated token account, read as raw
 * account data (owner program, mint, owner and amount checked). No account → 0. Never throws.
 */
import type { BalanceQuery, BalanceRead, SettlementCheck, SettlementQuery, SvmAsset } from '../types.ts';
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from './assets.ts';
import { associatedTokenAddress } from './transaction.ts';
import { base58, base64 } from '@scure/base';

/** Why the RPC's genesis hash is not the network's (CAIP-2 reference = its first 32 characters), or undefined when it is. */
function otherCluster(genesis: unknown, network: string): string | undefined {
  if (typeof genesis === 'string' && genesis.slice(0, 32) === network.slice('solana:'.length)) return undefined;
  return `the RPC serves another cluster (genesis ${String(genesis).slice(0, 12)}…)`;
}

async function rpc(url: string, method: string, params: unknown[], signal: AbortSignal): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal,
  });
  if (!res.ok) throw new Error(`HTTP ${res.status} from the RPC`);
  const doc = (await res.json()) as { result?: unknown; error?: { message?: unknown } };
  if (doc.error) throw new Error(`RPC error: ${String(doc.error.message ?? 'unknown').slice(0, 120)}`);
  return doc.result;
}

interface AccountValue {
  owner: string;
  data: [string, string];
}

/** Amount of a token account's raw data (165-byte SPL layout: mint 0..32, owner 32..64, amount 64..72). */
function tokenAmount(acct: AccountValue, mint: string, owner: string): bigint {
  const bytes = base64.decode(acct.data[0]);
  if (bytes.length < 72) throw new Error('the token account data is too short');
  if (base58.encode(bytes.slice(0, 32)) !== mint || base58.encode(bytes.slice(32, 64)) !== owner) {
    throw new Error('the RPC returned a token account of another mint or owner');
  }
  return new DataView(bytes.buffer, bytes.byteOffset + 64, 8).getBigUint64(0, true);
}

export async function readSvmBalance(q: BalanceQuery<SvmAsset>): Promise<BalanceRead> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), q.timeoutMs);
  try {
    const programs = q.asset.tokenProgram ? [q.asset.tokenProgram] : [TOKEN_PROGRAM, TOKEN_2022_PROGRAM];
    const atas = await Promise.all(programs.map((p) => associatedTokenAddress(q.owner, q.asset.address, p)));
    const [genesis, ...accounts] = await Promise.all([
      rpc(q.rpcUrl, 'getGenesisHash', [], ctl.signal),
      ...atas.map((a) => rpc(q.rpcUrl, 'getAccountInfo', [a, { encoding: 'base64' }], ctl.signal)),
    ]);
    const other = otherCluster(genesis, q.asset.network);
    if (other) return { ok: false, reason: other };
    let total = 0n;
    accounts.forEach((r, i) => {
      const value = (r as { value?: AccountValue | null } | null)?.value;
      if (!value) return;
      if (value.owner !== programs[i]) throw new Error('the token account belongs to another program');
      total += tokenAmount(value, q.asset.address, q.owner);
    });
    return { ok: true, atomic: total };
  } catch (e) {
    const reason = ctl.signal.aborted ? `no answer within ${q.timeoutMs / 1000} s` : (e as Error)?.message ?? 'RPC error';
    return { ok: false, reason: reason.split('\n')[0]!.slice(0, 160) };
  } finally {
    clearTimeout(timer);
  }
}

/** A Solana transaction signature: base58 of exactly 64 bytes. */
function isSignature(s: string): boolean {
  if (!/^[1-9A-HJ-NP-Za-km-z]{64,90}$/.test(s)) return false;
  try {
    return base58.decode(s).length === 64;
  } catch {
    return false;
  }
}

interface TokenBalanceJson {
  mint: string;
  owner?: string;
  uiTokenAmount: { amount: string };
}

/**
 * The chain's word on a claimed settlement: the transaction with this signature is on the
 * cluster, succeeded, and its token balances show the mint leaving the payer and reaching the
 * payee by exactly `amount` (pre/post token balances by owner, so any token account layout is read
 * right).
 */
export async function readSvmSettlement(q: SettlementQuery<SvmAsset>): Promise<SettlementCheck> {
  if (!isSignature(q.tx)) return { state: 'mismatch', reason: 'the transaction signature is malformed' };
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), q.timeoutMs);
  try {
    const [genesis, tx] = await Promise.all([
      rpc(q.rpcUrl, 'getGenesisHash', [], ctl.signal),
      rpc(q.rpcUrl, 'getTransaction', [q.tx, { encoding: 'json', commitment: 'confirmed', maxSupportedTransactionVersion: 0 }], ctl.signal),
    ]);
    const other = otherCluster(genesis, q.asset.network);
    if (other) return { state: 'unknown', reason: other };
    const found = tx as {
      meta?: { err: unknown; preTokenBalances?: TokenBalanceJson[]; postTokenBalances?: TokenBalanceJson[] };
      transaction?: { signatures?: string[] };
    } | null;
    const meta = found?.meta;
    if (!found || !meta) return { state: 'not-found' };
    // this very transaction: it carries the payer's signature the wallet made (not another payment like it)
    if (q.authorizationId && !(found.transaction?.signatures ?? []).includes(q.authorizationId)) {
      return { state: 'mismatch', reason: 'the transaction is not the one the wallet signed' };
    }
    if (meta.err !== null && meta.err !== undefined) return { state: 'failed', reason: `the transaction failed (${JSON.stringify(meta.err).slice(0, 80)})` };
    const delta = (owner: string) => {
      const sum = (list: TokenBalanceJson[] | undefined) =>
        (list ?? []).filter((b) => b.mint === q.asset.address && b.owner === owner).reduce((n, b) => n + BigInt(b.uiTokenAmount.amount), 0n);
      return sum(meta.postTokenBalances) - sum(meta.preTokenBalances);
    };
    // With the wallet's own signature matched, the transaction is exactly the one it checked and
    // signed: the payer's side proves it executed (a Token-2022 transfer fee may reduce the payee's).
    if (delta(q.from) === -q.amount && (q.authorizationId || delta(q.to) === q.amount)) return { state: 'confirmed' };
    return { state: 'mismatch', reason: `the transaction moves no ${q.asset.symbol} from the payer to the payee for this amount` };
  } catch (e) {
    const reason = ctl.signal.aborted ? `no answer within ${q.timeoutMs / 1000} s` : ((e as Error)?.message ?? 'RPC error');
    return { state: 'unknown', reason: reason.split('\n')[0]!.slice(0, 160) };
  } finally {
    clearTimeout(timer);
  }
}
