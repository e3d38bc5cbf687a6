/**
 * An address, shortened or full (monospace), with an optional copy button. Shown exactly as
 * given: EVM addresses keep their checksum casing, Solana base58 is never re-cased.
 */
import { useState } from 'react';
import { shortAddress } from '../lib/ui/format';
import { S } from './strings';

export interface AddressViewProps {
  address: string;
  full?: boolean;
  copy?: boolean;
  testId?: string;
  /** accessible name of the copy button, e.g. "Copy EVM address" (default "Copy address") */
  copyLabel?: string;
  /** data-testid of the copy button (default "copy-address") */
  copyTestId?: string;
  /** what the button copies, for the screen-reader announcement, e.g. "EVM address" (default "address") */
  copyWhat?: string;
}

export function AddressView({ address, full = false, copy = true, testId, copyLabel = S.address.copyLabel, copyTestId = 'copy-address', copyWhat: what = S.address.what }: AddressViewProps) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const onCopy = async () => {
    try {
      await navigator.clipboard.writeText(address);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied(null), 1500);
  };
  return (
    <span className="row" style={{ gap: '0.35rem', display: 'inline-flex' }}>
      <span className="mono" title={address} data-testid={testId}>
        {full ? address : shortAddress(address)}
      </span>
      {copy && (
        <>
          <button type="button" className="small" onClick={onCopy} aria-label={copyLabel} data-testid={copyTestId}>
            {copied === 'yes' ? S.address.copied : copied === 'failed' ? S.address.copyFailed : S.address.copy}
          </button>
          <span className="visually-hidden" role="status">
            {copied === 'yes' ? S.address.copiedStatus(what) : copied === 'failed' ? S.address.copyFailedStatus(what) : ''}
          </span>
        </>
      )}
    </span>
  );
}
