/**
 * Developer setting: locally deployed USDC the wallet may pay with (the built-in playground's,
 * or a developer's own test chain). Nothing here is trusted until the user adds it.
 */
import { useState, type FormEvent } from 'react';
import type { ApiError, SettingsDto } from '../../lib/messaging/contract';
import { ErrorText } from '../ErrorText';

type Token = SettingsDto['playgroundTokens'][number];

export function PlaygroundTokens(props: {
  tokens: Token[];
  busy: boolean;
  apply: (patch: Partial<SettingsDto>) => Promise<boolean>;
}) {
  const [chainId, setChainId] = useState('31337');
  const [address, setAddress] = useState('');
  const [error, setError] = useState<ApiError | string | null>(null);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const id = Number(chainId);
    if (!/^\d+$/.test(chainId.trim()) || !Number.isSafeInteger(id) || id <= 0) return setError('Enter the chain id as a whole number, like 31337.');
    if (!/^0x[0-9a-fA-F]{40}$/.test(address.trim())) return setError('Enter the token contract address (0x followed by 40 hex digits).');
    const token: Token = { chainId: id, address: address.trim() as `0x${string}` };
    if (await props.apply({ playgroundTokens: [...props.tokens, token] })) setAddress('');
  };

  return (
    <section aria-labelledby="playground-heading">
      <h3 id="playground-heading">Developer: local test tokens</h3>
      <p className="small muted">
        USDC contracts you deployed yourself (Circle FiatToken v2, “USD Coin” version 2, 6 decimals), for example the
        playground started by <code>npm run demo</code>. Only add contracts you deployed: the wallet treats them as
        dollars.
      </p>
      <ul data-testid="playground-tokens">
        {props.tokens.map((t) => (
          <li key={`${t.chainId}:${t.address}`} className="row">
            <span className="mono">
              chain {t.chainId} · {t.address}
            </span>
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
        <button type="submit" data-testid="playground-add" disabled={props.busy}>
          Add token
        </button>
      </form>
      <ErrorText error={error} />
    </section>
  );
}
