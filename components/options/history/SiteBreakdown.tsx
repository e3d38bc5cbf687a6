/** Paid (settled) spend per site as horizontal bars; the amounts are always written out too. */
import { formatTotal, ratio, type GroupTotal } from '../../../lib/history/totals';
import { S } from '../../strings';

export function SiteBreakdown({ groups }: { groups: GroupTotal[] }) {
  const paid = groups.filter((g) => g.paidCount > 0);
  if (paid.length === 0) return null;
  // totalsBy sorts by paid dollars, largest first
  const max = paid[0]!.paid.usd;
  return (
    <div data-testid="history-site-breakdown">
      <h3>{S.historyPage.paidPerSite}</h3>
      <ul className="hbars">
        {paid.map((g) => {
          const pct = Math.round(ratio(g.paid.usd, max) * 100);
          return (
            <li key={g.key} data-testid="history-site-bar" data-site={g.key}>
              <div className="budget-head">
                <span className="mono">{g.label}</span>
                <span data-testid="history-site-bar-amount">{formatTotal(g.paid)}</span>
              </div>
              <div className="bar" aria-hidden="true">
                <span style={{ width: `${pct}%` }} />
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
