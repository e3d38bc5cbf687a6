/**
 * What every approval card shares: sending one decision at a time (busy, the error it got, an
 * approval that already left the queue skipped), the heading (title, queue position, the site),
 * and the security delay on what spends or signs (useSecurityDelay: armed once the window has been
 * in front for a moment; a decision needs a trusted click or key made after that).
 */
import { useCallback, useState } from 'react';
import type { ApiError, ApprovalDecision } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { S } from '../strings';

export function useDecision(onDecide: (d: ApprovalDecision) => Promise<void>, onSkip: () => void, closed: boolean) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(
    async (decision: ApprovalDecision) => {
      if (busy) return;
      setBusy(true);
      setError(null);
      try {
        await onDecide(decision);
      } catch (e) {
        // an approval that already left the queue cannot be answered: just move on
        if (closed && decision.kind === 'reject') onSkip();
        else setError(toApiError(e));
      } finally {
        setBusy(false);
      }
    },
    [busy, closed, onDecide, onSkip],
  );
  return { busy, error, setError, run };
}

export function ApprovalHeading({ id, title, queueText, site }: { id: string; title: string; queueText: string; site: string }) {
  return (
    <>
      <div className="row spread">
        <h1 id={id} style={{ margin: 0 }}>
          {title}
        </h1>
        <span className="badge" data-testid="approval-queue" aria-label={`Request ${queueText}`}>
          {queueText}
        </span>
      </div>
      <p className="site" data-testid="approval-site" title={S.texts.useDecision.theSiteYouAreOn}>
        {site}
      </p>
    </>
  );
}

/** Shown while the security delay holds the spending button back. */
export function DelayNote({ what }: { what: string }) {
  return (
    <p className="small muted" id="approval-delay" data-testid="approval-delay" role="status">
      {what}{S.texts.useDecision.unlocksOnceThisWindowHas}</p>
  );
}

/** An approval page inside a frame (or a window a page opened) never decides. */
export function FramedNotice() {
  return (
    <p className="error" role="alert" data-testid="approval-framed">{S.texts.useDecision.thisApprovalCanOnlyBe}</p>
  );
}
