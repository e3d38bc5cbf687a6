/** A transaction hash / Solana signature: linked to the explorer when the background gave a link (never for local chains or imported files). */
import type { PaymentDto } from '../../../lib/messaging/contract';
import { safeExplorerUrl } from '../../../lib/ui/history';
import { railOfNetwork, shortTxId } from '../../../lib/ui/rails';
import { S } from '../../strings';

export function TxLink({ payment: p, full = false, testId = 'history-tx' }: { payment: Pick<PaymentDto, 'txHash' | 'explorerUrl' | 'network'>; full?: boolean; testId?: string }) {
  if (!p.txHash) return <>—</>;
  const label = full ? p.txHash : shortTxId(p.txHash);
  const href = safeExplorerUrl(p.explorerUrl);
  if (!href)
    return (
      <span title={p.txHash} data-testid={testId}>
        {label}
      </span>
    );
  return (
    <a
      href={href}
      target="_blank"
      rel="noreferrer noopener"
      title={p.txHash}
      aria-label={S.historyPage.txLabel(railOfNetwork(p.network) === 'svm', shortTxId(p.txHash))}
      data-testid={testId}
    >
      {label}
    </a>
  );
}
