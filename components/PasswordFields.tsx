/** New password + confirmation inputs with the strength hint, for create and import. */
import { PasswordStrength } from './PasswordStrength';
import { ErrorText } from './ErrorText';

export interface PasswordFieldsProps {
  password: string;
  confirm: string;
  onPassword(v: string): void;
  onConfirm(v: string): void;
  passwordError?: string | null;
  confirmError?: string | null;
}

export function PasswordFields(p: PasswordFieldsProps) {
  return (
    <div>
      <label htmlFor="new-password">New password (at least 8 characters)</label>
      <input
        id="new-password"
        data-testid="password"
        type="password"
        className="full"
        autoComplete="new-password"
        value={p.password}
        aria-invalid={p.passwordError ? true : undefined}
        aria-describedby="password-strength"
        onChange={(e) => p.onPassword(e.target.value)}
      />
      <PasswordStrength password={p.password} id="password-strength" />
      <ErrorText error={p.passwordError} />
      <label htmlFor="confirm-password">Confirm password</label>
      <input
        id="confirm-password"
        data-testid="password-confirm"
        type="password"
        className="full"
        autoComplete="new-password"
        value={p.confirm}
        aria-invalid={p.confirmError ? true : undefined}
        onChange={(e) => p.onConfirm(e.target.value)}
      />
      <ErrorText error={p.confirmError} />
      <p className="small muted">
        This password unlocks the wallet on this computer. It cannot be recovered; your recovery phrase can restore the
        wallet.
      </p>
    </div>
  );
}
