/** The active tab's site budget at a glance, with a quick Pause/Resume toggle. */
import { useState } from 'react';
import type { ApiError, SiteMode } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { useSitesStore } from '../../lib/ui/stores/sites';
import { BudgetBar } from '../BudgetBar';
import { Card } from '../Card';
import { ErrorText } from '../ErrorText';
import { openOptions } from '../navigation';
import { S } from '../strings';

export function modeLabel(mode: SiteMode): string {
  switch (mode) {
    case 'ask':
      return 'Ask before every payment';
    case 'auto':
      return 'Pays automatically within budget';
    case 'block':
      return 'Blocked: never pays';
  }
}

export function CurrentSiteCard() {
  const current = useSitesStore((s) => s.current);
  const currentError = useSitesStore((s) => s.currentError);
  const save = useSitesStore((s) => s.save);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const activate = useSitesStore((s) => s.activate);
  let body;
  if (!current) {
    body = currentError ? <ErrorText error={currentError} /> : <p className="muted small" role="status">{S.loading}</p>;
  } else if (!current.site) {
    body = <p className="muted small">{S.popup.notAWebsite}</p>;
  } else if (current.active === false) {
    const site = current.site;
    const allow = async () => {
      setBusy(true);
      setError(null);
      try {
        await activate(site);
      } catch (e) {
        setError(toApiError(e));
      } finally {
        setBusy(false);
      }
    };
    body = (
      <>
        <p className="mono ellipsis" title={site} data-testid="current-site">
          {site}
        </p>
        <p className="small" data-testid="site-inactive">
          {S.popup.offHere(!!current.asked402)}
        </p>
        <button type="button" data-testid="site-activate" disabled={busy} onClick={() => void allow()}>
          {S.popup.useHere}
        </button>
        <ErrorText error={error} />
      </>
    );
  } else if (!current.entry) {
    body = (
      <>
        <p className="mono ellipsis" title={current.site} data-testid="current-site">
          {current.site}
        </p>
        <p className="small muted">{S.popup.noBudget}</p>
      </>
    );
  } else {
    const entry = current.entry;
    const paused = entry.policy.paused;
    const toggle = async () => {
      setBusy(true);
      setError(null);
      try {
        await save({ ...entry.policy, paused: !paused });
      } catch (e) {
        setError(toApiError(e));
      } finally {
        setBusy(false);
      }
    };
    body = (
      <>
        <div className="site-head">
          <span className="mono ellipsis grow" title={current.site} data-testid="current-site">
            {current.site}
          </span>
          <button type="button" className="compact" data-testid="site-pause-toggle" disabled={busy} onClick={() => void toggle()}>
            {paused ? S.popup.resume : S.popup.pause}
          </button>
          <button
            type="button"
            className="compact"
            data-testid="site-edit"
            aria-label={S.popup.editBudgetLabel(current.site)}
            onClick={() => void openOptions('sites').then(() => window.close())}
          >
            {S.popup.editBudget}
          </button>
        </div>
        <p className="small muted ellipsis" data-testid="current-site-mode" title={`${paused ? S.popup.paused : ''}${modeLabel(entry.policy.mode)}`}>
          {paused ? S.popup.paused : ''}
          {modeLabel(entry.policy.mode)}
        </p>
        {entry.usage.map((u) => (
          <BudgetBar key={u.period} usage={u} />
        ))}
        <ErrorText error={error} />
      </>
    );
  }
  return (
    // with a budget, the site's own line (with Pause and Edit) heads the card
    <Card label={S.popup.thisSite} title={current?.entry && current.active !== false ? undefined : S.popup.thisSite} testId="current-site-card">
      {body}
    </Card>
  );
}
