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
import { Button, Field } from '../Card';
import { S } from '../strings';

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
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return S.rpc.onlyHttp;
    return null;
  } catch {
    return S.rpc.badUrl;
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
      <h3 id="rpc-heading">{S.rpc.title}</h3>
      <p className="small muted">
        {S.rpc.lead.start}
        <code>{S.rpc.lead.evmExample}</code>
        {S.rpc.lead.solana}
        <code>{SOLANA_MAINNET_ID}</code>
        {S.rpc.lead.mainnet}{' '}
        <code>{SOLANA_DEVNET_ID}</code>
        {S.rpc.lead.devnet}{' '}
        {builtIn.map(([id, u], i) => (
          <span key={id} data-testid="rpc-built-in" data-key={id}>
            {i > 0 ? S.rpc.lead.listSeparator : ''}
            {rpcKeyText(id)} <code>{u}</code>
          </span>
        ))}
        {S.rpc.lead.end}
      </p>
      <ul data-testid="rpc-urls">
        {entries.map(([id, u]) => (
          <li key={id} className="row" data-testid="rpc-url-row">
            <span className="mono grow">
              {rpcKeyText(id)} · {u === '' ? S.rpc.off : u}
            </span>
            <Button aria-label={S.rpc.removeLabel(rpcKeyText(id))} disabled={props.busy} onClick={() => remove(id)}>
              {S.rpc.remove}
            </Button>
          </li>
        ))}
      </ul>
      <form className="row" onSubmit={add} noValidate>
        <Field id="rpc-chain" label={S.rpc.chain} inline>
          <input
            id="rpc-chain"
            data-testid="rpc-chain"
            className="mono"
            spellCheck={false}
            autoComplete="off"
            placeholder={S.rpc.chainPlaceholder}
            aria-describedby="rpc-chain-hint"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            size={24}
          />
        </Field>
        <span id="rpc-chain-hint" className="visually-hidden">
          {S.rpc.chainHint(SOLANA_DEVNET_ID)}
        </span>
        <Field id="rpc-url" label={S.rpc.url} inline className="grow">
          <input
            id="rpc-url"
            data-testid="rpc-url"
            className="mono grow"
            placeholder="https://…"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </Field>
        <Button type="submit" testId="rpc-add" disabled={props.busy}>
          {S.rpc.save}
        </Button>
      </form>
      <ErrorText error={error} />
    </section>
  );
}
