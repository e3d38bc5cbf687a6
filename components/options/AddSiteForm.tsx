/** Adds a site by origin (validated as http/https) with a mode; caps are edited afterwards. */
import { useState, type FormEvent } from 'react';
import type { ApiError, SiteMode } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { parseSiteOrigin } from '../../lib/ui/format';
import { useSitesStore } from '../../lib/ui/stores/sites';
import { ErrorText } from '../ErrorText';
import { S } from '../strings';
import { Button, Field } from '../Card';

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
        <Field id="add-site-origin" label={S.addSite.origin} className="grow">
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
        </Field>
        <Field id="add-site-mode" label={S.addSite.mode}>
          <select id="add-site-mode" data-testid="add-site-mode" value={mode} onChange={(e) => setMode(e.target.value as SiteMode)}>
            <option value="ask">{S.addSite.modes.ask}</option>
            <option value="auto">{S.addSite.modes.auto}</option>
            <option value="block">{S.addSite.modes.block}</option>
          </select>
        </Field>
      </div>
      <ErrorText error={error} id="add-site-error" testId="add-site-error" />
      <Button type="submit" variant="primary" testId="add-site-submit" disabled={busy} style={{ marginTop: '0.5rem' }}>
        {S.addSite.add}
      </Button>
    </form>
  );
}
