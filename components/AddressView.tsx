/** An address, shortened or full (monospace), with an optional "Copy address" button. */
import { useState } from 'react';
import { shortAddress } from '../lib/ui/format';

export interface AddressViewProps {
  address: string;
  full?: boolean;
  copy?: boolean;
  testId?: string;
}

export function AddressView({ address, full = false, copy = true, testId }: AddressViewProps) {
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
        <button type="button" className="small" onClick={onCopy} aria-label="Copy address" data-testid="copy-address">
          {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy address'}
        </button>
      )}
    </span>
  );
}
