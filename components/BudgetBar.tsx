/** One period of a site budget: a bar plus the same facts as text ("$0.20 of $1.00 spent, $0.80 left"). */
import type { PeriodUsageDto } from '../lib/messaging/contract';
import { clampPercent, periodLabel } from '../lib/ui/format';
import { S } from './strings';

export function BudgetBar({ usage }: { usage: PeriodUsageDto }) {
  const pct = clampPercent(usage.percent);
  const label = periodLabel(usage.period);
  const text = S.budget.text(usage.spentUsd, usage.capUsd, usage.remainingUsd);
  return (
    <div className="budget" data-testid={`budget-${usage.period}`}>
      <div className="budget-head">
        <span>{label}</span>
        <span>{text}</span>
      </div>
      <div
        className={`bar${pct >= 80 ? ' high' : ''}`}
        role="progressbar"
        aria-label={S.budget.used(label)}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
        aria-valuetext={text}
      >
        <span style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
