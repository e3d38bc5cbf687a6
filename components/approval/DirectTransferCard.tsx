/**
 * A direct on-chain transfer (the X-Payment-* 402, background/direct-transfer.ts): not x402.
 * Says that it cannot be undone, shows the token (the wallet's own), the payee, the amount in
 * token and dollars and the network fee; only the explicit "Send transfer" button sends it.
 * No Enter shortcut, no "allow" or budget: every one asks.
 */
import type { ApprovalDecision, ApprovalDto } from '../../lib/messaging/contract';
import { formatCountdown } from '../../lib/ui/format';
import { AmountView } from '../AmountView';
import { ErrorText } from '../ErrorText';
import { useNow } from '../hooks';
import { S } from '../strings';
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
      <ApprovalHeading id="direct-title" title={S.direct.title} queueText={queueText} site={approval.site} />
      {approval.requestOrigin !== approval.site && (
        <p>
          {S.approval.askedBy}
          <span className="mono" data-testid="approval-origin">{approval.requestOrigin}</span>
        </p>
      )}
      <p className="warning" role="note" data-testid="direct-warning">
        {S.direct.warningLead}
        <strong>{S.direct.warningStrong}</strong>
        {S.direct.warningTail}
      </p>
      {option && (
        <div className="amount" data-testid="approval-amount">
          <AmountView hero token={option.amountToken} usd={option.amountUsd} />
        </div>
      )}
      <dl>
        <dt>{S.approval.for}</dt>
        <dd className="mono" data-testid="approval-resource">
          {approval.resourceUrl}
        </dd>
        {option && (
          <>
            <dt>{S.approval.network}</dt>
            <dd data-testid="approval-network">
              {option.networkName} <span className="muted small">{S.direct.siteSaid(direct.chainName)}</span>
            </dd>
            <dt>{S.approval.token}</dt>
            <dd>
              <span className="mono" data-testid="approval-asset">
                {option.asset}
              </span>{' '}
              <span className="muted small">{S.direct.tokenSource(option.symbol, direct.currency)}</span>
            </dd>
            <dt>{S.direct.sendTo}</dt>
            <dd className="mono" data-testid="approval-payto">
              {option.payTo}
            </dd>
            <dt>{S.direct.fee}</dt>
            <dd data-testid="direct-fee">
              {S.direct.feeValue(direct.fee)}
            </dd>
            {option.balance && (
              <>
                <dt>{S.approval.balance}</dt>
                <dd data-testid="approval-balance" className={insufficient ? 'danger-text' : undefined}>
                  {balanceText(option)}
                </dd>
              </>
            )}
          </>
        )}
        <dt>{S.approval.expires}</dt>
        <dd data-testid="approval-expiry" aria-live="off">
          {closed ? S.approval.expired : formatCountdown(approval.expiresAt - now)}
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
          {busy ? S.direct.sending : S.direct.send(option?.amountToken ?? '')}
        </button>
        <button type="button" data-testid="approve-reject" disabled={busy} onClick={() => (gone ? onSkip() : void run({ kind: 'reject' }))}>
          {S.direct.dontSend}
        </button>
      </div>
      {!guard.armed && !closed && <DelayNote what={S.direct.delayed} />}
    </article>
  );
}
