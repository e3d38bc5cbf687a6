/** Auto-lock choice (popup and options): saved through wallet.setAutoLock. */
import type { ApiError, WalletStatusDto } from '../lib/messaging/contract';
import { toApiError } from '../lib/ui/errors';
import { autoLockChoices, autoLockToValue, valueToAutoLock } from '../lib/ui/format';
import { useWalletStore } from '../lib/ui/stores/wallet';
import { MANAGED_LABEL, useManagedStore } from '../lib/ui/stores/managed';
import { useEffect } from 'react';
import { S } from './strings';

export function AutoLockSelect({ status, onError }: { status: WalletStatusDto; onError(e: ApiError | null): void }) {
  const setAutoLock = useWalletStore((s) => s.setAutoLock);
  const managed = useManagedStore((s) => s.managed);
  const loadManaged = useManagedStore((s) => s.load);
  useEffect(() => {
    void loadManaged();
  }, [loadManaged]);
  const locked = managed?.active === true && managed.autoLockMinutes !== undefined;
  const onChange = async (value: string) => {
    const a = valueToAutoLock(value);
    if (!a) return;
    onError(null);
    try {
      await setAutoLock(a);
    } catch (e) {
      onError(toApiError(e));
    }
  };
  return (
    <div className="row">
      <label className="inline" htmlFor="auto-lock">
        {S.autoLock}
      </label>
      <select
        id="auto-lock"
        data-testid="auto-lock"
        className="grow"
        value={autoLockToValue(status.autoLock)}
        disabled={locked}
        title={locked ? MANAGED_LABEL : undefined}
        onChange={(e) => void onChange(e.target.value)}
      >
        {autoLockChoices(status.autoLock).map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}
