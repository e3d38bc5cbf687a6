/**
 * Developer setting: JSON-RPC endpoints per network, keyed by EVM chain id ("8453") or Solana
 * CAIP-2 network id ("solana:5eyk…"). Used to read token balances (so the wallet can tell
 * whether it can fund a payment) and, on Solana, to build payments. Base, Base Sepolia, Solana
 * mainnet and devnet have public defaults.
 */
import { useState, type FormEvent } from 'react';
import type { ApiError, SettingsDto } from '../../lib/messaging/contract';
import { compareRpcKeys, DEFAULT_RPC_URLS, isTestNetwork, parseRpcKey, rpcKeyText, SOLANA_DEVNET_ID, SOLANA_MAINNET_ID } from '../../lib/ui/rails';
import { ErrorText } from '../ErrorText';

/** The background's built-in endpoints (lib/rails/networks.ts), shown for reference: [settings key, URL, test network]. */
const BUILT_IN: [string, string, boolean][] = Object.entries(DEFAULT_RPC_URLS).map(([network, url]) => [
  network.startsWith('eip155:') ? network.slice('eip155:'.length) : network,
  url,
  isTestNetwork(network),
]);

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
  /** "Show test networks": the built-in test network endpoints are listed only when on */
  showTestnets?: boolean;
  busy: boolean;
  apply: (patch: Partial<SettingsDto>) => Promise<boolean>;
}) {
  const [key, setKey] = useState('');
  const [url, setUrl] = useState('');
  const [error, setError] = useState<ApiError | string | null>(null);
  const entries = Object.entries(props.rpcUrls).sort(([a], [b]) => compareRpcKeys(a, b));
  const builtIn = BUILT_IN.filter(([, , test]) => props.showTestnets || !test);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed = parseRpcKey(key);
    if (!parsed.ok) return setError(parsed.error);
    const id = parsed.key;
    const u = url.trim();
    if (u !== '') {
      const problem = rpcUrlProblem(u);
      if (problem) return setError(problem);
    }
    if (await props.apply({ rpcUrls: { ...props.rpcUrls, [id]: u } })) {
      setKey('');
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
        Used to read your token balances, so the wallet can tell whether it can fund a payment (your address is sent to
        the endpoint), and on Solana also to build the payment transaction. Name an EVM network by its chain id (
        <code>8453</code>) and a Solana network by its network id (<code>{SOLANA_MAINNET_ID}</code> for mainnet,{' '}
        <code>{SOLANA_DEVNET_ID}</code> for devnet). Built in, unless you set your own:{' '}
        {builtIn.map(([id, u], i) => (
          <span key={id} data-testid="rpc-built-in" data-key={id}>
            {i > 0 ? ', ' : ''}
            {rpcKeyText(id)} <code>{u}</code>
          </span>
        ))}
        . Save a network with an empty URL to turn lookups off for it (a Solana network without an endpoint cannot be paid
        on). Local test tokens can carry their own URL below.
      </p>
      <ul data-testid="rpc-urls">
        {entries.map(([id, u]) => (
          <li key={id} className="row" data-testid="rpc-url-row">
            <span className="mono grow">
              {rpcKeyText(id)} · {u === '' ? 'off (no lookups)' : u}
            </span>
            <button type="button" aria-label={`Remove the RPC endpoint of ${rpcKeyText(id)}`} disabled={props.busy} onClick={() => remove(id)}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form className="row" onSubmit={add} noValidate>
        <label htmlFor="rpc-chain">Chain id or Solana network id</label>
        <input
          id="rpc-chain"
          data-testid="rpc-chain"
          className="mono"
          spellCheck={false}
          autoComplete="off"
          placeholder="8453 or solana:…"
          aria-describedby="rpc-chain-hint"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          size={24}
        />
        <span id="rpc-chain-hint" className="visually-hidden">
          For example 8453 for Base, or {SOLANA_DEVNET_ID} for Solana Devnet.
        </span>
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
