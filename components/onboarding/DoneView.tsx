/** Last onboarding screen: the new wallet's addresses (EVM and, for a recovery phrase, Solana). */
import type { WalletStatusDto } from '../../lib/messaging/contract';
import { AccountAddresses } from '../AccountAddresses';

export function DoneView({ status }: { status: WalletStatusDto }) {
  const active = status.accounts.find((a) => a.index === status.activeIndex);
  const address = active?.address ?? status.activeAddress;
  const svmAddress = active?.svmAddress ?? status.activeSvmAddress;
  return (
    <div data-testid="onboarding-done">
      <p className="success" role="status">
        Your wallet is ready{status.unlocked ? ' and unlocked' : ''}.
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
          <p className="small muted">
            To pay for content, send USDC on an EVM network (such as Base) to the EVM address
            {svmAddress ? ', or USDC on Solana to the Solana address' : ''}. You can close this tab now.
          </p>
        </>
      )}
    </div>
  );
}
