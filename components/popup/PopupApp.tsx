/** The toolbar popup: set-up prompt, unlock form, or the unlocked wallet at a glance. */
import { useEffect } from 'react';
import { useSitesStore } from '../../lib/ui/stores/sites';
import { useWalletStore } from '../../lib/ui/stores/wallet';
import { ErrorText } from '../ErrorText';
import { useRefresh } from '../hooks';
import { openOnboarding } from '../navigation';
import { Logo } from '../Logo';
import { S } from '../strings';
import { UnlockForm } from '../UnlockForm';
import { UnlockedView } from './UnlockedView';

export function PopupApp() {
  const status = useWalletStore((s) => s.status);
  const error = useWalletStore((s) => s.error);
  const load = useWalletStore((s) => s.load);
  useRefresh(load, 3000);
  // the current site's card is what a user opens the popup for: ask for it together with the
  // wallet's status, not after it (one round to the background instead of two before it shows)
  const loadCurrent = useSitesStore((s) => s.loadCurrent);
  useEffect(() => {
    void loadCurrent();
  }, [loadCurrent]);

  let body;
  if (!status) {
    body = error ? <ErrorText error={error} /> : <p className="muted" role="status">{S.loading}</p>;
  } else if (!status.initialized) {
    body = (
      <div className="stack" data-testid="popup-setup">
        <p>{S.popup.noWallet}</p>
        <button
          type="button"
          className="primary big"
          data-testid="setup-wallet"
          onClick={() => void openOnboarding().then(() => window.close())}
        >
          {S.popup.setUp}
        </button>
      </div>
    );
  } else if (!status.unlocked) {
    body = (
      <div data-testid="popup-locked">
        <p>{S.popup.locked}</p>
        <UnlockForm />
      </div>
    );
  } else {
    body = <UnlockedView status={status} />;
  }

  return (
    <main className="popup">
      <header className="popup-head">
        <Logo size={22} />
        <h1>{S.appName}</h1>
      </header>
      {body}
    </main>
  );
}
