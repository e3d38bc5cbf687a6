/**
 * A sign-in-with-x request (lib/siwx, background/siwx.ts): the EIP-4361 message shown in full,
 * exactly as it will be signed, with the origin it is bound to (the browser's, not the server's
 * word) and the per-site "remember" choice. Signing proves the account; it moves no money.
 */
import { useState } from 'react';
import { formatCountdown } from '../../lib/ui/format';
import { ErrorText } from '../ErrorText';
import { useNow } from '../hooks';
import { S } from '../strings';
import type { SpecialCardProps } from './DirectTransferCard';
import { ApprovalHeading, DelayNote, FramedNotice, useDecision } from './useDecision';
import { useSecurityDelay } from './useSecurityDelay';

export function SignInCard({ approval, gone, locked = false, queueText, onDecide, onSkip }: SpecialCardProps) {
  const s = approval.signIn!;
  const [remember, setRemember] = useState(s.remember);
  const now = useNow(1000);
  const closed = gone || approval.expiresAt - now <= 0;

  const { busy, error, run } = useDecision(onDecide, onSkip, closed);
  // a signature, like a payment: held back until the window has been in front for a moment
  const guard = useSecurityDelay();
  if (guard.framed) return <FramedNotice />;
  return (
    <article aria-labelledby="signin-title" data-testid="approval" data-kind="sign-in" data-approval-id={approval.id}>
      <ApprovalHeading id="signin-title" title={S.signIn.title} queueText={queueText} site={approval.site} />
      <p>
        <span className="mono" data-testid="signin-origin">{s.origin}</span>
        {S.signIn.asks}
        <span className="mono" data-testid="signin-address">{s.address}</span>
        {S.signIn.insteadOfPaying}
        {s.paidBefore && <span data-testid="signin-paid-before"> {s.paidBefore}</span>}
        {S.signIn.movesNoMoney}
      </p>
      <p id="signin-message-label">{S.signIn.message}</p>
      <pre id="signin-message" aria-labelledby="signin-message-label" className="mono small" data-testid="signin-message" tabIndex={0} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {s.message}
      </pre>
      <dl>
        <dt>{S.approval.for}</dt>
        <dd className="mono" data-testid="approval-resource">
          {approval.resourceUrl}
        </dd>
        <dt>{S.approval.expires}</dt>
        <dd data-testid="approval-expiry" aria-live="off">
          {closed ? S.approval.expired : formatCountdown(approval.expiresAt - now)}
        </dd>
      </dl>
      <label className="row">
        <input type="checkbox" data-testid="signin-remember" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
        {S.signIn.remember(s.origin)}
      </label>
      <ErrorText error={error} />
      <div className="actions">
        <button
          type="button"
          data-testid="signin-sign"
          disabled={closed || busy || locked || !guard.armed}
          aria-describedby={!guard.armed ? 'approval-delay' : undefined}
          onClick={(e) => !closed && !locked && guard.accepts(e) && void run({ kind: 'sign-in', remember })}
        >
          {busy ? S.signIn.signing : S.signIn.sign}
        </button>
        <button type="button" data-testid="approve-reject" disabled={busy} onClick={() => (gone ? onSkip() : void run({ kind: 'reject' }))}>
          {S.signIn.notNow}
        </button>
      </div>
      {!guard.armed && !closed && <DelayNote what={S.signIn.delayed} />}
    </article>
  );
}
