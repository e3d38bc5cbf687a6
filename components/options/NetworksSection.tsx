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
import { Button, Check, Field } from '../Card';
import { S } from '../strings';

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
        <h2>{S.networks.title}</h2>
        {loadError ? <ErrorText error={loadError} /> : <p className="muted">{S.loading}</p>}
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
      <h2>{S.networks.title}</h2>
      <Check
        testId="settings-show-testnets"
        checked={settings.showTestnets}
        disabled={busy}
        onChange={(e) => void toggleTestnets(e.target.checked)}
        label={S.networks.showTestnets}
      />
      <p className="small muted" id="testnets-hint">
        {S.networks.testnetsHint}
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
    if (!name.trim()) return setError(S.networks.enterName);
    const rpc = rpcUrl.trim();
    if (!rpc) return setError(S.networks.enterRpc);
    if (rpcUrlProblem(rpc)) return setError(S.networks.rpcProblem(rpcUrlProblem(rpc)!));
    const explorer = explorerUrl.trim();
    if (explorer && rpcUrlProblem(explorer)) return setError(S.networks.explorerProblem(rpcUrlProblem(explorer)!));
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

  const label = (n: CustomNetworkDto) => S.networks.networkLabel(n.name, n.chainId);

  return (
    <section aria-labelledby="custom-networks-heading">
      <h3 id="custom-networks-heading">{S.networks.customNetworks}</h3>
      <p className="small muted">
        {S.networks.customNetworksLead}
      </p>
      {settings.customNetworks.length === 0 ? (
        <p className="small muted" data-testid="custom-networks-empty">
          {S.networks.noNetworks}
        </p>
      ) : (
        <ul data-testid="custom-networks">
          {settings.customNetworks.map((n) => (
            <li key={n.chainId} className="row" data-testid="custom-network" data-chain-id={n.chainId}>
              <strong data-testid="custom-network-name">{n.name}</strong>
              <span className="small muted">{S.networks.chain(n.chainId)}</span>
              {n.testnet && <span className="badge">{S.networks.testNetwork}</span>}
              <span className="mono small grow">{n.rpcUrl}</span>
              <Button
                aria-label={S.networks.removeNetwork(label(n))}
                testId="custom-network-remove"
                disabled={busy}
                onClick={() => void run(() => removeNetwork(n.chainId))}
              >
                {S.networks.remove}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} noValidate aria-label={S.networks.addNetwork}>
        <div className="grid-fields">
          <Field id="network-chain-id" label={S.networks.chainId}>
            <input
              id="network-chain-id"
              data-testid="network-chain-id"
              inputMode="numeric"
              placeholder="31337"
              value={chainId}
              onChange={(e) => setChainId(e.target.value)}
            />
          </Field>
          <Field id="network-name" label={S.networks.name}>
            <input id="network-name" data-testid="network-name" maxLength={40} placeholder="My L2" value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field id="network-rpc" label={S.networks.rpcUrl}>
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
          </Field>
          <Field id="network-explorer" label={S.networks.explorerUrl}>
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
          </Field>
        </div>
        <div className="row">
          <Check id="network-testnet" testId="network-testnet" checked={testnet} onChange={(e) => setTestnet(e.target.checked)} label={S.networks.isTestnet} />
          <Button type="submit" testId="network-add" disabled={busy}>
            {busy ? S.networks.checkingRpc : S.networks.saveNetwork}
          </Button>
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
  const nameOf = (id: number) => settings.customNetworks.find((n) => n.chainId === id)?.name ?? networks?.find((n) => n.chainId === id)?.name ?? S.networks.chain(id);

  const lookup = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setFound(null);
    if (!selected) return setError(S.networks.chooseNetwork);
    const addr = address.trim();
    if (!looksLikeEvmAddress(addr)) return setError(S.networks.enterTokenAddress);
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

  const option = (n: NetworkDto) => S.networks.option(n.name, n.chainId, !!n.testnet);

  return (
    <section aria-labelledby="custom-tokens-heading">
      <h3 id="custom-tokens-heading">{S.networks.customTokens}</h3>
      <p className="small muted">
        {S.networks.customTokensLead}
      </p>
      {settings.customTokens.length === 0 ? (
        <p className="small muted" data-testid="custom-tokens-empty">
          {S.networks.noTokens}
        </p>
      ) : (
        <ul data-testid="custom-tokens">
          {settings.customTokens.map((t) => (
            <li key={`${t.chainId}|${t.address}`} className="row" data-testid="custom-token" data-chain-id={t.chainId} data-address={t.address}>
              <strong data-testid="custom-token-symbol">{t.symbol}</strong>
              <span className="small">{t.name}</span>
              <span className="small muted">{S.networks.on(nameOf(t.chainId))}</span>
              <span className="mono small grow">{t.address}</span>
              <span className="small" data-testid="custom-token-usd">
                {S.networks.usd(t.usdPegged)}
              </span>
              <Button
                aria-label={S.networks.removeToken(t.symbol, t.address, nameOf(t.chainId))}
                testId="custom-token-remove"
                disabled={busy !== null}
                onClick={() => void remove(t)}
              >
                {S.networks.remove}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form className="row" onSubmit={lookup} noValidate aria-label={S.networks.lookUpToken}>
        <Field id="token-network" label={S.networks.network} inline>
          <select
            id="token-network"
            data-testid="token-network"
            value={selected}
            onChange={(e) => {
              setChainId(e.target.value);
              setFound(null);
            }}
          >
            {pickable.length === 0 && <option value="">{S.networks.noRpcNetwork}</option>}
            {pickable.map((n) => (
              <option key={n.chainId} value={String(n.chainId)}>
                {option(n)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="token-address" label={S.networks.tokenAddress} inline className="grow">
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
        </Field>
        <Button type="submit" testId="token-lookup" disabled={busy !== null}>
          {busy === 'lookup' ? S.networks.reading : S.networks.lookUp}
        </Button>
      </form>
      {networks && networks.length > pickable.length && (
        <p className="small muted">{S.networks.unlisted}</p>
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
      <h4 id="token-facts-heading">{S.networks.facts.title}</h4>
      <dl className="facts">
        <dt>{S.networks.facts.network}</dt>
        <dd data-testid="token-fact-chain">{S.networks.facts.chain(f.networkName, f.chainId)}</dd>
        <dt>{S.networks.facts.address}</dt>
        <dd className="mono" data-testid="token-fact-address">
          {f.address}
        </dd>
        <dt>{S.networks.facts.name}</dt>
        <dd data-testid="token-fact-name">{f.name}</dd>
        <dt>{S.networks.facts.symbol}</dt>
        <dd data-testid="token-fact-symbol">{f.symbol}</dd>
        <dt>{S.networks.facts.decimals}</dt>
        <dd data-testid="token-fact-decimals">{f.decimals}</dd>
        <dt>{S.networks.facts.domain}</dt>
        <dd data-testid="token-fact-version">
          {S.networks.facts.domainValue(f.eip712 && { name: f.eip712.name, version: f.eip712.version, fromDomain: f.eip712.source === 'eip712Domain' })}
        </dd>
        <dt>{S.networks.facts.separator}</dt>
        <dd data-testid="token-fact-domain" data-matches={f.domainMatches}>
          {S.networks.facts.matches(f.domainMatches)}
          <span className="mono small" data-testid="token-fact-separator">
            {' '}
            {f.domainSeparator ?? S.networks.facts.noSeparator}
          </span>
          {!f.domainMatches && f.computedSeparator && <span className="mono small">{S.networks.facts.expected(f.computedSeparator)}</span>}
        </dd>
        <dt>{S.networks.facts.transfers}</dt>
        <dd data-testid="token-fact-transfers">{S.networks.facts.transfersValue(f.eip3009)}</dd>
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
          {S.networks.facts.problem(f.problem)}
        </p>
      ) : (
        <>
          <Check
            id="token-usd"
            testId="token-usd"
            checked={props.usd}
            aria-describedby="token-usd-warning"
            onChange={(e) => props.setUsd(e.target.checked)}
            label={S.networks.facts.countsAsDollars(f.symbol)}
          />
          <p className="small warning" id="token-usd-warning">
            {S.networks.facts.usdWarning(f.symbol)}
          </p>
        </>
      )}
      <div className="row">
        <Button variant="primary" testId="token-add" disabled={props.busy || !!f.problem} onClick={props.onAdd}>
          {S.networks.facts.add}
        </Button>
        <Button testId="token-cancel" disabled={props.busy} onClick={props.onCancel}>
          {S.networks.facts.cancel}
        </Button>
      </div>
    </section>
  );
}
