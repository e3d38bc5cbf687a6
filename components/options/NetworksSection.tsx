/**
 * "Networks & tokens": the "Show test networks" switch, EVM networks the user adds (chain id,
 * name, RPC URL, explorer, testnet flag) and EVM tokens the user adds. A token is added in two
 * steps: "Look up" asks the background to read the contract (name, symbol, decimals, EIP-712
 * version, domain separator check) and shows the facts; "Add token" has the background read and
 * check them again before storing them. This page only sends what the user typed.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ApiError, CustomNetworkDto, CustomTokenDto, NetworkDto, SettingsDto, TokenLookupDto } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { chainIdProblem, looksLikeEvmAddress } from '../../lib/ui/rails';
import { useSettingsStore } from '../../lib/ui/stores/settings';
import { ErrorText } from '../ErrorText';
import { rpcUrlProblem } from './RpcEndpoints';

export function NetworksSection() {
  const settings = useSettingsStore((s) => s.settings);
  const loadError = useSettingsStore((s) => s.error);
  const load = useSettingsStore((s) => s.load);
  const loadNetworks = useSettingsStore((s) => s.loadNetworks);
  const update = useSettingsStore((s) => s.update);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | string | null>(null);

  useEffect(() => {
    void load();
    void loadNetworks();
  }, [load, loadNetworks]);

  if (!settings) {
    return (
      <div data-testid="networks-section">
        <h2>Networks &amp; tokens</h2>
        {loadError ? <ErrorText error={loadError} /> : <p className="muted">Loading…</p>}
      </div>
    );
  }

  const toggleTestnets = async (on: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await update({ showTestnets: on });
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="networks-section">
      <h2>Networks &amp; tokens</h2>
      <label className="inline">
        <input
          type="checkbox"
          data-testid="settings-show-testnets"
          checked={settings.showTestnets}
          disabled={busy}
          onChange={(e) => void toggleTestnets(e.target.checked)}
        />
        Show test networks
      </label>
      <p className="small muted" id="testnets-hint">
        Test networks (Base Sepolia, Solana Devnet, Avalanche Fuji, …) carry no real money. While this is off they are hidden
        from balances, network lists and RPC endpoints, and the wallet refuses payments on them. Tokens and networks you add
        yourself below (and developer test tokens) are always shown and payable.
      </p>
      <ErrorText error={error} />
      <CustomNetworks settings={settings} />
      <CustomTokens settings={settings} />
    </div>
  );
}

function CustomNetworks({ settings }: { settings: SettingsDto }) {
  const addNetwork = useSettingsStore((s) => s.addNetwork);
  const removeNetwork = useSettingsStore((s) => s.removeNetwork);
  const [chainId, setChainId] = useState('');
  const [name, setName] = useState('');
  const [rpcUrl, setRpcUrl] = useState('');
  const [explorerUrl, setExplorerUrl] = useState('');
  const [testnet, setTestnet] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | string | null>(null);

  const run = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(toApiError(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const idProblem = chainIdProblem(chainId);
    if (idProblem) return setError(idProblem);
    if (!name.trim()) return setError('Enter a name for the network, like "My L2".');
    const rpc = rpcUrl.trim();
    if (!rpc) return setError('Enter the network’s RPC URL.');
    if (rpcUrlProblem(rpc)) return setError(`RPC URL: ${rpcUrlProblem(rpc)}`);
    const explorer = explorerUrl.trim();
    if (explorer && rpcUrlProblem(explorer)) return setError(`Explorer URL: ${rpcUrlProblem(explorer)}`);
    const ok = await run(() =>
      addNetwork({ chainId: Number(chainId.trim()), name: name.trim(), rpcUrl: rpc, ...(explorer ? { explorerUrl: explorer } : {}), testnet }),
    );
    if (ok) {
      setChainId('');
      setName('');
      setRpcUrl('');
      setExplorerUrl('');
      setTestnet(false);
    }
  };

  const label = (n: CustomNetworkDto) => `${n.name} (chain ${n.chainId})`;

  return (
    <section aria-labelledby="custom-networks-heading">
      <h3 id="custom-networks-heading">Custom networks</h3>
      <p className="small muted">
        An EVM network the wallet does not know. The wallet asks the RPC for its chain id and saves the network only when it
        matches. Built-in networks cannot be redefined — set your own node for them under Settings → RPC endpoints.
      </p>
      {settings.customNetworks.length === 0 ? (
        <p className="small muted" data-testid="custom-networks-empty">
          No custom networks.
        </p>
      ) : (
        <ul data-testid="custom-networks">
          {settings.customNetworks.map((n) => (
            <li key={n.chainId} className="row" data-testid="custom-network" data-chain-id={n.chainId}>
              <strong data-testid="custom-network-name">{n.name}</strong>
              <span className="small muted">chain {n.chainId}</span>
              {n.testnet && <span className="badge">test network</span>}
              <span className="mono small grow">{n.rpcUrl}</span>
              <button
                type="button"
                aria-label={`Remove network ${label(n)}`}
                data-testid="custom-network-remove"
                disabled={busy}
                onClick={() => void run(() => removeNetwork(n.chainId))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} noValidate aria-label="Add a custom network">
        <div className="grid-fields">
          <div>
            <label htmlFor="network-chain-id">Chain id</label>
            <input
              id="network-chain-id"
              data-testid="network-chain-id"
              inputMode="numeric"
              placeholder="31337"
              value={chainId}
              onChange={(e) => setChainId(e.target.value)}
            />
          </div>
          <div>
            <label htmlFor="network-name">Name</label>
            <input id="network-name" data-testid="network-name" maxLength={40} placeholder="My L2" value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div>
            <label htmlFor="network-rpc">RPC URL</label>
            <input
              id="network-rpc"
              data-testid="network-rpc"
              className="mono"
              spellCheck={false}
              autoComplete="off"
              placeholder="https://…"
              value={rpcUrl}
              onChange={(e) => setRpcUrl(e.target.value)}
            />
          </div>
          <div>
            <label htmlFor="network-explorer">Explorer URL (optional)</label>
            <input
              id="network-explorer"
              data-testid="network-explorer"
              className="mono"
              spellCheck={false}
              autoComplete="off"
              placeholder="https://explorer…"
              value={explorerUrl}
              onChange={(e) => setExplorerUrl(e.target.value)}
            />
          </div>
        </div>
        <div className="row">
          <label className="inline" htmlFor="network-testnet">
            <input id="network-testnet" type="checkbox" data-testid="network-testnet" checked={testnet} onChange={(e) => setTestnet(e.target.checked)} />
            This is a test network
          </label>
          <button type="submit" data-testid="network-add" disabled={busy}>
            {busy ? 'Checking the RPC…' : 'Save network'}
          </button>
        </div>
      </form>
      <ErrorText error={error} testId="network-error" />
    </section>
  );
}

function CustomTokens({ settings }: { settings: SettingsDto }) {
  const networks = useSettingsStore((s) => s.networks);
  const lookupToken = useSettingsStore((s) => s.lookupToken);
  const addToken = useSettingsStore((s) => s.addToken);
  const removeToken = useSettingsStore((s) => s.removeToken);
  const [chainId, setChainId] = useState('');
  const [address, setAddress] = useState('');
  const [found, setFound] = useState<TokenLookupDto | null>(null);
  const [usd, setUsd] = useState(false);
  const [busy, setBusy] = useState<'lookup' | 'add' | 'remove' | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);

  const pickable = (networks ?? []).filter((n) => n.hasRpc);
  const selected = chainId || (pickable[0] ? String(pickable[0].chainId) : '');
  const nameOf = (id: number) => settings.customNetworks.find((n) => n.chainId === id)?.name ?? networks?.find((n) => n.chainId === id)?.name ?? `chain ${id}`;

  const lookup = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setFound(null);
    if (!selected) return setError('Choose the network of the token (add a custom network first, or an RPC endpoint for a built-in one).');
    const addr = address.trim();
    if (!looksLikeEvmAddress(addr)) return setError('Enter the token contract address (0x followed by 40 hex digits).');
    setBusy('lookup');
    try {
      setFound(await lookupToken({ chainId: Number(selected), address: addr }));
      setUsd(false);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
  };

  const add = async () => {
    if (!found) return;
    setBusy('add');
    setError(null);
    try {
      await addToken({
        chainId: found.chainId,
        address: found.address,
        usdPegged: usd,
        // what the user is confirming: the background refuses if the contract now says otherwise
        seen: { symbol: found.symbol, decimals: found.decimals, eip712Name: found.eip712?.name ?? '', eip712Version: found.eip712?.version ?? '', domainSeparator: found.domainSeparator ?? '' },
      });
      setFound(null);
      setAddress('');
      setUsd(false);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
  };

  const remove = async (t: CustomTokenDto) => {
    setBusy('remove');
    setError(null);
    try {
      await removeToken({ chainId: t.chainId, address: t.address });
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
  };

  const option = (n: NetworkDto) => `${n.name} (chain ${n.chainId})${n.testnet ? ' · test network' : ''}`;

  return (
    <section aria-labelledby="custom-tokens-heading">
      <h3 id="custom-tokens-heading">Custom tokens</h3>
      <p className="small muted">
        An ERC-20 token on a built-in or custom network. The wallet reads its name, symbol, decimals and EIP-712 version from
        the contract and adds it only when its DOMAIN_SEPARATOR matches them — otherwise payments signed for it could not be
        checked. A custom token never counts as dollars unless you say so.
      </p>
      {settings.customTokens.length === 0 ? (
        <p className="small muted" data-testid="custom-tokens-empty">
          No custom tokens.
        </p>
      ) : (
        <ul data-testid="custom-tokens">
          {settings.customTokens.map((t) => (
            <li key={`${t.chainId}|${t.address}`} className="row" data-testid="custom-token" data-chain-id={t.chainId} data-address={t.address}>
              <strong data-testid="custom-token-symbol">{t.symbol}</strong>
              <span className="small">{t.name}</span>
              <span className="small muted">on {nameOf(t.chainId)}</span>
              <span className="mono small grow">{t.address}</span>
              <span className="small" data-testid="custom-token-usd">
                {t.usdPegged ? 'counts as dollars' : 'not counted as dollars'}
              </span>
              <button
                type="button"
                aria-label={`Remove token ${t.symbol} (${t.address}) on ${nameOf(t.chainId)}`}
                data-testid="custom-token-remove"
                disabled={busy !== null}
                onClick={() => void remove(t)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="row" onSubmit={lookup} noValidate aria-label="Look up a token">
        <label htmlFor="token-network">Network</label>
        <select
          id="token-network"
          data-testid="token-network"
          value={selected}
          onChange={(e) => {
            setChainId(e.target.value);
            setFound(null);
          }}
        >
          {pickable.length === 0 && <option value="">No network with an RPC endpoint</option>}
          {pickable.map((n) => (
            <option key={n.chainId} value={String(n.chainId)}>
              {option(n)}
            </option>
          ))}
        </select>
        <label htmlFor="token-address">Token address</label>
        <input
          id="token-address"
          data-testid="token-address"
          className="mono grow"
          spellCheck={false}
          autoComplete="off"
          placeholder="0x…"
          value={address}
          onChange={(e) => {
            setAddress(e.target.value);
            setFound(null);
          }}
        />
        <button type="submit" data-testid="token-lookup" disabled={busy !== null}>
          {busy === 'lookup' ? 'Reading the contract…' : 'Look up'}
        </button>
      </form>
      {networks && networks.length > pickable.length && (
        <p className="small muted">Networks without an RPC endpoint are not listed: set one under Settings → RPC endpoints.</p>
      )}
      <ErrorText error={error} testId="token-error" />
      {found && <LookupPanel found={found} usd={usd} setUsd={setUsd} busy={busy !== null} onAdd={() => void add()} onCancel={() => setFound(null)} />}
    </section>
  );
}

function LookupPanel(props: {
  found: TokenLookupDto;
  usd: boolean;
  setUsd: (v: boolean) => void;
  busy: boolean;
  onAdd: () => void;
  onCancel: () => void;
}) {
  const f = props.found;
  return (
    <section className="card" aria-labelledby="token-facts-heading" data-testid="token-facts">
      <h4 id="token-facts-heading">What the contract says</h4>
      <dl className="facts">
        <dt>Network</dt>
        <dd data-testid="token-fact-chain">
          {f.networkName} (chain {f.chainId})
        </dd>
        <dt>Address</dt>
        <dd className="mono" data-testid="token-fact-address">
          {f.address}
        </dd>
        <dt>Name</dt>
        <dd data-testid="token-fact-name">{f.name}</dd>
        <dt>Symbol</dt>
        <dd data-testid="token-fact-symbol">{f.symbol}</dd>
        <dt>Decimals</dt>
        <dd data-testid="token-fact-decimals">{f.decimals}</dd>
        <dt>EIP-712 domain</dt>
        <dd data-testid="token-fact-version">
          {f.eip712 ? `name “${f.eip712.name}”, version “${f.eip712.version}” (${f.eip712.source === 'eip712Domain' ? 'from eip712Domain()' : 'from name() and version()'})` : 'unknown'}
        </dd>
        <dt>Domain separator</dt>
        <dd data-testid="token-fact-domain" data-matches={f.domainMatches}>
          {f.domainMatches ? '✓ DOMAIN_SEPARATOR() matches' : '✗ does not match'}
          <span className="mono small" data-testid="token-fact-separator">
            {' '}
            {f.domainSeparator ?? 'no DOMAIN_SEPARATOR()'}
          </span>
          {!f.domainMatches && f.computedSeparator && <span className="mono small"> (expected {f.computedSeparator})</span>}
        </dd>
        <dt>Transfers</dt>
        <dd data-testid="token-fact-transfers">{f.eip3009 ? 'EIP-3009 (transferWithAuthorization)' : 'Permit2 only (no EIP-3009)'}</dd>
      </dl>
      {f.warnings.length > 0 && (
        <ul className="warning" data-testid="token-warnings">
          {f.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {f.problem ? (
        <p className="error" role="alert" data-testid="token-problem">
          This token can’t be added: {f.problem}.
        </p>
      ) : (
        <>
          <label className="inline" htmlFor="token-usd">
            <input id="token-usd" type="checkbox" data-testid="token-usd" checked={props.usd} aria-describedby="token-usd-warning" onChange={(e) => props.setUsd(e.target.checked)} />
            Counts as dollars (1 {f.symbol} = $1)
          </label>
          <p className="small warning" id="token-usd-warning">
            Tick this only for a stablecoin redeemable 1:1 for US dollars. The wallet then counts {f.symbol} in dollar budgets and
            may pay it automatically within a site’s budget. Left off, every payment in {f.symbol} asks you first.
          </p>
        </>
      )}
      <div className="row">
        <button type="button" className="primary" data-testid="token-add" disabled={props.busy || !!f.problem} onClick={props.onAdd}>
          Add token
        </button>
        <button type="button" data-testid="token-cancel" disabled={props.busy} onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
