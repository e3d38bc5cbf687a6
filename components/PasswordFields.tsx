/** New password + confirmation inputs with the strength hint, for create and import. */
import { PasswordStrength } from './PasswordStrength';
import { ErrorText } from './ErrorText';
import { S } from './strings';

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
      <label htmlFor="new-password">{S.newPassword.password}</label>
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
      <label htmlFor="confirm-password">{S.newPassword.confirm}</label>
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
        {S.newPassword.note}
      </p>
    </div>
  );
}
