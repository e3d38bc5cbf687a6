/** Erases the wallet from this browser after the user types RESET. */
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { useWalletStore } from '../../lib/ui/stores/wallet';
import { openOnboarding } from '../navigation';
import { S } from '../strings';
import { Button, Field } from '../Card';

export function ResetWallet({ initialized }: { initialized: boolean }) {
  const reset = useWalletStore((s) => s.reset);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (typed !== 'RESET') return;
    setBusy(true);
    setError(null);
    try {
      await reset();
      setDone(true);
      setTyped('');
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  if (done || !initialized) {
    return (
      <section data-testid="reset-section">
        <h2>{S.reset.title}</h2>
        {done && (
          <p className="success" role="status" data-testid="reset-done">
            {S.reset.done}
          </p>
        )}
        <Button variant="primary" onClick={() => void openOnboarding()}>
          {S.reset.setUp}
        </Button>
      </section>
    );
  }

  return (
    <section aria-labelledby="reset-title" data-testid="reset-section">
      <h2 id="reset-title">{S.reset.title}</h2>
      <p className="warning">
        {S.reset.warning}
      </p>
      <form onSubmit={submit} noValidate>
        <Field id="reset-confirm" label={S.reset.confirm} error={error} errorTestId="reset-error">
          <div className="row">
            <input
              id="reset-confirm"
              data-testid="reset-confirm"
              type="text"
              autoComplete="off"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
            <Button type="submit" variant="danger" testId="reset-submit" disabled={busy || typed !== 'RESET'}>
              {S.reset.erase}
            </Button>
          </div>
        </Field>
      </form>
    </section>
  );
}
