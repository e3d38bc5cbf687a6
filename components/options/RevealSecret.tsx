/** Shows the recovery phrase or private key after the password, with a warning; hidden again on demand or after a minute. */
import { useEffect, useState, type FormEvent } from 'react';
import { call } from '../../lib/messaging/client';
import type { ApiError } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { S } from '../strings';
import { Button, Check, Field } from '../Card';

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
          <Button variant="primary" testId="reveal-hide" onClick={() => setSecret(null)}>
            {S.reveal.hide}
          </Button>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          {kind !== 'privateKey' && (
            <div className="row" role="radiogroup" aria-label={S.reveal.what}>
              <Check type="radio" name="reveal-what" checked={what === 'mnemonic'} onChange={() => setWhat('mnemonic')} label={S.reveal.mnemonic} />
              <Check type="radio" name="reveal-what" checked={what === 'privateKey'} onChange={() => setWhat('privateKey')} label={S.reveal.privateKey} />
            </div>
          )}
          <Field id="reveal-password" label={S.reveal.password} error={error} errorTestId="reveal-error">
            <div className="row">
              <input
                id="reveal-password"
                data-testid="reveal-password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
              <Button type="submit" testId="reveal-submit" disabled={busy || !password}>
                {S.reveal.show(what)}
              </Button>
            </div>
          </Field>
        </form>
      )}
    </section>
  );
}
