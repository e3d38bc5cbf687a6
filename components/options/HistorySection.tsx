/**
 * The history page (options → History): the wallet's payments with filters (site, status,
 * network, dates, search), totals per site and network, spend over time, per-site bars, a
 * detail view per payment, exports of the filtered view (made by the background from its
 * ledger) and a READ-ONLY view of an imported export file (never sent anywhere).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { spendSeries } from '../../lib/history/chart';
import { filterHistory, isFilterEmpty, MAX_HISTORY_LIST, parseHistoryFilter } from '../../lib/history/filter';
import { formatTotal, summarize, totalsBy } from '../../lib/history/totals';
import type { ApiError } from '../../lib/messaging/contract';
import { resolveTimeZone } from '../../lib/policy/periods';
import { toApiError } from '../../lib/ui/errors';
import { describeFilter, networkChoices, siteChoices } from '../../lib/ui/history';
import { useHistoryStore } from '../../lib/ui/stores/history';
import { useHistoryViewStore } from '../../lib/ui/stores/historyView';
import { ErrorText } from '../ErrorText';
import { HistoryFilters } from './history/HistoryFilters';
import { HistoryTable } from './history/HistoryTable';
import { HistoryTotals } from './history/HistoryTotals';
import { PaymentDetail } from './history/PaymentDetail';
import { SiteBreakdown } from './history/SiteBreakdown';
import { SpendChart } from './history/SpendChart';
import { Button, Field } from '../Card';
import { S } from '../strings';

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

export const IMPORTED_NOTICE = S.historyPage.importedNotice;

export function HistorySection({ timeZone: tzProp }: { timeZone?: string }) {
  const timeZone = useMemo(() => tzProp ?? resolveTimeZone(), [tzProp]);
  const items = useHistoryStore((s) => s.items);
  const loaded = useHistoryStore((s) => s.loaded);
  const error = useHistoryStore((s) => s.error);
  const load = useHistoryStore((s) => s.load);
  const exportAs = useHistoryStore((s) => s.exportAs);
  const filter = useHistoryViewStore((s) => s.filter);
  const setFilter = useHistoryViewStore((s) => s.setFilter);
  const clearFilter = useHistoryViewStore((s) => s.clearFilter);
  const selectedId = useHistoryViewStore((s) => s.selectedId);
  const select = useHistoryViewStore((s) => s.select);
  const imported = useHistoryViewStore((s) => s.imported);
  const importing = useHistoryViewStore((s) => s.importing);
  const importError = useHistoryViewStore((s) => s.importError);
  const importFile = useHistoryViewStore((s) => s.importFile);
  const leaveImport = useHistoryViewStore((s) => s.leaveImport);
  const [exportError, setExportError] = useState<ApiError | null>(null);
  const [exporting, setExporting] = useState(false);

  const refresh = useCallback(() => load({ site: '', limit: MAX_HISTORY_LIST }), [load]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const source = imported ? imported.records : items;
  const checked = useMemo(() => parseHistoryFilter(filter), [filter]);
  const shown = useMemo(() => (checked.ok ? filterHistory(source, checked.filter, timeZone) : []), [checked, source, timeZone]);
  const summary = useMemo(() => summarize(shown), [shown]);
  const bySite = useMemo(() => totalsBy(shown, 'site'), [shown]);
  const byNetwork = useMemo(() => totalsBy(shown, 'network'), [shown]);
  const series = useMemo(() => spendSeries(shown, timeZone, { range: checked.ok ? checked.filter : {}, minDays: 7 }), [shown, timeZone, checked]);
  const sites = useMemo(() => siteChoices(source, filter.site), [source, filter.site]);
  const networks = useMemo(() => networkChoices(source, filter.network), [source, filter.network]);
  const networkName = (id: string) => networks.find((c) => c.value === id)?.label ?? id;
  const selected = selectedId ? source.find((p) => p.id === selectedId) : undefined;
  const filtered = checked.ok && !isFilterEmpty(checked.filter);

  const doExport = async (format: 'csv' | 'json') => {
    if (!checked.ok) return;
    setExportError(null);
    setExporting(true);
    try {
      const { text, filename } = await exportAs(format, checked.filter);
      download(text, filename, format === 'csv' ? 'text/csv' : 'application/json');
    } catch (e) {
      setExportError(toApiError(e));
    } finally {
      setExporting(false);
    }
  };

  const onFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    await importFile(file);
    input.value = ''; // the same file can be chosen again
  };

  const walletEmpty = !imported && loaded && !error && items.length === 0;

  return (
    <div data-testid="history-section" data-view={imported ? 'imported' : 'wallet'}>
      <div className="row spread">
        <h2>{S.historyPage.title(!!imported)}</h2>
        {!imported && (
          <Button testId="history-refresh" onClick={() => void refresh()}>
            {S.historyPage.refresh}
          </Button>
        )}
      </div>

      {imported && (
        <div className="warning" role="status" data-testid="history-imported-banner">
          <p>
            <strong data-testid="history-imported-notice">{IMPORTED_NOTICE}</strong>
          </p>
          <p className="small">
            {S.historyPage.file}
            <span className="mono">{S.historyPage.fileName(imported.fileName.slice(0, 120))}</span>
            {S.historyPage.fileFacts({
              format: imported.format.toUpperCase(),
              exportedAt: imported.exportedAt,
              count: imported.records.length,
              skipped: imported.skipped,
              filter: imported.filter && !isFilterEmpty(imported.filter) ? describeFilter(imported.filter) : undefined,
            })}
          </p>
          <Button variant="primary" testId="history-leave-import" onClick={leaveImport}>
            {S.historyPage.leaveImport}
          </Button>
        </div>
      )}

      {!imported && !loaded && !error && (
        <p className="muted" role="status" data-testid="history-loading">
          {S.historyPage.loading}
        </p>
      )}
      {!imported && error && (
        <div data-testid="history-error">
          <ErrorText error={error} />
          <Button onClick={() => void refresh()}>
            {S.historyPage.tryAgain}
          </Button>
        </div>
      )}

      {walletEmpty && (
        <p className="card" data-testid="history-empty">
          {S.historyPage.empty}
        </p>
      )}
      {imported && imported.records.length === 0 && (
        <p className="card" data-testid="history-empty">
          {S.historyPage.fileEmpty}
        </p>
      )}

      {source.length > 0 && (
        <>
          <HistoryFilters
            filter={filter}
            sites={sites}
            networks={networks}
            onChange={setFilter}
            onClear={clearFilter}
            error={checked.ok ? null : checked.error}
          />
          <p data-testid="history-summary" aria-live="polite">
            <strong>{S.historyPage.count(shown.length)}</strong>
            {filtered ? S.historyPage.match(describeFilter(checked.filter, networkName), source.length) : ''}
            {S.historyPage.paid}{' '}
            <strong data-testid="history-summary-paid">{formatTotal(summary.paid, '$0.00')}</strong>
            {S.historyPage.in}
            {summary.paidCount}
            {summary.pendingCount > 0 && (
              <>
                {' '}
                {S.historyPage.pending}
                <span data-testid="history-summary-pending">{formatTotal(summary.pending)}</span>
                {S.historyPage.in}
                {summary.pendingCount}
              </>
            )}
          </p>
          {shown.length === 0 ? (
            <div className="card" data-testid="history-no-match">
              <p>{S.historyPage.noMatch}</p>
              <Button onClick={clearFilter}>
                {S.history.clearFilters}
              </Button>
            </div>
          ) : (
            <>
              <div className="history-grid">
                <SpendChart series={series} />
                <SiteBreakdown groups={bySite} />
              </div>
              <HistoryTotals bySite={bySite} byNetwork={byNetwork} />
              <HistoryTable items={shown} imported={!!imported} onSelect={select} />
            </>
          )}
        </>
      )}

      <div className="card history-files">
        {!imported && (
          <div className="row">
            <Button testId="export-csv" disabled={exporting || !checked.ok || items.length === 0} onClick={() => void doExport('csv')}>
              {S.historyPage.exportCsv}
            </Button>
            <Button testId="export-json" disabled={exporting || !checked.ok || items.length === 0} onClick={() => void doExport('json')}>
              {S.historyPage.exportJson}
            </Button>
            <span className="small muted">
              {S.historyPage.exportScope(filtered)}
            </span>
          </div>
        )}
        <Field id="history-import" label={S.historyPage.importLabel} labelClassName="inline" inline>
          <input
            id="history-import"
            type="file"
            accept=".json,.csv,application/json,text/csv"
            data-testid="history-import"
            disabled={importing}
            onChange={(e) => void onFile(e.currentTarget)}
          />
        </Field>
        <ErrorText error={importError} testId="history-import-error" />
        <ErrorText error={exportError} testId="history-export-error" />
      </div>

      {selected && <PaymentDetail payment={selected} imported={!!imported} timeZone={timeZone} onClose={() => select(null)} />}
    </div>
  );
}
