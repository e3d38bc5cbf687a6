/** The payments of the current view; a row (or its Details button) opens the payment's details. */
import type { PaymentDto } from '../../../lib/messaging/contract';
import { formatDateTime, paymentStatusLabel, shortAddress, UNVERIFIED_TEXT } from '../../../lib/ui/format';
import { confirmedByText, uptoText } from '../../../lib/ui/history';
import { AmountView } from '../../AmountView';
import { TxLink } from './TxLink';
import { S } from '../../strings';
import { Button } from '../../Card';

export interface HistoryTableProps {
  items: readonly PaymentDto[];
  onSelect(id: string): void;
  /** rows of an imported file */
  imported?: boolean;
}

export function HistoryTable({ items, onSelect, imported = false }: HistoryTableProps) {
  return (
    <div className="table-wrap">
      <table data-testid="history-table" className="history-table" data-imported={imported ? 'yes' : undefined}>
        <caption className="visually-hidden">{S.history.caption(imported)}</caption>
        <thead>
          <tr>
            <th scope="col">{S.history.time}</th>
            <th scope="col">{S.history.site}</th>
            <th scope="col">{S.history.resource}</th>
            <th scope="col">{S.history.amount}</th>
            <th scope="col">{S.history.payTo}</th>
            <th scope="col">{S.history.status}</th>
            <th scope="col">{S.history.transaction}</th>
            <th scope="col">
              <span className="visually-hidden">{S.history.details}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.id} data-testid="history-row" data-id={p.id} data-status={p.status} onClick={() => onSelect(p.id)}>
              <td>{formatDateTime(p.createdAt)}</td>
              <td className="mono">
                {p.site}
                {p.requestOrigin && p.requestOrigin !== p.site && <div className="small muted">{S.historyPage.via(p.requestOrigin)}</div>}
              </td>
              <td className="mono small">{p.resourceUrl}</td>
              <td>
                <AmountView token={p.amountToken} usd={p.amountUsd} testId="history-amount" />
                {p.maxAmount && (
                  <div className="small muted" data-testid="history-upto">
                    {uptoText(p)}
                  </div>
                )}
                <div className="small muted">
                  {p.networkName}
                  {p.auto ? ' · automatic' : ''}
                </div>
              </td>
              <td className="mono" title={p.payTo}>
                {shortAddress(p.payTo)}
              </td>
              <td>
                <span className={`badge ${p.status}`}>{paymentStatusLabel(p.status)}</span>
                {p.unverified && (
                  <div className="small muted" data-testid="history-unverified">
                    {UNVERIFIED_TEXT}
                  </div>
                )}
                {p.status === 'settled' && p.confirmedBy && (
                  <div className="small muted" data-testid="history-confirmed-by">
                    {confirmedByText(p.confirmedBy)}
                  </div>
                )}
                {p.errorReason && <div className="small">{p.errorReason}</div>}
              </td>
              <td className="mono" onClick={(e) => e.stopPropagation()}>
                <TxLink payment={p} />
              </td>
              <td>
                <Button
                  variant="link"
                  testId="history-details"
                  aria-label={S.history.detailsLabel(p.amountToken, p.site)}
                  onClick={(e) => {
                    e.stopPropagation();
                    onSelect(p.id);
                  }}
                >
                  {S.history.details}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
