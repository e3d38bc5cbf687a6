/** Totals of the filtered view: per site and per network (paid = settled; pending = not final yet). */
import { formatTotal, type GroupTotal } from '../../../lib/history/totals';
import { S } from '../../strings';

function TotalsTable({ title, groups, kind }: { title: string; groups: GroupTotal[]; kind: 'site' | 'network' }) {
  return (
    <div className="table-wrap">
      <table data-testid={`history-totals-${kind}`}>
        <caption className="caption">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{kind === 'site' ? S.history.site : S.history.network}</th>
            <th scope="col">{S.history.payments}</th>
            <th scope="col">{S.history.paid}</th>
            <th scope="col">{S.history.pending}</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.key} data-testid="history-total-row" data-key={g.key}>
              <th scope="row" className={kind === 'site' ? 'mono' : undefined}>
                {g.label}
              </th>
              <td data-testid="history-total-count">{g.count}</td>
              <td data-testid="history-total-paid">{formatTotal(g.paid, '$0.00')}</td>
              <td data-testid="history-total-pending">{formatTotal(g.pending, '—')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function HistoryTotals({ bySite, byNetwork }: { bySite: GroupTotal[]; byNetwork: GroupTotal[] }) {
  if (bySite.length === 0) return null;
  return (
    <div className="history-grid" data-testid="history-totals">
      <TotalsTable title={S.historyPage.totalsPerSite} groups={bySite} kind="site" />
      <TotalsTable title={S.historyPage.totalsPerNetwork} groups={byNetwork} kind="network" />
    </div>
  );
}
