/**
 * The active account's token balances, read from the chain by the background (one cached call
 * per token), grouped by network name ("Base", "Local playground", "Solana Devnet") with the
 * rail of each group: one line per token — network mark and name (cut with an ellipsis, full
 * name in its title), token mark, balance. Only tokens whose network has an RPC endpoint are
 * listed; with none, the card says so.
 */
import { useEffect, useRef } from 'react';
import { groupBalances, railLabel } from '../../lib/ui/rails';
import { useBalancesStore } from '../../lib/ui/stores/balances';
import { localAmount } from '../AmountView';
import { Card } from '../Card';
import { ErrorText } from '../ErrorText';
import { useRefresh } from '../hooks';
import { NetworkIcon } from '../Network';
import { S } from '../strings';
import { TokenIcon } from '../Token';

export function BalancesCard({ address, svmAddress }: { address?: string; svmAddress?: string }) {
  const items = useBalancesStore((s) => s.items);
  const loaded = useBalancesStore((s) => s.loaded);
  const error = useBalancesStore((s) => s.error);
  const load = useBalancesStore((s) => s.load);
  useRefresh(load, 15_000);
  // another account was selected: its balances (the background caches each one for a few seconds)
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else void load();
  }, [address, svmAddress, load]);

  const groups = groupBalances(items);
  // networks where no balance could be read (no RPC endpoint, or it did not answer) fold into one line
  const known = groups.filter((g) => g.items.some((b) => b.balance));
  const unknown = groups.filter((g) => !g.items.some((b) => b.balance));
  const renderGroup = (g: (typeof groups)[number]) => {
    const gi = groups.indexOf(g);
    return (
        <div
          key={g.key}
          className="balance-group"
          role="group"
          aria-labelledby={`balance-group-${gi}`}
          data-testid="balance-group"
          data-rail={g.rail}
        >
          <h4 id={`balance-group-${gi}`} className="balance-net">
            <NetworkIcon network={g.items[0]?.network ?? ''} name={g.networkName} />
            <span className="ellipsis" title={g.networkName} data-testid="balance-group-name">
              {g.networkName}
            </span>
            <span className="visually-hidden"> ({railLabel(g.rail)})</span>
          </h4>
          <ul className="plain">
            {g.items.map((b) => (
              <li
                key={`${b.network}:${b.asset}`}
                className={`balance-row${b.balance ? '' : ' unknown'}`}
                title={b.balance ? undefined : `${S.popup.balanceUnknown(b.symbol)}${b.error ? `: ${b.error}` : ''}`}
                data-testid="balance-row"
                data-network={b.network}
                data-asset={b.asset}
                data-rail={g.rail}
              >
                <span className="token" title={`${b.symbol}: ${g.rail === 'svm' ? 'mint' : 'token contract'} ${b.asset}`}>
                  <TokenIcon symbol={b.symbol} size={16} />
                </span>
                {b.balance ? (
                  <span className="ellipsis balance-amount" title={b.pending ? `${b.balance.token} · ${S.popup.pending(b.pending.token)}` : b.balance.token}>
                    <strong data-testid="balance-value">{localAmount(b.balance.token)}</strong>
                    {b.pending && (
                      <span className="muted" data-testid="balance-pending" title={S.popup.pendingTitle}>
                        {' '}
                        · {S.popup.pending(localAmount(b.pending.token))}
                      </span>
                    )}
                  </span>
                ) : (
                  // an unknown balance is only the token's mark, dimmed: the words are for screen readers and the title
                  <span className="visually-hidden" data-testid="balance-value">
                    {S.popup.balanceUnknown(b.symbol)}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </div>);
  };
  return (
    <Card label={S.popup.balances} testId="balances" className="balances">
      <ErrorText error={error} />
      {!loaded && <p className="muted small" role="status">{S.loading}</p>}
      {loaded && !error && items.length === 0 && <p className="muted small" data-testid="balances-empty">{S.popup.noBalances}</p>}
      {known.map(renderGroup)}
      {unknown.length > 0 && (
        <details className="balances-unknown" data-testid="balances-unknown">
          <summary className="small muted">{S.popup.unknownNetworks(unknown.length)}</summary>
          {unknown.map(renderGroup)}
        </details>
      )}
    </Card>
  );
}
