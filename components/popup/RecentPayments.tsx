/** The last three payments with their status, one line each, and a way to the full history. */
import { formatDateTime, paymentStatusLabel } from '../../lib/ui/format';
import { useHistoryStore } from '../../lib/ui/stores/history';
import { AmountView } from '../AmountView';
import { Badge, Card } from '../Card';
import { ErrorText } from '../ErrorText';
import { openOptions } from '../navigation';
import { S } from '../strings';

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
    <Card
      label={S.popup.recent}
      title={S.popup.recent}
      testId="recent-payments"
      action={
        items.length > 0 ? (
          <button type="button" className="link small" data-testid="recent-see-all" onClick={() => void openOptions('history').then(() => window.close())}>
            {S.popup.seeAll}
          </button>
        ) : undefined
      }
    >
      <ErrorText error={error} />
      {!loaded && !error && <p className="muted small" role="status">{S.loading}</p>}
      {loaded && items.length === 0 && !error && <p className="muted small" data-testid="recent-empty">{S.popup.nothingPaid}</p>}
      <ul className="plain">
        {items.slice(0, 3).map((p) => (
          <li key={p.id} className="payment-row small" data-testid="recent-payment">
            <span className="ellipsis grow" title={`${p.resourceUrl} · ${formatDateTime(p.createdAt)}`}>
              {host(p.site)}
            </span>
            <AmountView className="ellipsis payment-amount" token={p.amountToken} usd={p.amountUsd} />
            <Badge tone={p.status}>{paymentStatusLabel(p.status)}</Badge>
          </li>
        ))}
      </ul>
    </Card>
  );
}
