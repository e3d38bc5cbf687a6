/**
 * A direct on-chain transfer (the X-Payment-* 402, background/direct-transfer.ts): not x402.
 * Says that it cannot be undone, shows the token (the wallet's own), the payee, the amount in
 * token and dollars and the network fee; only the explicit "Send transfer" button sends it.
 * No Enter shortcut, no "allow" or budget: every one asks.
 */
import type { ApprovalDecision, ApprovalDto } from '../../lib/messaging/contract';
import { formatCountdown } from '../../lib/ui/format';
import { amountText } from '../AmountView';
import { ErrorText } from '../ErrorText';
import { useNow } from '../hooks';
import { balanceText } from './OptionsPicker';
import { ApprovalHeading, DelayNote, FramedNotice, useDecision } from './useDecision';
import { useSecurityDelay } from './useSecurityDelay';

export interface SpecialCardProps {
  approval: ApprovalDto;
  gone: boolean;
  locked?: boolean;
  queueText: string;
  onDecide(decision: ApprovalDecision): Promise<void>;
  onSkip(): void;
}

export function DirectTransferCard({ approval, gone, locked = false, queueText, onDecide, onSkip }: SpecialCardProps) {
  const option = approval.options[0];
  const direct = approval.direct!;
  const now = useNow(1000);
  const closed = gone || approval.expiresAt - now <= 0;
  const insufficient = option?.balance?.sufficient === false;
  const canSendNow = !!option && !closed && !locked && !insufficient && !direct.feeProblem;

  const { busy, error, run } = useDecision(onDecide, onSkip, closed);
  // irreversible: held back like Pay until the window has been in front for a moment
  const guard = useSecurityDelay();
  if (guard.framed) return <FramedNotice />;
  return (
    <article aria-labelledby="direct-title" data-testid="approval" data-kind="direct-transfer" data-approval-id={approval.id}>
      <ApprovalHeading id="direct-title" title="Direct transfer" queueText={queueText} site={approval.site} />
      {approval.requestOrigin !== approval.site && (
        <p>
          Asked by <span className="mono" data-testid="approval-origin">{approval.requestOrigin}</span>
        </p>
      )}
      <p className="warning" role="note" data-testid="direct-warning">
        This site is not using x402. It asks you to send tokens straight to its address with an on-chain transaction.
        Once sent, the transfer <strong>cannot be undone or refunded</strong> by the wallet, and the site alone decides
        whether it accepts the transaction as payment.
      </p>
      {option && (
        <p className="amount" data-testid="approval-amount">
          {amountText(option.amountToken, option.amountUsd)}
        </p>
      )}
      <dl>
        <dt>For</dt>
        <dd className="mono" data-testid="approval-resource">
          {approval.resourceUrl}
        </dd>
        {option && (
          <>
            <dt>Network</dt>
            <dd data-testid="approval-network">
              {option.networkName} <span className="muted small">(the site said “{direct.chainName}”)</span>
            </dd>
            <dt>Token</dt>
            <dd>
              <span className="mono" data-testid="approval-asset">
                {option.asset}
              </span>{' '}
              <span className="muted small">
                ({option.symbol}, from your wallet’s token list; the site said “{direct.currency}”)
              </span>
            </dd>
            <dt>Send to</dt>
            <dd className="mono" data-testid="approval-payto">
              {option.payTo}
            </dd>
            <dt>Network fee</dt>
            <dd data-testid="direct-fee">
              {direct.fee ? `up to ${direct.fee}, paid by you on top` : 'unknown'}
            </dd>
            {option.balance && (
              <>
                <dt>Balance</dt>
                <dd data-testid="approval-balance" className={insufficient ? 'danger-text' : undefined}>
                  {balanceText(option)}
                </dd>
              </>
            )}
          </>
        )}
        <dt>Expires</dt>
        <dd data-testid="approval-expiry" aria-live="off">
          {closed ? 'expired' : formatCountdown(approval.expiresAt - now)}
        </dd>
      </dl>
      {direct.feeProblem && (
        <p className="error" role="alert" data-testid="direct-fee-problem">
          {direct.feeProblem}
        </p>
      )}
      {direct.recent && (
        <p className="warning" role="status" data-testid="direct-recent">
          {direct.recent}
        </p>
      )}
      {approval.whyAsked && <p data-testid="approval-why">{approval.whyAsked}</p>}
      <ErrorText error={error} />
      <div className="actions">
        <button
          type="button"
          className="danger"
          data-testid="direct-send"
          disabled={!canSendNow || busy || !guard.armed}
          aria-describedby={!guard.armed ? 'approval-delay' : undefined}
          onClick={(e) => canSendNow && guard.accepts(e) && void run({ kind: 'pay-once', optionIndex: 0 })}
        >
          {busy ? 'Sending…' : `Send ${option?.amountToken ?? ''} now`}
        </button>
        <button type="button" data-testid="approve-reject" disabled={busy} onClick={() => (gone ? onSkip() : void run({ kind: 'reject' }))}>
          Don’t send
        </button>
      </div>
      {!guard.armed && !closed && <DelayNote what="Sending" />}
    </article>
  );
}
