/** Payment history table with a site filter and CSV/JSON export. */
import { useEffect, useState } from 'react';
import type { ApiError } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { formatDateTime, paymentStatusLabel, shortAddress } from '../../lib/ui/format';
import { railOfNetwork, shortTxId } from '../../lib/ui/rails';
import { useHistoryStore } from '../../lib/ui/stores/history';
import { useSitesStore } from '../../lib/ui/stores/sites';
import { AmountView } from '../AmountView';
import { ErrorText } from '../ErrorText';

function download(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function HistorySection() {
  const items = useHistoryStore((s) => s.items);
  const site = useHistoryStore((s) => s.site);
  const loaded = useHistoryStore((s) => s.loaded);
  const error = useHistoryStore((s) => s.error);
  const load = useHistoryStore((s) => s.load);
  const exportAs = useHistoryStore((s) => s.exportAs);
  const sites = useSitesStore((s) => s.sites);
  const loadSites = useSitesStore((s) => s.load);
  const [exportError, setExportError] = useState<ApiError | null>(null);
  const [siteChoices, setSiteChoices] = useState<string[]>([]);

  useEffect(() => {
    void load({ site: '', limit: undefined });
    void loadSites();
  }, [load, loadSites]);

  // filter choices: sites with a policy plus any site seen in the unfiltered history
  useEffect(() => {
    setSiteChoices((prev) => {
      const all = new Set([...prev, ...sites.map((s) => s.policy.site), ...items.map((p) => p.site)]);
      return [...all].sort();
    });
  }, [sites, items]);

  const doExport = async (format: 'csv' | 'json') => {
    setExportError(null);
    try {
      const { text, filename } = await exportAs(format);
      download(text, filename, format === 'csv' ? 'text/csv' : 'application/json');
    } catch (e) {
      setExportError(toApiError(e));
    }
  };

  return (
    <div data-testid="history-section">
      <h2>Payment history</h2>
      <div className="row spread">
        <div className="row">
          <label className="inline" htmlFor="history-site">
            Site
          </label>
          <select id="history-site" data-testid="history-site" value={site} onChange={(e) => void load({ site: e.target.value })}>
            <option value="">All sites</option>
            {siteChoices.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="row">
          <button type="button" data-testid="export-csv" onClick={() => void doExport('csv')}>
            Export CSV
          </button>
          <button type="button" data-testid="export-json" onClick={() => void doExport('json')}>
            Export JSON
          </button>
        </div>
      </div>
      <ErrorText error={error} />
      <ErrorText error={exportError} />
      {loaded && items.length === 0 && !error && <p className="muted">No payments{site ? ' for this site' : ''} yet.</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table data-testid="history-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Site</th>
                <th scope="col">Resource</th>
                <th scope="col">Amount</th>
                <th scope="col">Pay to</th>
                <th scope="col">Status</th>
                <th scope="col">Transaction</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id} data-testid="history-row" data-status={p.status}>
                  <td>{formatDateTime(p.createdAt)}</td>
                  <td className="mono">
                    {p.site}
                    {p.requestOrigin && p.requestOrigin !== p.site && <div className="small muted">via {p.requestOrigin}</div>}
                  </td>
                  <td className="mono small">{p.resourceUrl}</td>
                  <td>
                    <AmountView token={p.amountToken} usd={p.amountUsd} />
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
                    {p.status === 'settled' && p.confirmedBy && (
                      <div className="small muted" data-testid="history-confirmed-by">
                        {p.confirmedBy === 'chain' ? 'checked on chain' : 'server’s word (no RPC to check)'}
                      </div>
                    )}
                    {p.errorReason && <div className="small">{p.errorReason}</div>}
                  </td>
                  <td className="mono">
                    {p.txHash ? (
                      p.explorerUrl ? (
                        <a
                          href={p.explorerUrl}
                          target="_blank"
                          rel="noreferrer noopener"
                          title={p.txHash}
                          aria-label={`${railOfNetwork(p.network) === 'svm' ? 'Solana transaction' : 'Transaction'} ${shortTxId(p.txHash)} in the explorer (opens a new tab)`}
                          data-testid="history-tx"
                        >
                          {shortTxId(p.txHash)}
                        </a>
                      ) : (
                        <span title={p.txHash} data-testid="history-tx">
                          {shortTxId(p.txHash)}
                        </span>
                      )
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="small muted">Exports contain every payment, whatever the filter.</p>
    </div>
  );
}
