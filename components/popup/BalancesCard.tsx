/**
 * The active account's token balances, read from the chain by the background (one cached call
 * per token), grouped by network name ("Base", "Local playground", "Solana Devnet") with the
 * rail of each group. Only tokens whose network has an RPC endpoint are listed.
 */
import { useEffect, useRef } from 'react';
import { groupBalances } from '../../lib/ui/rails';
import { useBalancesStore } from '../../lib/ui/stores/balances';
import { ErrorText } from '../ErrorText';
import { useRefresh } from '../hooks';
import { RailTag } from '../RailTag';

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

  if (loaded && !error && items.length === 0) return null;
  const groups = groupBalances(items);
  return (
    <section className="card" aria-label="Balances" data-testid="balances">
      <h3 style={{ marginTop: 0 }}>Balances</h3>
      <ErrorText error={error} />
      {!loaded && <p className="muted small">Loading…</p>}
      {groups.map((g, gi) => (
        <div
          key={g.key}
          className="balance-group"
          role="group"
          aria-labelledby={`balance-group-${gi}`}
          data-testid="balance-group"
          data-rail={g.rail}
        >
          <h4 id={`balance-group-${gi}`}>
            <span data-testid="balance-group-name">{g.networkName}</span> <RailTag rail={g.rail} />
          </h4>
          <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {g.items.map((b) => (
              <li
                key={`${b.network}:${b.asset}`}
                className="row spread small"
                style={{ padding: '0.15rem 0' }}
                data-testid="balance-row"
                data-network={b.network}
                data-asset={b.asset}
                data-rail={g.rail}
              >
                <span className="grow muted" title={`${g.rail === 'svm' ? 'Mint' : 'Token contract'} ${b.asset}`}>
                  {b.symbol}
                </span>
                {b.balance ? (
                  <span>
                    <strong data-testid="balance-value">{b.balance.token}</strong>
                    {b.pending && (
                      <span className="muted" data-testid="balance-pending" title="Signed payments not settled yet: the balance must still cover them">
                        {' '}
                        · {b.pending.token} pending
                      </span>
                    )}
                  </span>
                ) : (
                  <span className="muted" data-testid="balance-value" title={b.error}>
                    {b.symbol} balance unknown
                  </span>
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
