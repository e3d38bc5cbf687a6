/**
 * SPL token balance over Solana JSON-RPC: the cluster's genesis hash (an RPC of another
 * cluster must not answer for this one) and the owner's associated token account, read as raw
 * account data (owner program, mint, owner and amount checked). No account → 0. Never throws.
 */
import type { BalanceQuery, BalanceRead, SvmAsset } from '../types.ts';
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from './assets.ts';
import { associatedTokenAddress } from './transaction.ts';
import { base58, base64 } from '@scure/base';

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
    const ref = q.asset.network.slice('solana:'.length);
    if (typeof genesis !== 'string' || genesis.slice(0, 32) !== ref) {
      return { ok: false, reason: `the RPC serves another cluster (genesis ${String(genesis).slice(0, 12)}…)` };
    }
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
