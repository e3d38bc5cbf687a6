/** Strength hint meter for a new password (computed locally by lib/ui/password). */
import { passwordStrength } from '../lib/ui/password';
import { S } from './strings';

export function PasswordStrength({ password, id }: { password: string; id?: string }) {
  if (!password) return null;
  const s = passwordStrength(password);
  return (
    <div id={id} aria-live="polite" data-testid="password-strength">
      <div className="strength" data-score={s.score} aria-hidden="true">
        <span />
        <span />
        <span />
        <span />
      </div>
      <p className="small">
        {S.newPassword.strength}<strong>{s.label}</strong>
        {s.hints.length > 0 && <span className="muted"> — {s.hints[0]}</span>}
      </p>
    </div>
  );
}
