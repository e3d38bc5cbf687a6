/** Last onboarding screen: the new wallet's address. */
import type { WalletStatusDto } from '../../lib/messaging/contract';
import { AddressView } from '../AddressView';

export function DoneView({ status }: { status: WalletStatusDto }) {
  const active = status.accounts.find((a) => a.index === status.activeIndex);
  const address = active?.address ?? status.activeAddress;
  return (
    <div data-testid="onboarding-done">
      <p className="success" role="status">
        Your wallet is ready{status.unlocked ? ' and unlocked' : ''}.
      </p>
      {address && (
        <>
          <p>Your address{active ? ` (${active.name})` : ''}:</p>
          <p>
            <AddressView address={address} full testId="onboarding-address" />
          </p>
          <p className="small muted">Send USDC to this address to pay for content. You can close this tab now.</p>
        </>
      )}
    </div>
  );
}
