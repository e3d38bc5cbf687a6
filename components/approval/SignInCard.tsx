/**
 * A sign-in-with-x request (lib/siwx, background/siwx.ts): the EIP-4361 message shown in full,
 * exactly as it will be signed, with the origin it is bound to (the browser's, not the server's
 * word) and the per-site "remember" choice. Signing proves the account; it moves no money.
 */
import { useState } from 'react';
import type { ApiError, ApprovalDecision } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { formatCountdown } from '../../lib/ui/format';
import { ErrorText } from '../ErrorText';
import { useNow } from '../hooks';
import type { SpecialCardProps } from './DirectTransferCard';

export function SignInCard({ approval, gone, locked = false, queueText, onDecide, onSkip }: SpecialCardProps) {
  const s = approval.signIn!;
  const [remember, setRemember] = useState(s.remember);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const now = useNow(1000);
  const closed = gone || approval.expiresAt - now <= 0;

  const run = async (decision: ApprovalDecision) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onDecide(decision);
    } catch (e) {
      if (closed && decision.kind === 'reject') onSkip();
      else setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article aria-labelledby="signin-title" data-testid="approval" data-kind="sign-in" data-approval-id={approval.id}>
      <div className="row spread">
        <h1 id="signin-title" style={{ margin: 0 }}>
          Sign in
        </h1>
        <span className="badge" data-testid="approval-queue" aria-label={`Request ${queueText}`}>
          {queueText}
        </span>
      </div>
      <p className="site" data-testid="approval-site" title="The site you are on">
        {approval.site}
      </p>
      <p>
        <span className="mono" data-testid="signin-origin">{s.origin}</span> asks you to sign in with your account{' '}
        <span className="mono" data-testid="signin-address">{s.address}</span> instead of paying again.
        {s.paidBefore && <span data-testid="signin-paid-before"> {s.paidBefore}</span>} Signing moves no money.
      </p>
      <p id="signin-message-label">Message you sign (in full):</p>
      <pre id="signin-message" aria-labelledby="signin-message-label" className="mono small" data-testid="signin-message" tabIndex={0} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {s.message}
      </pre>
      <dl>
        <dt>For</dt>
        <dd className="mono" data-testid="approval-resource">
          {approval.resourceUrl}
        </dd>
        <dt>Expires</dt>
        <dd data-testid="approval-expiry" aria-live="off">
          {closed ? 'expired' : formatCountdown(approval.expiresAt - now)}
        </dd>
      </dl>
      <label className="row">
        <input type="checkbox" data-testid="signin-remember" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
        Remember: sign in to {s.origin} without asking next time
      </label>
      <ErrorText error={error} />
      <div className="actions">
        <button type="button" data-testid="signin-sign" disabled={closed || busy || locked} onClick={() => void run({ kind: 'sign-in', remember })}>
          {busy ? 'Signing…' : 'Sign in'}
        </button>
        <button type="button" data-testid="approve-reject" disabled={busy} onClick={() => (gone ? onSkip() : void run({ kind: 'reject' }))}>
          Not now
        </button>
      </div>
    </article>
  );
}
