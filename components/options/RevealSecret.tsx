/** Shows the recovery phrase or private key after the password, with a warning; hidden again on demand or after a minute. */
import { useEffect, useState, type FormEvent } from 'react';
import { call } from '../../lib/messaging/client';
import type { ApiError } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { ErrorText } from '../ErrorText';
import { S } from '../strings';

const AUTO_HIDE_MS = 60_000;

export function RevealSecret({ kind }: { kind?: 'mnemonic' | 'privateKey' }) {
  const [what, setWhat] = useState<'mnemonic' | 'privateKey'>(kind === 'privateKey' ? 'privateKey' : 'mnemonic');
  const [password, setPassword] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (secret === null) return;
    const t = setTimeout(() => setSecret(null), AUTO_HIDE_MS);
    return () => clearTimeout(t);
  }, [secret]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await call('wallet.reveal', { password, what });
      setSecret(r.secret);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="reveal-title" data-testid="reveal-section">
      <h2 id="reveal-title">{S.reveal.title}</h2>
      {secret !== null ? (
        <div>
          <p className="warning" role="alert">
            <strong>{S.reveal.warningStrong}</strong>
            {S.reveal.warningRest}
          </p>
          <p className="secret-box mono" data-testid="revealed-secret">
            {secret}
          </p>
          <button type="button" className="primary" data-testid="reveal-hide" onClick={() => setSecret(null)}>
            {S.reveal.hide}
          </button>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          {kind !== 'privateKey' && (
            <div className="row" role="radiogroup" aria-label={S.reveal.what}>
              <label className="inline">
                <input type="radio" name="reveal-what" checked={what === 'mnemonic'} onChange={() => setWhat('mnemonic')} />
                {S.reveal.mnemonic}
              </label>
              <label className="inline">
                <input type="radio" name="reveal-what" checked={what === 'privateKey'} onChange={() => setWhat('privateKey')} />
                {S.reveal.privateKey}
              </label>
            </div>
          )}
          <label htmlFor="reveal-password">{S.reveal.password}</label>
          <div className="row">
            <input
              id="reveal-password"
              data-testid="reveal-password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <button type="submit" data-testid="reveal-submit" disabled={busy || !password}>
              {S.reveal.show(what)}
            </button>
          </div>
          <ErrorText error={error} testId="reveal-error" />
        </form>
      )}
    </section>
  );
}
