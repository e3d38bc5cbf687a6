/** Popup content while unlocked: account, approvals, current site budget, recent payments, settings. */
import { useState } from 'react';
import type { ApiError, WalletStatusDto } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { useHistoryStore } from '../../lib/ui/stores/history';
import { useSitesStore } from '../../lib/ui/stores/sites';
import { useWalletStore } from '../../lib/ui/stores/wallet';
import { shortAddress } from '../../lib/ui/format';
import { AccountAddresses } from '../AccountAddresses';
import { AutoLockSelect } from '../AutoLockSelect';
import { ErrorText } from '../ErrorText';
import { useRefresh } from '../hooks';
import { openApprovalWindow, openOptions } from '../navigation';
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
    <div data-testid="popup-unlocked">
      <section className="card" aria-label="Account">
        <div className="row spread">
          <strong data-testid="account-name">{active?.name ?? 'Account'}</strong>
          <button type="button" data-testid="lock" onClick={() => void act(lock)}>
            Lock
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
        <p className="small muted" data-testid="network-label" title={`Pays on: ${networks.join(', ')}`}>
          {lastNetwork ? `Last payment on ${lastNetwork}` : `Pays on ${networks.length} networks`}
        </p>
        <div className="row" style={{ marginTop: '0.4rem' }}>
          <label className="inline" htmlFor="account-select">
            Switch account
          </label>
          <select
            id="account-select"
            data-testid="account-select"
            className="grow"
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
            <button type="button" data-testid="add-account" onClick={() => void act(() => addAccount())}>
              Add account
            </button>
          )}
        </div>
      </section>

      <BalancesCard address={address} svmAddress={svmAddress} />

      {status.pendingApprovals > 0 && (
        <section className="card row spread" aria-label="Pending approvals" data-testid="pending-approvals">
          <span>
            <span className="badge count" data-testid="pending-count">
              {status.pendingApprovals}
            </span>{' '}
            {status.pendingApprovals === 1 ? 'payment waits' : 'payments wait'} for your approval
          </span>
          <button type="button" className="primary" data-testid="open-approvals" onClick={() => void openApprovalWindow()}>
            Review
          </button>
        </section>
      )}

      <CurrentSiteCard />
      <RecentPayments />

      <section className="card" aria-label="Settings">
        <AutoLockSelect status={status} onError={setError} />
      </section>

      <ErrorText error={error} />

      <div className="row spread">
        <button
          type="button"
          className="link"
          data-testid="open-options"
          onClick={() => void openOptions().then(() => window.close())}
        >
          Sites &amp; history
        </button>
      </div>
    </div>
  );
}
