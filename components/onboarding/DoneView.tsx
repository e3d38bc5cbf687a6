/** Last onboarding screen: the new wallet's addresses (EVM and, for a recovery phrase, Solana). */
import { useEffect, useState } from 'react';
import { call } from '../../lib/messaging/client';
import type { WalletStatusDto } from '../../lib/messaging/contract';
import { AccountAddresses } from '../AccountAddresses';
import { S } from '../strings';

/**
 * "Try a test payment", shown when the wallet's settings hold playground tokens (the local demo
 * network of `npm run demo`). `npm run demo` also stores its demo page's address
 * (`playgroundPage`, a loopback URL checked by the settings): then this links to it; otherwise it
 * points at the address the demo printed. Nothing here touches the network.
 */
function TryTestPayment() {
  const [state, setState] = useState<{ show: boolean; page?: string }>({ show: false });
  useEffect(() => {
    let live = true;
    void call('settings.get')
      .then((s) => live && setState({ show: (s.playgroundTokens ?? []).length > 0, page: s.playgroundPage }))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  if (!state.show) return null;
  return (
    <section className="card stack" data-testid="onboarding-try" aria-labelledby="onboarding-try-title">
      <h2 id="onboarding-try-title" className="card-title">{S.done.tryTitle}</h2>
      <p>{S.done.tryLead}</p>
      {state.page ? (
        <p className="small" data-testid="onboarding-try-how">
          <a className="button primary" href={state.page} target="_blank" rel="noopener noreferrer" data-testid="onboarding-try-open">
            {S.done.tryOpen}
          </a>{' '}
          <span className="muted">{S.done.tryOpenHow}</span>
        </p>
      ) : (
        <p className="small muted" data-testid="onboarding-try-how">
          {S.done.tryHow[0]}
          <code>{S.done.tryHow[1]}</code>
          {S.done.tryHow[2]}
        </p>
      )}
    </section>
  );
}

export function DoneView({ status }: { status: WalletStatusDto }) {
  const active = status.accounts.find((a) => a.index === status.activeIndex);
  const address = active?.address ?? status.activeAddress;
  const svmAddress = active?.svmAddress ?? status.activeSvmAddress;
  return (
    <div data-testid="onboarding-done">
      <p className="success" role="status">{S.texts.DoneView.yourWalletIsReady}{status.unlocked ? ' and unlocked' : ''}.
      </p>
      {address && (
        <>
          <p>Your addresses{active ? ` (${active.name})` : ''}:</p>
          <AccountAddresses
            evm={address}
            svm={svmAddress}
            kind={status.kind}
            full
            evmTestId="onboarding-address"
            svmTestId="done-svm-address"
            noSvmTestId="done-svm-none"
            tron={active?.tronAddress ?? status.activeTronAddress}
            tronTestId="done-tron-address"
          />
          <p className="small muted">{S.texts.DoneView.toPayForContentSend}{svmAddress ? S.texts.DoneView.orUsdcOnSolanaTo : ''}{S.texts.DoneView.youCanCloseThisTab}</p>
        </>
      )}
      <TryTestPayment />
    </div>
  );
}
