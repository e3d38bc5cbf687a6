/** Adds a site by origin (validated as http/https) with a mode; caps are edited afterwards. */
import { useState, type FormEvent } from 'react';
import type { ApiError, SiteMode } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { parseSiteOrigin } from '../../lib/ui/format';
import { useSitesStore } from '../../lib/ui/stores/sites';
import { ErrorText } from '../ErrorText';
import { S } from '../strings';

export function AddSiteForm({ existing }: { existing: string[] }) {
  const save = useSitesStore((s) => s.save);
  const [origin, setOrigin] = useState('');
  const [mode, setMode] = useState<SiteMode>('ask');
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const check = parseSiteOrigin(origin);
    if (!check.ok) return setError(check.error);
    if (existing.includes(check.origin)) return setError(S.addSite.already(check.origin));
    setBusy(true);
    setError(null);
    try {
      await save({ site: check.origin, mode, paused: false });
      setOrigin('');
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={submit} aria-label={S.addSite.title} data-testid="add-site-form" noValidate>
      <h3 style={{ marginTop: 0 }}>{S.addSite.title}</h3>
      <div className="row">
        <div className="grow">
          <label htmlFor="add-site-origin">{S.addSite.origin}</label>
          <input
            id="add-site-origin"
            data-testid="add-site-origin"
            type="text"
            className="full"
            placeholder="https://example.com"
            value={origin}
            aria-invalid={error ? true : undefined}
            aria-describedby="add-site-error"
            onChange={(e) => setOrigin(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="add-site-mode">{S.addSite.mode}</label>
          <select id="add-site-mode" data-testid="add-site-mode" value={mode} onChange={(e) => setMode(e.target.value as SiteMode)}>
            <option value="ask">{S.addSite.modes.ask}</option>
            <option value="auto">{S.addSite.modes.auto}</option>
            <option value="block">{S.addSite.modes.block}</option>
          </select>
        </div>
      </div>
      <ErrorText error={error} id="add-site-error" testId="add-site-error" />
      <button type="submit" className="primary" data-testid="add-site-submit" disabled={busy} style={{ marginTop: '0.5rem' }}>
        {S.addSite.add}
      </button>
    </form>
  );
}
