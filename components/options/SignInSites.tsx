/** Sign-in-with-x: the sites where the wallet signs in without asking ("remember"), each with Forget. */
import { useCallback, useEffect, useState } from 'react';
import type { ApiError } from '../../lib/messaging/contract';
import { call } from '../../lib/messaging/client';
import { toApiError } from '../../lib/ui/errors';
import { ErrorText } from '../ErrorText';
import { S } from '../strings';
import { Button } from '../Card';

export function SignInSites() {
  const [sites, setSites] = useState<string[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const load = useCallback(async () => {
    try {
      setSites((await call('siwx.list')).map((s) => s.site));
    } catch (e) {
      setError(toApiError(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const forget = async (site: string) => {
    try {
      await call('siwx.setRemember', { site, remember: false });
      await load();
    } catch (e) {
      setError(toApiError(e));
    }
  };
  return (
    <section className="card" aria-labelledby="signin-sites-title" data-testid="signin-sites">
      <h3 id="signin-sites-title">{S.signInSites.title}</h3>
      <p className="muted small">
        {S.signInSites.lead}
      </p>
      <ErrorText error={error} />
      {sites && sites.length === 0 && <p className="muted">{S.signInSites.none}</p>}
      <ul style={{ listStyle: 'none', padding: 0 }}>
        {sites?.map((site) => (
          <li key={site} className="row spread" data-testid="signin-site">
            <span className="mono">{site}</span>
            <Button onClick={() => void forget(site)} aria-label={S.signInSites.forgetLabel(site)} testId="signin-forget">
              {S.signInSites.forget}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
