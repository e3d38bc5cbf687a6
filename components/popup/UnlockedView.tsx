/**
 * Popup content while unlocked, laid out to fit 360×600 without scrolling in the common case:
 * account (name, switcher, addresses with copy), balances per network, pending approvals, the
 * current site's budget, the last payments, and a footer with auto-lock and the full pages.
 */
import { useState } from 'react';
import type { ApiError, WalletStatusDto } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { useHistoryStore } from '../../lib/ui/stores/history';
import { useSitesStore } from '../../lib/ui/stores/sites';
import { useWalletStore } from '../../lib/ui/stores/wallet';
import { shortAddress } from '../../lib/ui/format';
import { AccountAddresses } from '../AccountAddresses';
import { AutoLockSelect } from '../AutoLockSelect';
import { Badge } from '../Card';
import { ErrorText } from '../ErrorText';
import { useRefresh } from '../hooks';
import { openApprovalWindow, openOptions } from '../navigation';
import { S } from '../strings';
import { BalancesCard } from './BalancesCard';
import { CurrentSiteCard } from './CurrentSiteCard';
import { RecentPayments } from './RecentPayments';

export function UnlockedView({ status }: { status: WalletStatusDto }) {
  const lock = useWalletStore((s) => s.lock);
  const selectAccount = useWalletStore((s) => s.selectAccount);
  const addAccount = useWalletStore((s) => s.addAccount);
  const loadCurrent = useSitesStore((s) => s.loadCurrent);
  const loadHistory = useHistoryStore((s) => s.load);
  const history = useHistoryStore((s) => s.items);
  const [error, setError] = useState<ApiError | null>(null);

  useRefresh(() => Promise.all([loadCurrent(), loadHistory({ limit: 5 })]), 5000);

  const active = status.accounts.find((a) => a.index === status.activeIndex);
  const address = active?.address ?? status.activeAddress;
  // the Solana address of the same account (absent for a wallet imported from a raw EVM key)
  const svmAddress = active ? active.svmAddress ?? (active.address === status.activeAddress ? status.activeSvmAddress : undefined) : status.activeSvmAddress;
  const tronAddress = active ? active.tronAddress ?? (active.address === status.activeAddress ? status.activeTronAddress : undefined) : status.activeTronAddress;
  const lastNetwork = history[0]?.networkName;
  const networks = status.networks ?? [];

  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(toApiError(e));
    }
  };

  return (
    <div data-testid="popup-unlocked" className="popup-body">
      {/* under the header, in the flow: where the wallet pays */}
      <p className="small muted ellipsis popup-networks" data-testid="network-label" title={`Pays on: ${networks.join(', ')}`}>
        {lastNetwork ? S.popup.lastPaymentOn(lastNetwork) : S.popup.paysOn(networks.length)}
      </p>
      <section className="card account" aria-label={S.popup.account}>
        <div className="account-head">
          <strong className="visually-hidden" data-testid="account-name">
            {active?.name ?? S.popup.account}
          </strong>
          <label className="visually-hidden" htmlFor="account-select">
            {S.popup.switchAccount}
          </label>
          <select
            id="account-select"
            data-testid="account-select"
            className="compact grow"
            value={status.activeIndex}
            onChange={(e) => void act(() => selectAccount(Number(e.target.value)))}
          >
            {status.accounts.map((a) => (
              <option key={a.index} value={a.index}>
                {a.name} ({shortAddress(a.address)})
              </option>
            ))}
          </select>
          {status.kind !== 'privateKey' && (
            <button type="button" className="compact" data-testid="add-account" aria-label={S.popup.addAccount} title={S.popup.addAccount} onClick={() => void act(() => addAccount())}>
              +
            </button>
          )}
          <button type="button" className="compact" data-testid="lock" onClick={() => void act(lock)}>
            {S.popup.lock}
          </button>
        </div>
        <AccountAddresses
          evm={address}
          svm={svmAddress}
          kind={status.kind}
          evmTestId="account-address"
          svmTestId="svm-address"
          noSvmTestId="svm-address-none"
          tron={tronAddress}
          tronTestId="tron-address"
        />
      </section>

      {status.pendingApprovals > 0 && (
        <section className="card pending row spread" aria-label="Pending approvals" data-testid="pending-approvals">
          <span>
            <Badge tone="count" testId="pending-count">
              {status.pendingApprovals}
            </Badge>{' '}
            {S.popup.waits(status.pendingApprovals)}
          </span>
          <button type="button" className="primary compact" data-testid="open-approvals" onClick={() => void openApprovalWindow()}>
            {S.popup.review}
          </button>
        </section>
      )}

      <BalancesCard address={address} svmAddress={svmAddress} />
      <CurrentSiteCard />
      <RecentPayments />

      <ErrorText error={error} />

      <footer className="popup-foot" aria-label="Settings">
        <AutoLockSelect status={status} onError={setError} />
        <button
          type="button"
          className="link small"
          data-testid="open-options"
          onClick={() => void openOptions().then(() => window.close())}
        >
          {S.popup.sitesAndHistory}
        </button>
      </footer>
    </div>
  );
}
