/**
 * Onboarding (full tab): create a wallet (show the phrase once, confirm three words, set a
 * password) or import one (recovery phrase or private key). The background generates,
 * validates and stores the secret; this page only shows what it returns.
 */
import { useEffect, useState } from 'react';
import type { WalletStatusDto } from '../../lib/messaging/contract';
import { useWalletStore } from '../../lib/ui/stores/wallet';
import { ErrorText } from '../ErrorText';
import { openOptions } from '../navigation';
import { CreateFlow } from './CreateFlow';
import { ImportFlow } from './ImportFlow';
import { DoneView } from './DoneView';
import { Logo } from '../Logo';
import { S } from '../strings';
import { Button } from '../Card';

type Mode = 'choose' | 'create' | 'import';

export function OnboardingApp() {
  const status = useWalletStore((s) => s.status);
  const error = useWalletStore((s) => s.error);
  const load = useWalletStore((s) => s.load);
  const setStatus = useWalletStore((s) => s.setStatus);
  const [mode, setMode] = useState<Mode>('choose');
  const [done, setDone] = useState<WalletStatusDto | null>(null);

  useEffect(() => {
    void load();
  }, [load]);

  const finish = (s: WalletStatusDto) => {
    setStatus(s);
    setDone(s);
  };

  let body;
  if (done) {
    body = <DoneView status={done} />;
  } else if (!status) {
    body = error ? <ErrorText error={error} /> : <p className="muted" role="status">{S.loading}</p>;
  } else if (status.initialized) {
    body = (
      <div data-testid="onboarding-exists">
        <p>{S.onboarding.exists}</p>
        <p className="small muted">
          {S.onboarding.startOver[0]}{' '}
          <Button variant="link" onClick={() => void openOptions()}>
            {S.onboarding.startOver[1]}
          </Button>{' '}
          {S.onboarding.startOver[2]}
        </p>
      </div>
    );
  } else if (mode === 'create') {
    body = <CreateFlow onDone={finish} onCancel={() => setMode('choose')} />;
  } else if (mode === 'import') {
    body = <ImportFlow onDone={finish} onCancel={() => setMode('choose')} />;
  } else {
    body = (
      <div className="stack welcome" data-testid="onboarding-choose">
        <Logo size={44} />
        <h1>{S.welcome.title}</h1>
        <p className="lead">{S.welcome.lead}</p>
        <ul className="points">
          {S.welcome.points.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ul>
        <div className="row">
          <Button variant="primary" size="big" testId="onboarding-create" onClick={() => setMode('create')}>
            {S.onboarding.create}
          </Button>
          <Button size="big" testId="onboarding-import" onClick={() => setMode('import')}>
            {S.onboarding.import}
          </Button>
        </div>
      </div>
    );
  }

  return (
    <main className="page narrow">
      {/* the welcome screen has its own heading */}
      {(done || !status || status.initialized || mode !== 'choose') && <h1>{S.onboarding.setUpTitle}</h1>}
      {body}
    </main>
  );
}
