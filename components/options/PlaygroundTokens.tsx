/**
 * Developer setting: locally deployed USDC the wallet may pay with (the built-in playground's,
 * or a developer's own test chain). Nothing here is trusted until the user adds it.
 */
import { useState, type FormEvent } from 'react';
import type { ApiError, SettingsDto } from '../../lib/messaging/contract';
import { ErrorText } from '../ErrorText';
import { rpcUrlProblem } from './RpcEndpoints';

type Token = SettingsDto['playgroundTokens'][number];

export function PlaygroundTokens(props: {
  tokens: Token[];
  busy: boolean;
  apply: (patch: Partial<SettingsDto>) => Promise<boolean>;
}) {
  const [chainId, setChainId] = useState('31337');
  const [address, setAddress] = useState('');
  const [rpcUrl, setRpcUrl] = useState('');
  /** per-token RPC URL being edited: token key → text */
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | string | null>(null);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const id = Number(chainId);
    if (!/^\d+$/.test(chainId.trim()) || !Number.isSafeInteger(id) || id <= 0) return setError('Enter the chain id as a whole number, like 31337.');
    if (!/^0x[0-9a-fA-F]{40}$/.test(address.trim())) return setError('Enter the token contract address (0x followed by 40 hex digits).');
    const rpc = rpcUrl.trim();
    if (rpc && rpcUrlProblem(rpc)) return setError(`RPC URL: ${rpcUrlProblem(rpc)}`);
    const token: Token = { chainId: id, address: address.trim() as `0x${string}`, ...(rpc ? { rpcUrl: rpc } : {}) };
    if (await props.apply({ playgroundTokens: [...props.tokens, token] })) {
      setAddress('');
      setRpcUrl('');
    }
  };
  const keyOf = (t: Token) => `${t.chainId}:${t.address}`;
  const saveRpc = async (t: Token) => {
    setError(null);
    const rpc = (edits[keyOf(t)] ?? t.rpcUrl ?? '').trim();
    if (rpc && rpcUrlProblem(rpc)) return setError(`RPC URL: ${rpcUrlProblem(rpc)}`);
    const next = props.tokens.map((x) => {
      if (x !== t) return x;
      const { rpcUrl: _old, ...rest } = x;
      return rpc ? { ...rest, rpcUrl: rpc } : rest;
    });
    if (await props.apply({ playgroundTokens: next }))
      setEdits((e) => {
        const n = { ...e };
        delete n[keyOf(t)];
        return n;
      });
  };

  return (
    <section aria-labelledby="playground-heading">
      <h3 id="playground-heading">Developer: local test tokens</h3>
      <p className="small muted">
        USDC contracts you deployed yourself (Circle FiatToken v2, “USD Coin” version 2, 6 decimals), for example the
        playground started by <code>npm run demo</code>. Only add contracts you deployed: the wallet treats them as
        dollars. With the chain’s RPC URL the wallet shows its balance and won’t offer payments it can’t fund.
      </p>
      <ul data-testid="playground-tokens">
        {props.tokens.map((t) => (
          <li key={keyOf(t)} className="row" data-testid="playground-token">
            <span className="mono">
              chain {t.chainId} · {t.address}
            </span>
            <input
              className="mono grow"
              aria-label={`RPC URL for test token ${t.address} on chain ${t.chainId} (for balances)`}
              data-testid="playground-token-rpc"
              placeholder="RPC URL (optional)"
              value={edits[keyOf(t)] ?? t.rpcUrl ?? ''}
              onChange={(e) => setEdits((x) => ({ ...x, [keyOf(t)]: e.target.value }))}
            />
            {edits[keyOf(t)] !== undefined && edits[keyOf(t)] !== (t.rpcUrl ?? '') && (
              <button type="button" data-testid="playground-token-rpc-save" disabled={props.busy} onClick={() => void saveRpc(t)}>
                Save RPC
              </button>
            )}
            <button
              type="button"
              aria-label={`Remove test token ${t.address} on chain ${t.chainId}`}
              disabled={props.busy}
              onClick={() => void props.apply({ playgroundTokens: props.tokens.filter((x) => x !== t) })}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form className="row" onSubmit={add} noValidate>
        <label htmlFor="playground-chain">Chain id</label>
        <input id="playground-chain" data-testid="playground-chain" inputMode="numeric" value={chainId} onChange={(e) => setChainId(e.target.value)} size={8} />
        <label htmlFor="playground-address">Token address</label>
        <input
          id="playground-address"
          data-testid="playground-address"
          className="mono"
          placeholder="0x…"
          value={address}
          onChange={(e) => setAddress(e.target.value)}
        />
        <label htmlFor="playground-rpc">RPC URL (optional)</label>
        <input
          id="playground-rpc"
          data-testid="playground-rpc"
          className="mono"
          placeholder="http://127.0.0.1:8545"
          value={rpcUrl}
          onChange={(e) => setRpcUrl(e.target.value)}
        />
        <button type="submit" data-testid="playground-add" disabled={props.busy}>
          Add token
        </button>
      </form>
      <ErrorText error={error} />
    </section>
  );
}
