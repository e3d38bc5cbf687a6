/**
 * The approval window: shows one pending payment at a time (the one named by ?id=, else the
 * first), sends the user's decision, then moves to the next pending one or closes itself.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ApprovalDecision, ApprovalDto } from '../../lib/messaging/contract';
import { useApprovalsStore } from '../../lib/ui/stores/approvals';
import { useWalletStore } from '../../lib/ui/stores/wallet';
import { ErrorText } from '../ErrorText';
import { useRefresh } from '../hooks';
import { UnlockForm } from '../UnlockForm';
import { ApprovalCard } from './ApprovalCard';
import { DirectTransferCard } from './DirectTransferCard';
import { SignInCard } from './SignInCard';
import { S } from '../strings';

export function ApprovalApp() {
  const items = useApprovalsStore((s) => s.items);
  const loaded = useApprovalsStore((s) => s.loaded);
  const error = useApprovalsStore((s) => s.error);
  const load = useApprovalsStore((s) => s.load);
  const decide = useApprovalsStore((s) => s.decide);
  const requestedId = useMemo(() => new URLSearchParams(window.location.search).get('id'), []);
  const [currentId, setCurrentId] = useState<string | null>(requestedId);
  /** last copy seen of the current approval, kept to explain it once it leaves the queue */
  const [snapshot, setSnapshot] = useState<ApprovalDto | null>(null);
  const [finished, setFinished] = useState(false);

  // The background refuses to pay while the wallet is locked: show an unlock form here.
  const wallet = useWalletStore((s) => s.status);
  const loadWallet = useWalletStore((s) => s.load);
  const locked = !!wallet && wallet.initialized && !wallet.unlocked;

  useRefresh(load, 2000);
  useRefresh(loadWallet, 2000);

  const live = currentId ? items.find((a) => a.id === currentId) : undefined;
  useEffect(() => {
    if (live) {
      if (snapshot?.id !== live.id || snapshot !== live) setSnapshot(live);
      return;
    }
    // nothing chosen yet (or the requested id was never seen): take the first pending one
    if (loaded && (!currentId || !snapshot || snapshot.id !== currentId) && items[0]) {
      setCurrentId(items[0].id);
      setSnapshot(items[0]);
    }
  }, [live, loaded, items, currentId, snapshot]);

  const current = live ?? (snapshot && snapshot.id === currentId ? snapshot : null);
  const gone = !!current && !live && loaded;
  const position = current ? items.findIndex((a) => a.id === current.id) : -1;

  // Answered elsewhere or expired while others wait: move on to the next one by itself.
  useEffect(() => {
    const next = gone ? items.find((a) => a.id !== currentId) : undefined;
    if (next) {
      setCurrentId(next.id);
      setSnapshot(next);
    }
  }, [gone, items, currentId]);

  const onDecide = async (decision: ApprovalDecision) => {
    if (!current) return;
    let remaining: ApprovalDto[];
    try {
      remaining = await decide(current.id, decision);
    } catch (e) {
      // locked meanwhile (auto-lock, or locked elsewhere): bring up the unlock form
      if ((e as { code?: unknown }).code === 'locked') void loadWallet();
      throw e;
    }
    advance(current.id, remaining);
  };

  /** Skip to the next pending approval, or close the window when none is left. */
  const advance = (doneId: string, remaining: ApprovalDto[]) => {
    const next = remaining.find((a) => a.id !== doneId);
    if (next) {
      setCurrentId(next.id);
      setSnapshot(next);
    } else {
      setFinished(true);
      window.close();
    }
  };

  let body;
  if (finished) {
    body = (
      <p className="success" role="status" data-testid="approval-finished">{S.texts.ApprovalApp.doneYouCanCloseThis}</p>
    );
  } else if (current) {
    body = (
      <>
        {locked && !gone && (
          <section className="card" aria-label={S.texts.ApprovalApp.unlockToPay} data-testid="approval-locked">
            <p>{S.texts.ApprovalApp.theWalletIsLockedEnter}</p>
            <UnlockForm />
          </section>
        )}
        {current.direct || current.signIn ? (
          (() => {
            const Special = current.direct ? DirectTransferCard : SignInCard;
            return (
              <Special
                key={current.id}
                approval={current}
                gone={gone}
                locked={locked}
                queueText={`${position >= 0 ? position + 1 : '–'} of ${Math.max(items.length, position + 1)}`}
                onDecide={onDecide}
                onSkip={() => advance(current.id, items)}
              />
            );
          })()
        ) : (
        <ApprovalCard
          key={current.id}
          approval={current}
          gone={gone}
          locked={locked}
          queueText={`${position >= 0 ? position + 1 : '–'} of ${Math.max(items.length, position + 1)}`}
          onDecide={onDecide}
          onSkip={() => advance(current.id, items)}
        />
        )}
      </>
    );
  } else if (!loaded) {
    body = <p className="muted">Loading…</p>;
  } else {
    body = (
      <div data-testid="approval-empty">
        <ErrorText error={error} />
        {!error && <p>{S.texts.ApprovalApp.noPaymentRequestsAreWaiting}</p>}
        <button type="button" onClick={() => window.close()}>
          Close
        </button>
      </div>
    );
  }
  return <main className="approval">{body}</main>;
}
