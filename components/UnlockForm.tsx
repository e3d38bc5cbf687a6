/** Password + Unlock, with error messages and the lockout countdown after wrong passwords. */
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../lib/messaging/contract';
import { toApiError } from '../lib/ui/errors';
import { secondsLeft } from '../lib/ui/format';
import { useWalletStore } from '../lib/ui/stores/wallet';
import { ErrorText } from './ErrorText';
import { useNow } from './hooks';
import { S } from './strings';

export function UnlockForm() {
  const status = useWalletStore((s) => s.status);
  const unlock = useWalletStore((s) => s.unlock);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [retryUntil, setRetryUntil] = useState<number | null>(null);
  const lockoutUntil = Math.max(status?.lockoutUntil ?? 0, retryUntil ?? 0);
  const now = useNow(500, lockoutUntil > Date.now());
  const wait = secondsLeft(lockoutUntil, now);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || wait > 0 || !password) return;
    setBusy(true);
    setError(null);
    try {
      await unlock(password);
      setPassword('');
    } catch (err) {
      const apiErr = toApiError(err);
      setError(apiErr);
      if (apiErr.retryAfterMs) setRetryUntil(Date.now() + apiErr.retryAfterMs);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} aria-label={S.unlock.form}>
      <label htmlFor="unlock-password">{S.unlock.password}</label>
      <input
        id="unlock-password"
        data-testid="unlock-password"
        type="password"
        className="full"
        autoComplete="current-password"
        autoFocus
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        aria-invalid={error ? true : undefined}
      />
      <ErrorText error={error} testId="unlock-error" />
      {wait > 0 && (
        <p className="warning" role="status" data-testid="unlock-lockout">
          {S.unlock.lockout(wait)}
        </p>
      )}
      <div className="row" style={{ marginTop: '0.5rem' }}>
        <button type="submit" className="primary" data-testid="unlock-submit" disabled={busy || wait > 0 || !password}>
          {busy ? S.unlock.unlocking : S.unlock.unlock}
        </button>
      </div>
    </form>
  );
}
