/** Wallet tools: account names, auto-lock, reveal the secret (password required), reset. */
import { useState } from 'react';
import type { ApiError } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { useWalletStore } from '../../lib/ui/stores/wallet';
import { AccountAddresses } from '../AccountAddresses';
import { AutoLockSelect } from '../AutoLockSelect';
import { ErrorText } from '../ErrorText';
import { RevealSecret } from './RevealSecret';
import { ResetWallet } from './ResetWallet';
import { S } from '../strings';
import { Button, Field } from '../Card';

function AccountRow({
  index,
  name,
  address,
  svmAddress,
  tronAddress,
  kind,
}: {
  index: number;
  name: string;
  address: string;
  svmAddress?: string;
  tronAddress?: string;
  kind?: 'mnemonic' | 'privateKey';
}) {
  const rename = useWalletStore((s) => s.renameAccount);
  const [value, setValue] = useState(name);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const v = value.trim();
    if (!v) return setError(S.walletTools.enterName);
    if (v.length > 40) return setError(S.walletTools.tooLong);
    setBusy(true);
    setError(null);
    try {
      await rename(index, v);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="card" data-testid="account-row">
      <div className="row">
        <Field id={`account-name-${index}`} label={S.walletTools.nameOf(index + 1)} hideLabel>
          <input
            id={`account-name-${index}`}
            data-testid={`account-name-${index}`}
            type="text"
            value={value}
            maxLength={40}
            onChange={(e) => setValue(e.target.value)}
          />
        </Field>
        <Button testId={`account-rename-${index}`} disabled={busy || value.trim() === name} onClick={() => void save()}>
          {S.walletTools.rename}
        </Button>
      </div>
      <AccountAddresses
        evm={address}
        svm={svmAddress}
        kind={kind}
        full
        accountName={name}
        evmTestId={`account-address-${index}`}
        svmTestId={`account-svm-address-${index}`}
        noSvmTestId={`account-svm-none-${index}`}
        tron={tronAddress}
        tronTestId={`account-tron-address-${index}`}
        copySuffix={`-${index}`}
      />
      <ErrorText error={error} />
    </li>
  );
}

export function WalletSection() {
  const status = useWalletStore((s) => s.status);
  const [error, setError] = useState<ApiError | null>(null);
  if (!status) return <p className="muted">{S.loading}</p>;
  return (
    <div data-testid="wallet-section">
      {status.initialized && status.accounts.length > 0 && (
        <>
          <h2>{S.walletTools.accounts}</h2>
          <ul style={{ listStyle: 'none', padding: 0 }}>
            {status.accounts.map((a) => (
              <AccountRow
                key={`${a.index}-${a.name}`}
                index={a.index}
                name={a.name}
                address={a.address}
                svmAddress={a.svmAddress}
                tronAddress={a.tronAddress}
                kind={status.kind}
              />
            ))}
          </ul>
        </>
      )}
      {status.initialized && (
        <>
          <h2>{S.walletTools.autoLock}</h2>
          <AutoLockSelect status={status} onError={setError} />
          <ErrorText error={error} />
          <RevealSecret kind={status.kind} />
        </>
      )}
      <ResetWallet initialized={status.initialized} />
    </div>
  );
}
