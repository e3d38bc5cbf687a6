/** New password + confirmation inputs with the strength hint, for create and import. */
import { PasswordStrength } from './PasswordStrength';
import { Field } from './Card';
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
      <Field id="new-password" label={S.newPassword.password} error={p.passwordError}>
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
      </Field>
      <Field id="confirm-password" label={S.newPassword.confirm} error={p.confirmError}>
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
      </Field>
      <p className="small muted">
        {S.newPassword.note}
      </p>
    </div>
  );
}
