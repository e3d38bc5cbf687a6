/**
 * Developer setting: JSON-RPC endpoints per chain, used only to read token balances (so the
 * wallet can tell whether it can fund a payment). Base and Base Sepolia have public defaults.
 */
import { useState, type FormEvent } from 'react';
import type { ApiError, SettingsDto } from '../../lib/messaging/contract';
import { ErrorText } from '../ErrorText';

/** The background's built-in endpoints (lib/background/balances.ts DEFAULT_RPC_URLS), shown for reference. */
const BUILT_IN: [string, string, string][] = [
  ['8453', 'Base', 'https://mainnet.base.org'],
  ['84532', 'Base Sepolia', 'https://sepolia.base.org'],
];

/** A quick check before asking the background (which validates again). */
export function rpcUrlProblem(text: string): string | null {
  try {
    const u = new URL(text);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'Only http:// and https:// URLs are allowed.';
    return null;
  } catch {
    return 'Enter a URL like https://mainnet.base.org.';
  }
}

export function RpcEndpoints(props: {
  rpcUrls: Record<string, string>;
  busy: boolean;
  apply: (patch: Partial<SettingsDto>) => Promise<boolean>;
}) {
  const [chainId, setChainId] = useState('');
  const [url, setUrl] = useState('');
  const [error, setError] = useState<ApiError | string | null>(null);
  const entries = Object.entries(props.rpcUrls).sort(([a], [b]) => Number(a) - Number(b));

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const id = chainId.trim();
    if (!/^[1-9][0-9]{0,15}$/.test(id) || !Number.isSafeInteger(Number(id))) return setError('Enter the chain id as a whole number, like 8453.');
    const u = url.trim();
    if (u !== '') {
      const problem = rpcUrlProblem(u);
      if (problem) return setError(problem);
    }
    if (await props.apply({ rpcUrls: { ...props.rpcUrls, [id]: u } })) {
      setChainId('');
      setUrl('');
    }
  };
  const remove = (id: string) => {
    const next = { ...props.rpcUrls };
    delete next[id];
    void props.apply({ rpcUrls: next });
  };

  return (
    <section aria-labelledby="rpc-heading">
      <h3 id="rpc-heading">Developer: RPC endpoints</h3>
      <p className="small muted">
        Used only to read your token balances, so the wallet can tell whether it can fund a payment (your address is sent
        to the endpoint). Built in, unless you set your own:{' '}
        {BUILT_IN.map(([id, name, u], i) => (
          <span key={id}>
            {i > 0 ? ', ' : ''}
            {name} ({id}) <code>{u}</code>
          </span>
        ))}
        . Save a chain with an empty URL to turn balance lookups off for it. Local test tokens can carry their own URL
        below.
      </p>
      <ul data-testid="rpc-urls">
        {entries.map(([id, u]) => (
          <li key={id} className="row" data-testid="rpc-url-row">
            <span className="mono grow">
              chain {id} · {u === '' ? 'off (no balance lookups)' : u}
            </span>
            <button type="button" aria-label={`Remove the RPC endpoint of chain ${id}`} disabled={props.busy} onClick={() => remove(id)}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form className="row" onSubmit={add} noValidate>
        <label htmlFor="rpc-chain">Chain id</label>
        <input id="rpc-chain" data-testid="rpc-chain" inputMode="numeric" value={chainId} onChange={(e) => setChainId(e.target.value)} size={8} />
        <label htmlFor="rpc-url">URL</label>
        <input
          id="rpc-url"
          data-testid="rpc-url"
          className="mono grow"
          placeholder="https://…"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <button type="submit" data-testid="rpc-add" disabled={props.busy}>
          Save endpoint
        </button>
      </form>
      <ErrorText error={error} />
    </section>
  );
}
