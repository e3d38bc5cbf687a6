/** The last five payments with their status. */
import { formatDateTime, paymentStatusLabel } from '../../lib/ui/format';
import { useHistoryStore } from '../../lib/ui/stores/history';
import { AmountView } from '../AmountView';
import { ErrorText } from '../ErrorText';

function host(site: string): string {
  try {
    return new URL(site).host;
  } catch {
    return site;
  }
}

export function RecentPayments() {
  const items = useHistoryStore((s) => s.items);
  const error = useHistoryStore((s) => s.error);
  const loaded = useHistoryStore((s) => s.loaded);
  return (
    <section className="card" aria-label="Recent payments" data-testid="recent-payments">
      <h3 style={{ marginTop: 0 }}>Recent payments</h3>
      <ErrorText error={error} />
      {loaded && items.length === 0 && !error && <p className="muted small">No payments yet.</p>}
      <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {items.slice(0, 5).map((p) => (
          <li key={p.id} className="row spread small" style={{ padding: '0.2rem 0' }} data-testid="recent-payment">
            <span className="grow" title={p.resourceUrl}>
              {host(p.site)}
              <br />
              <span className="muted">{formatDateTime(p.createdAt)}</span>
            </span>
            <span style={{ textAlign: 'right' }}>
              <AmountView token={p.amountToken} usd={p.amountUsd} />
              <br />
              <span className={`badge ${p.status}`}>{paymentStatusLabel(p.status)}</span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
