/** Import from a recovery phrase or a raw private key; the background validates and explains errors. */
import { useState, type FormEvent } from 'react';
import { call } from '../../lib/messaging/client';
import type { ApiError } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { checkPasswordPair } from '../../lib/ui/password';
import { PasswordFields } from '../PasswordFields';
import type { FlowProps } from './CreateFlow';
import { S } from '../strings';
import { Button, Check, Field } from '../Card';

type Kind = 'mnemonic' | 'privateKey';

export function ImportFlow({ onDone, onCancel }: FlowProps) {
  const [kind, setKind] = useState<Kind>('mnemonic');
  const [secret, setSecret] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [pwError, setPwError] = useState<{ field: 'password' | 'confirm'; error: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (secret.trim() === '') {
      setError({
        code: 'empty',
        message: kind === 'mnemonic' ? S.import.emptyMnemonic : S.import.emptyPrivateKey,
      });
      return;
    }
    const check = checkPasswordPair(password, confirm);
    if (!check.ok) {
      setPwError({ field: check.field, error: check.error });
      return;
    }
    setPwError(null);
    setBusy(true);
    try {
      const status = await call('wallet.import', { kind, secret: secret.trim(), password });
      setSecret('');
      setPassword('');
      setConfirm('');
      onDone(status);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  // errors about the password go under the password, everything else under the secret
  const passwordApiError = error && /password/i.test(error.code) ? error : null;
  const secretError = error && !passwordApiError ? error : null;

  return (
    <form onSubmit={submit} data-testid="import-form" noValidate>
      <h2>{S.import.title}</h2>
      <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend className="visually-hidden">{S.import.legend}</legend>
        <div className="tabs" role="radiogroup" aria-label={S.import.kinds}>
          <Check
            type="radio"
            name="import-kind"
            value="mnemonic"
            testId="import-kind-mnemonic"
            checked={kind === 'mnemonic'}
            onChange={() => {
              setKind('mnemonic');
              setError(null);
            }}
            label={S.import.mnemonic}
          />
          <Check
            type="radio"
            name="import-kind"
            value="privateKey"
            testId="import-kind-privateKey"
            checked={kind === 'privateKey'}
            onChange={() => {
              setKind('privateKey');
              setError(null);
            }}
            label={S.import.privateKey}
          />
        </div>
      </fieldset>
      <Field id="import-secret" label={kind === 'mnemonic' ? S.import.mnemonicLabel : S.import.privateKeyLabel} error={secretError} errorTestId="import-error">
        <textarea
          id="import-secret"
          data-testid="import-secret"
          className="full mono"
          rows={kind === 'mnemonic' ? 4 : 2}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={secret}
          aria-invalid={secretError ? true : undefined}
          aria-describedby="import-secret-error"
          onChange={(e) => setSecret(e.target.value)}
        />
      </Field>
      <p className="small muted" data-testid="import-kind-note">
        {kind === 'mnemonic'
          ? S.import.mnemonicNote
          : S.import.privateKeyNote}
      </p>
      <PasswordFields
        password={password}
        confirm={confirm}
        onPassword={setPassword}
        onConfirm={setConfirm}
        passwordError={pwError?.field === 'password' ? pwError.error : (passwordApiError?.message ?? null)}
        confirmError={pwError?.field === 'confirm' ? pwError.error : null}
      />
      <div className="row">
        <Button type="submit" variant="primary" testId="import-submit" disabled={busy}>
          {busy ? S.import.importing : S.import.importWallet}
        </Button>
        <Button onClick={onCancel}>
          {S.onboarding.back}
        </Button>
      </div>
    </form>
  );
}
