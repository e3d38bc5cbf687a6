/** The active tab's site budget at a glance, with a quick Pause/Resume toggle. */
import { useState } from 'react';
import type { ApiError, SiteMode } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { useSitesStore } from '../../lib/ui/stores/sites';
import { BudgetBar } from '../BudgetBar';
import { ErrorText } from '../ErrorText';

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
    body = currentError ? <ErrorText error={currentError} /> : <p className="muted">Loading…</p>;
  } else if (!current.site) {
    body = <p className="muted">This tab is not a website.</p>;
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
        <p className="mono" data-testid="current-site">
          {site}
        </p>
        <p className="small" data-testid="site-inactive">
          {current.asked402
            ? 'This site asked for a payment, but the wallet is off here: you let it work only on the sites you allow.'
            : 'The wallet is off on this site: you let it work only on the sites you allow.'}
        </p>
        <button type="button" data-testid="site-activate" disabled={busy} onClick={() => void allow()}>
          Use the wallet on this site
        </button>
        <ErrorText error={error} />
      </>
    );
  } else if (!current.entry) {
    body = (
      <>
        <p className="mono" data-testid="current-site">
          {current.site}
        </p>
        <p className="small muted">No budget for this site: the wallet asks before paying.</p>
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
        <div className="row spread">
          <span className="mono grow" data-testid="current-site">
            {current.site}
          </span>
          <button type="button" data-testid="site-pause-toggle" disabled={busy} onClick={() => void toggle()}>
            {paused ? 'Resume' : 'Pause'}
          </button>
        </div>
        <p className="small" data-testid="current-site-mode">
          {paused ? 'Paused: the wallet asks before paying. ' : ''}
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
    <section className="card" aria-label="This site" data-testid="current-site-card">
      <h3 style={{ marginTop: 0 }}>This site</h3>
      {body}
    </section>
  );
}
