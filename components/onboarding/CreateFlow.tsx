/** Create: generate → show the words once → "I wrote it down" → confirm 3 words → password → create. */
import { useState, type FormEvent } from 'react';
import { call } from '../../lib/messaging/client';
import type { ApiError, WalletStatusDto } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { pickConfirmPositions, splitWords, wrongConfirmPositions } from '../../lib/ui/mnemonic';
import { checkPasswordPair } from '../../lib/ui/password';
import { ErrorText } from '../ErrorText';
import { PasswordFields } from '../PasswordFields';
import { S } from '../strings';
import { Button, Field } from '../Card';

type Step = 'intro' | 'show' | 'confirm' | 'password';

export interface FlowProps {
  onDone(status: WalletStatusDto): void;
  onCancel(): void;
}

export function CreateFlow({ onDone, onCancel }: FlowProps) {
  const [step, setStep] = useState<Step>('intro');
  const [mnemonic, setMnemonic] = useState('');
  const [positions, setPositions] = useState<number[]>([]);
  const [answers, setAnswers] = useState<Record<number, string>>({});
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [wrong, setWrong] = useState<number[]>([]);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [pwError, setPwError] = useState<{ field: 'password' | 'confirm'; error: string } | null>(null);
  const [apiError, setApiError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const words = splitWords(mnemonic);

  const generate = async () => {
    setBusy(true);
    setApiError(null);
    try {
      const { mnemonic: m } = await call('wallet.generate');
      setMnemonic(m);
      setPositions(pickConfirmPositions(splitWords(m).length, 3));
      setAnswers({});
      setStep('show');
    } catch (e) {
      setApiError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const checkWords = (e: FormEvent) => {
    e.preventDefault();
    const bad = wrongConfirmPositions(words, answers, positions);
    setWrong(bad);
    if (bad.length > 0) {
      setConfirmError(
        S.create.mismatch(bad),
      );
      return;
    }
    setConfirmError(null);
    setStep('password');
  };

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const check = checkPasswordPair(password, confirm);
    if (!check.ok) {
      setPwError({ field: check.field, error: check.error });
      return;
    }
    setPwError(null);
    setBusy(true);
    setApiError(null);
    try {
      const status = await call('wallet.create', { mnemonic, password });
      setMnemonic('');
      setPassword('');
      setConfirm('');
      onDone(status);
    } catch (err) {
      setApiError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  if (step === 'intro') {
    return (
      <div className="stack" data-testid="create-intro">
        <h2>{S.create.title}</h2>
        <p>
          {S.create.intro}
        </p>
        <ErrorText error={apiError} />
        <div className="row">
          <Button variant="primary" testId="create-generate" disabled={busy} onClick={() => void generate()}>
            {busy ? S.create.generating : S.create.show}
          </Button>
          <Button onClick={onCancel}>
            {S.onboarding.back}
          </Button>
        </div>
      </div>
    );
  }

  if (step === 'show') {
    return (
      <div data-testid="create-show">
        <h2>{S.create.phraseTitle}</h2>
        <div className="warning" role="note">
          <strong>{S.create.warningStrong}</strong>
          {S.create.warningRest}
        </div>
        <ol className="words" aria-label={S.create.wordsLabel}>
          {words.map((w, i) => (
            <li key={i}>
              <span className="n">{i + 1}.</span>
              <span className="mono" data-testid={`mnemonic-word-${i + 1}`}>
                {w}
              </span>
            </li>
          ))}
        </ol>
        <div className="row">
          <Button variant="primary" testId="create-wrote-it-down" onClick={() => setStep('confirm')}>
            {S.create.wroteItDown}
          </Button>
          <Button
            onClick={() => {
              setMnemonic('');
              onCancel();
            }}
          >
            {S.onboarding.cancel}
          </Button>
        </div>
      </div>
    );
  }

  if (step === 'confirm') {
    return (
      <form onSubmit={checkWords} data-testid="create-confirm" noValidate>
        <h2>{S.create.confirmTitle}</h2>
        <p>{S.create.confirmLead}</p>
        {positions.map((pos) => (
          <Field key={pos} id={`confirm-word-${pos}`} label={S.create.word(pos)}>
            <input
              id={`confirm-word-${pos}`}
              data-testid={`confirm-word-${pos}`}
              type="text"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              value={answers[pos] ?? ''}
              aria-invalid={wrong.includes(pos) ? true : undefined}
              onChange={(e) => setAnswers({ ...answers, [pos]: e.target.value })}
            />
          </Field>
        ))}
        <ErrorText error={confirmError} testId="confirm-error" />
        <div className="row" style={{ marginTop: '0.75rem' }}>
          <Button type="submit" variant="primary" testId="confirm-words-submit">
            {S.create.continue}
          </Button>
          <Button onClick={() => setStep('show')}>
            {S.create.showAgain}
          </Button>
        </div>
      </form>
    );
  }

  return (
    <form onSubmit={create} data-testid="create-password" noValidate>
      <h2>{S.create.passwordTitle}</h2>
      <PasswordFields
        password={password}
        confirm={confirm}
        onPassword={setPassword}
        onConfirm={setConfirm}
        passwordError={pwError?.field === 'password' ? pwError.error : null}
        confirmError={pwError?.field === 'confirm' ? pwError.error : null}
      />
      <ErrorText error={apiError} testId="create-error" />
      <Button type="submit" variant="primary" testId="create-wallet" disabled={busy}>
        {busy ? S.create.creating : S.create.createWallet}
      </Button>
    </form>
  );
}
