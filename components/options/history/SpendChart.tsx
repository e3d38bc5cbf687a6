/**
 * Settled spend over time, drawn by hand as SVG bars (no chart library). The SVG is an image
 * for assistive technology (role="img" with a one-sentence summary); the numbers are also in
 * a visually hidden table. Dollar amounts only are charted; other tokens are listed in the table.
 */
import type { SpendSeries } from '../../../lib/history/chart';
import { formatTotal, formatUsdScaled, ratio } from '../../../lib/history/totals';
import { chartSummary } from '../../../lib/ui/history';
import { S } from '../../strings';

const W = 480;
const H = 170;
const LEFT = 52;
const RIGHT = 8;
const TOP = 12;
const BOTTOM = 24;

export function SpendChart({ series }: { series: SpendSeries }) {
  const summary = chartSummary(series);
  if (series.count === 0) {
    return (
      <p className="muted small" data-testid="history-chart-empty">
        {summary}
      </p>
    );
  }
  const n = series.buckets.length;
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const slot = plotW / n;
  const barW = Math.max(1, Math.min(32, slot * 0.7));
  const labelEvery = Math.max(1, Math.ceil(n / 7));
  const unitWord = series.unit === 'day' ? 'day' : series.unit;
  return (
    <figure className="chart" data-testid="history-chart" data-unit={series.unit}>
      <svg role="img" aria-label={summary} viewBox={`0 0 ${W} ${H}`} width="100%" data-testid="history-chart-svg">
        <line className="axis" x1={LEFT} y1={TOP + plotH} x2={W - RIGHT} y2={TOP + plotH} />
        <line className="grid" x1={LEFT} y1={TOP} x2={W - RIGHT} y2={TOP} />
        <text className="tick" x={LEFT - 6} y={TOP + 4} textAnchor="end">
          {series.total.hasUsd ? formatUsdScaled(series.maxUsd) : '—'}
        </text>
        <text className="tick" x={LEFT - 6} y={TOP + plotH} textAnchor="end">
          $0
        </text>
        {series.buckets.map((b, i) => {
          const h = b.total.hasUsd ? Math.max(b.total.usd.atomic > 0n ? 1 : 0, ratio(b.total.usd, series.maxUsd) * plotH) : 0;
          const x = LEFT + i * slot + (slot - barW) / 2;
          return (
            <g key={b.key}>
              {h > 0 && (
                <rect className="bar-rect" x={x} y={TOP + plotH - h} width={barW} height={h} data-testid="history-chart-bar" data-key={b.key}>
                  <title>{S.historyPage.chart.barTitle(b.key, formatTotal(b.total), b.count)}</title>
                </rect>
              )}
              {(i % labelEvery === 0 || i === n - 1) && (
                <text className="tick" x={LEFT + i * slot + slot / 2} y={H - 6} textAnchor="middle">
                  {series.unit === 'day' ? b.key.slice(5) : b.key}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="small muted">
        {S.historyPage.chart.caption(unitWord)}
      </figcaption>
      <table className="visually-hidden" data-testid="history-chart-table">
        <caption>{S.historyPage.chart.tableCaption(unitWord)}</caption>
        <thead>
          <tr>
            <th scope="col">{S.historyPage.chart.unitHead(series.unit)}</th>
            <th scope="col">{S.historyPage.chart.spend}</th>
            <th scope="col">{S.historyPage.chart.payments}</th>
          </tr>
        </thead>
        <tbody>
          {series.buckets
            .filter((b) => b.count > 0)
            .map((b) => (
              <tr key={b.key} data-testid="history-chart-row" data-key={b.key}>
                <td>{b.key}</td>
                <td>{formatTotal(b.total)}</td>
                <td>{b.count}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </figure>
  );
}
