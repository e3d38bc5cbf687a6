/**
 * Developer setting: locally deployed test USDC the wallet may pay with (the built-in
 * playground's, or a developer's own test chain): an EVM FiatToken v2 by chain id, or a
 * Solana SPL mint by CAIP-2 network id. Nothing here is trusted until the user adds it.
 */
import { useState, type FormEvent } from 'react';
import type { ApiError, PlaygroundTokenDto, SettingsDto } from '../../lib/messaging/contract';
import {
  DEFAULT_SOLANA_PLAYGROUND_NETWORK,
  isSolanaNetworkId,
  looksLikeEvmAddress,
  looksLikeSolanaAddress,
  playgroundTokenKey,
  playgroundTokenRail,
  playgroundTokenText,
  playgroundTokenWhere,
  type UiRail,
} from '../../lib/ui/rails';
import { ErrorText } from '../ErrorText';
import { RailTag } from '../RailTag';
import { rpcUrlProblem } from './RpcEndpoints';

type Token = PlaygroundTokenDto;

export function PlaygroundTokens(props: {
  tokens: Token[];
  busy: boolean;
  apply: (patch: Partial<SettingsDto>) => Promise<boolean>;
}) {
  const [rail, setRail] = useState<UiRail>('evm');
  const [chainId, setChainId] = useState('31337');
  const [network, setNetwork] = useState(DEFAULT_SOLANA_PLAYGROUND_NETWORK);
  const [address, setAddress] = useState('');
  const [rpcUrl, setRpcUrl] = useState('');
  /** per-token RPC URL being edited: token key → text */
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const svm = rail === 'svm';

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const addr = address.trim();
    let where: Pick<Token, 'chainId' | 'network'>;
    if (svm) {
      const net = network.trim();
      if (!isSolanaNetworkId(net))
        return setError(`Enter the Solana network id: "solana:" and 32 base58 characters, like ${DEFAULT_SOLANA_PLAYGROUND_NETWORK}.`);
      if (!looksLikeSolanaAddress(addr)) return setError('Enter the mint address (base58, 32 to 44 characters).');
      where = { network: net };
    } else {
      const id = Number(chainId);
      if (!/^\d+$/.test(chainId.trim()) || !Number.isSafeInteger(id) || id <= 0) return setError('Enter the chain id as a whole number, like 31337.');
      if (!looksLikeEvmAddress(addr)) return setError('Enter the token contract address (0x followed by 40 hex digits).');
      where = { chainId: id };
    }
    const rpc = rpcUrl.trim();
    if (rpc && rpcUrlProblem(rpc)) return setError(`RPC URL: ${rpcUrlProblem(rpc)}`);
    const token: Token = { ...where, address: addr, ...(rpc ? { rpcUrl: rpc } : {}) };
    if (await props.apply({ playgroundTokens: [...props.tokens, token] })) {
      setAddress('');
      setRpcUrl('');
    }
  };
  const keyOf = playgroundTokenKey;
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
  /** "token 0x… on chain 31337" / "mint … on solana:…", for accessible names */
  const named = (t: Token) =>
    playgroundTokenRail(t) === 'svm' ? `Solana test mint ${t.address} on ${t.network}` : `test token ${t.address} on chain ${t.chainId}`;

  return (
    <section aria-labelledby="playground-heading">
      <h3 id="playground-heading">Developer: local test tokens</h3>
      <p className="small muted">
        Test USDC you deployed yourself, for example the playground started by <code>npm run demo</code>: on an EVM chain a
        Circle FiatToken v2 contract (“USD Coin” version 2, 6 decimals) by chain id; on Solana an SPL mint (6 decimals) by
        network id (a local validator used as devnet answers as <code>{DEFAULT_SOLANA_PLAYGROUND_NETWORK}</code>). Only
        add tokens you deployed: the wallet treats them as dollars. With the network’s RPC URL the wallet shows its balance
        and won’t offer payments it can’t fund (on Solana the URL is also needed to build payments).
      </p>
      <ul data-testid="playground-tokens">
        {props.tokens.map((t) => (
          <li key={keyOf(t)} className="row" data-testid="playground-token" data-rail={playgroundTokenRail(t)}>
            <RailTag rail={playgroundTokenRail(t)} />
            <span className="mono" data-testid="playground-token-text">
              {playgroundTokenText(t)}
            </span>
            {t.label && <span className="small muted">{t.label}</span>}
            <input
              className="mono grow"
              aria-label={`RPC URL for ${named(t)} (for balances${playgroundTokenRail(t) === 'svm' ? ' and building payments' : ''})`}
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
              aria-label={`Remove ${named(t)}`}
              title={`Remove ${playgroundTokenWhere(t)} · ${t.address}`}
              disabled={props.busy}
              onClick={() => void props.apply({ playgroundTokens: props.tokens.filter((x) => x !== t) })}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form className="row" onSubmit={add} noValidate aria-label="Add a test token">
        <label htmlFor="playground-kind">Network</label>
        <select
          id="playground-kind"
          data-testid="playground-kind"
          value={rail}
          onChange={(e) => {
            setRail(e.target.value === 'svm' ? 'svm' : 'evm');
            setError(null);
          }}
        >
          <option value="evm">EVM chain id</option>
          <option value="svm">Solana network id</option>
        </select>
        {svm ? (
          <>
            <label htmlFor="playground-network">Solana network id</label>
            <input
              id="playground-network"
              data-testid="playground-network"
              className="mono"
              spellCheck={false}
              autoComplete="off"
              value={network}
              onChange={(e) => setNetwork(e.target.value)}
              size={46}
            />
          </>
        ) : (
          <>
            <label htmlFor="playground-chain">Chain id</label>
            <input
              id="playground-chain"
              data-testid="playground-chain"
              inputMode="numeric"
              value={chainId}
              onChange={(e) => setChainId(e.target.value)}
              size={8}
            />
          </>
        )}
        <label htmlFor="playground-address">{svm ? 'Mint address' : 'Token address'}</label>
        <input
          id="playground-address"
          data-testid="playground-address"
          className="mono"
          spellCheck={false}
          autoComplete="off"
          placeholder={svm ? 'base58 mint…' : '0x…'}
          value={address}
          onChange={(e) => setAddress(e.target.value)}
        />
        <label htmlFor="playground-rpc">RPC URL (optional)</label>
        <input
          id="playground-rpc"
          data-testid="playground-rpc"
          className="mono"
          placeholder={svm ? 'http://127.0.0.1:8899' : 'http://127.0.0.1:8545'}
          value={rpcUrl}
          onChange={(e) => setRpcUrl(e.target.value)}
        />
        <button type="submit" data-testid="playground-add" disabled={props.busy}>
          {svm ? 'Add mint' : 'Add token'}
        </button>
      </form>
      <ErrorText error={error} />
    </section>
  );
}
