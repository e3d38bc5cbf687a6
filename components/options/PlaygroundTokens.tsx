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
import { Button, Field } from '../Card';
import { S } from '../strings';

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
        return setError(S.playground.badNetwork(DEFAULT_SOLANA_PLAYGROUND_NETWORK));
      if (!looksLikeSolanaAddress(addr)) return setError(S.playground.badMint);
      where = { network: net };
    } else {
      const id = Number(chainId);
      if (!/^\d+$/.test(chainId.trim()) || !Number.isSafeInteger(id) || id <= 0) return setError(S.playground.badChainId);
      if (!looksLikeEvmAddress(addr)) return setError(S.playground.badToken);
      where = { chainId: id };
    }
    const rpc = rpcUrl.trim();
    if (rpc && rpcUrlProblem(rpc)) return setError(S.playground.rpcProblem(rpcUrlProblem(rpc)!));
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
    if (rpc && rpcUrlProblem(rpc)) return setError(S.playground.rpcProblem(rpcUrlProblem(rpc)!));
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
    S.playground.named(playgroundTokenRail(t) === 'svm', t.address, String(playgroundTokenRail(t) === 'svm' ? t.network : t.chainId));

  return (
    <section aria-labelledby="playground-heading">
      <h3 id="playground-heading">{S.playground.title}</h3>
      <p className="small muted">
        {S.playground.lead[0]}
        <code>{S.playground.demoCommand}</code>
        {S.playground.lead[1]}
        <code>{DEFAULT_SOLANA_PLAYGROUND_NETWORK}</code>
        {S.playground.lead[2]}
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
              aria-label={S.playground.rpcFor(named(t), playgroundTokenRail(t) === 'svm')}
              data-testid="playground-token-rpc"
              placeholder={S.playground.rpcOptional}
              value={edits[keyOf(t)] ?? t.rpcUrl ?? ''}
              onChange={(e) => setEdits((x) => ({ ...x, [keyOf(t)]: e.target.value }))}
            />
            {edits[keyOf(t)] !== undefined && edits[keyOf(t)] !== (t.rpcUrl ?? '') && (
              <Button testId="playground-token-rpc-save" disabled={props.busy} onClick={() => void saveRpc(t)}>
                {S.playground.saveRpc}
              </Button>
            )}
            <Button
              aria-label={S.playground.removeLabel(named(t))}
              title={S.playground.removeTitle(playgroundTokenWhere(t), t.address)}
              disabled={props.busy}
              onClick={() => void props.apply({ playgroundTokens: props.tokens.filter((x) => x !== t) })}
            >
              {S.playground.remove}
            </Button>
          </li>
        ))}
      </ul>
      <form className="row" onSubmit={add} noValidate aria-label={S.playground.add}>
        <Field id="playground-kind" label={S.playground.network} inline>
          <select
            id="playground-kind"
            data-testid="playground-kind"
            value={rail}
            onChange={(e) => {
              setRail(e.target.value === 'svm' ? 'svm' : 'evm');
              setError(null);
            }}
          >
            <option value="evm">{S.playground.kinds.evm}</option>
            <option value="svm">{S.playground.kinds.svm}</option>
          </select>
        </Field>
        {svm ? (
          <>
            <Field id="playground-network" label={S.playground.solanaNetwork} inline>
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
            </Field>
          </>
        ) : (
          <>
            <Field id="playground-chain" label={S.playground.chainId} inline>
              <input
                id="playground-chain"
                data-testid="playground-chain"
                inputMode="numeric"
                value={chainId}
                onChange={(e) => setChainId(e.target.value)}
                size={8}
              />
            </Field>
          </>
        )}
        <Field id="playground-address" label={S.playground.address(svm)} inline>
          <input
            id="playground-address"
            data-testid="playground-address"
            className="mono"
            spellCheck={false}
            autoComplete="off"
            placeholder={S.playground.addressPlaceholder(svm)}
            value={address}
            onChange={(e) => setAddress(e.target.value)}
          />
        </Field>
        <Field id="playground-rpc" label={S.playground.rpcOptional} inline>
          <input
            id="playground-rpc"
            data-testid="playground-rpc"
            className="mono"
            placeholder={svm ? 'http://127.0.0.1:8899' : 'http://127.0.0.1:8545'}
            value={rpcUrl}
            onChange={(e) => setRpcUrl(e.target.value)}
          />
        </Field>
        <Button type="submit" testId="playground-add" disabled={props.busy}>
          {S.playground.addButton(svm)}
        </Button>
      </form>
      <ErrorText error={error} />
    </section>
  );
}
