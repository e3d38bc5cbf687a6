/** One payment request: what, who, how much, why asked; and the four decisions. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApprovalDecision, ApprovalDto } from '../../lib/messaging/contract';
import { defaultAllowanceUsd } from '../../lib/ui/allowance';
import { formatCountdown, formatSeconds } from '../../lib/ui/format';
import { allowanceText, feePayerText, feeText, totalText } from '../../lib/ui/rails';
import { formatUsd, formatUsdPlain, tryParseUsd } from '../../lib/policy/money';
import { AmountView, amountText, localAmount } from '../AmountView';
import { Network } from '../Network';
import { S } from '../strings';
import { UptoNote } from './UptoNote';
import { SponsoredPermit } from './SponsoredPermit';
import { ErrorText } from '../ErrorText';
import { useNow } from '../hooks';
import { RailTag } from '../RailTag';
import { balanceText, OptionsPicker } from './OptionsPicker';
import { AllowanceGrant } from './AllowanceGrant';
import { useApprovalsStore } from '../../lib/ui/stores/approvals';
import { useSecurityDelay } from './useSecurityDelay';
import { ApprovalHeading, DelayNote, FramedNotice, useDecision } from './useDecision';

type Period = 'day' | 'week' | 'month';

export interface ApprovalCardProps {
  approval: ApprovalDto;
  /** no longer in the background's queue (answered elsewhere or expired) */
  gone: boolean;
  /** the wallet is locked: paying waits for the unlock form above */
  locked?: boolean;
  queueText: string;
  onDecide(decision: ApprovalDecision): Promise<void>;
  onSkip(): void;
}

/** Enter pays only when focus is not on a control that has its own Enter behaviour. */
function enterBelongsToControl(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  if (tag === 'BUTTON' || tag === 'A' || tag === 'TEXTAREA' || tag === 'SELECT' || tag === 'SUMMARY') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return type !== 'radio' && type !== 'checkbox';
  }
  return target.isContentEditable;
}

export function ApprovalCard({ approval, gone, locked = false, queueText, onDecide, onSkip }: ApprovalCardProps) {
  const [selected, setSelected] = useState(approval.selectedIndex);
  const option = approval.options.find((o) => o.index === selected) ?? approval.options[0];
  const [allowAmount, setAllowAmount] = useState(() => defaultAllowanceUsd(option?.amountUsd));
  const [amountEdited, setAmountEdited] = useState(false);
  const [period, setPeriod] = useState<Period>('day');
  const now = useNow(1000);
  const msLeft = approval.expiresAt - now;
  const expired = msLeft <= 0;
  const closed = expired || gone;

  // a new option changes the suggested allowance unless the user typed their own
  useEffect(() => {
    if (!amountEdited) setAllowAmount(defaultAllowanceUsd(option?.amountUsd));
  }, [option?.amountUsd, amountEdited]);

  const parsedAllow = tryParseUsd(allowAmount);
  const priceMicro = option?.amountUsd ? tryParseUsd(option.amountUsd) : null;
  let allowError: string | null = null;
  if (!parsedAllow.ok) allowError = parsedAllow.error;
  else if (parsedAllow.micro <= 0n) allowError = 'The allowance must be more than $0.';
  else if (priceMicro?.ok && parsedAllow.micro < priceMicro.micro) {
    allowError = `The allowance must cover this payment (${formatUsd(priceMicro.micro)}).`;
  }
  const allowLabel = parsedAllow.ok ? formatUsd(parsedAllow.micro) : `$${allowAmount}`;

  // An option the wallet cannot fund (balance known and too small) cannot be paid from here;
  // an unknown balance never blocks paying.
  const insufficient = option?.balance?.sufficient === false;
  // TRON exact_permit: a known missing PaymentPermit allowance would make the facilitator fail
  const noAllowance = option?.allowance?.sufficient === false;
  /** the option whose allowance was granted from this window (its grant section stays, saying so) */
  const [grantedFor, setGrantedFor] = useState<number | null>(null);
  const { busy, error, run } = useDecision(onDecide, onSkip, closed);
  // the security delay: no decision that spends before the window was in front for a moment
  const guard = useSecurityDelay();
  /** consent to the server's EIP-2612 gas sponsoring (per option; it stands in for the missing Permit2 allowance) */
  const [sponsorFor, setSponsorFor] = useState<number | null>(null);
  const sponsored = !!option && noAllowance && option.gasSponsoring === 'eip2612' && sponsorFor === option.index;
  const canPay = !!option && !closed && !busy && !locked && !insufficient && (!noAllowance || sponsored) && guard.armed;
  const embedded = approval.embeddedFrom !== undefined;
  const claim = option ? approval.priceClaims?.find((c) => c.index === option.index) : undefined;


  const payOnce = useCallback(() => {
    if (canPay && option) void run({ kind: 'pay-once', optionIndex: option.index, ...(sponsored ? { sponsoredPermit: true as const } : {}) });
  }, [canPay, option, run, sponsored]);
  const reject = useCallback(() => {
    if (gone) onSkip();
    else void run({ kind: 'reject' });
  }, [gone, onSkip, run]);
  const allow = () => {
    if (!canPay || !option || !parsedAllow.ok || allowError) return;
    void run({ kind: 'allow', optionIndex: option.index, period, capUsd: formatUsdPlain(parsedAllow.micro) });
  };
  const block = () => {
    if (guard.armed) void run({ kind: 'block' });
  };
  /** a click decides only when the browser made it (a user gesture) and the delay has passed (reject: any real click) */
  const gesture = (fn: () => void, needsDelay = true) => (e: { isTrusted: boolean }) => {
    if (needsDelay ? guard.accepts(e) : e.isTrusted) fn();
  };

  // keyboard: Enter = Pay once, Escape = Reject
  const keys = useRef({ payOnce, reject, guard });
  keys.current = { payOnce, reject, guard };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.repeat || e.defaultPrevented || !e.isTrusted) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        keys.current.reject();
      } else if (e.key === 'Enter' && !enterBelongsToControl(e.target)) {
        e.preventDefault();
        // a keystroke meant for the page the window popped up over does not pay
        if (keys.current.guard.accepts(e)) keys.current.payOnce();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (guard.framed) return <FramedNotice />;

  return (
    <article aria-labelledby="approval-title" data-testid="approval" data-approval-id={approval.id}>
      <ApprovalHeading id="approval-title" title="Payment request" queueText={queueText} site={approval.site} />
      {embedded && (
        <p className="warning" role="alert" data-testid="approval-embedded">
          <strong>{S.texts.ApprovalCard.embeddedContentAsksToPay}</strong> Requested by{' '}
          <span className="mono" data-testid="approval-embedded-from">{approval.embeddedFrom}</span>{S.texts.ApprovalCard.aFrameRunningInside}{' '}
          <span className="mono">{approval.site}</span>{S.texts.ApprovalCard.itIsNotThatSite}</p>
      )}
      {claim && (
        <p className="error" role="alert" data-testid="approval-price-claim">
          <strong>{S.texts.ApprovalCard.thePriceShownByThe}</strong> {claim.text}
        </p>
      )}
      {approval.requestOrigin && approval.requestOrigin !== approval.site && (
        <p>
          Asked by <span className="mono" data-testid="approval-origin">{approval.requestOrigin}</span>{' '}
          <span className="muted small">{S.texts.ApprovalCard.aDifferentOriginInsideThis}</span>
        </p>
      )}

      {option ? (
        <div className="amount" data-testid="approval-amount">
          {option.fee && option.fee.atomic !== '0' ? (
            <>
              {/* the hero is what leaves the account: price and fee together */}
              <AmountView hero token={option.fee.totalToken} usd={option.fee.totalUsd ?? null} />
              <span className="small muted" data-testid="approval-total">
                {' '}
                {totalText(option.fee)}: price {localAmount(amountText(option.amountToken, option.amountUsd))} + fee {localAmount(option.fee.token)}
              </span>
            </>
          ) : (
            <>
              {option.scheme === 'upto' && <span className="amount-prefix">Up to </span>}
              <AmountView hero token={option.amountToken} usd={option.amountUsd} />
            </>
          )}
        </div>
      ) : (
        <p className="error" role="alert" data-testid="approval-amount">{S.texts.ApprovalCard.theWalletCanTPay}</p>
      )}

      <dl>
        <dt>For</dt>
        <dd>
          <span className="mono" data-testid="approval-resource">
            {approval.resourceUrl}
          </span>
          {approval.description && <div data-testid="approval-description">{approval.description}</div>}
        </dd>
        {option && (
          <>
            <dt>Network</dt>
            <dd className="row">
              <Network network={option.network} name={option.networkName} testId="approval-network" />
              <RailTag rail={option.rail} testId="approval-rail" />
            </dd>
            <dt>{S.approval.payTo}</dt>
            <dd className="mono payto" data-testid="approval-payto">
              {option.payTo}
            </dd>
            {option.scheme === 'upto' && <UptoNote option={option} />}
            {option.fee && (
              <>
                <dt>Fee</dt>
                <dd data-testid="approval-fee">{feeText(option.fee, option.scheme)}</dd>
              </>
            )}
            {option.allowance && (
              <>
                <dt>Allowance</dt>
                <dd data-testid="approval-allowance" data-state={String(option.allowance.sufficient)} className={noAllowance ? 'danger-text' : undefined}>
                  {allowanceText(option.allowance, option.rail === 'evm' ? 'evm' : 'tron')}
                </dd>
              </>
            )}
            {option.rail === 'svm' && option.feePayer && (
              <>
                <dt>Network fee</dt>
                <dd data-testid="approval-fee-payer">{feePayerText(option.feePayer)}</dd>
              </>
            )}
            <dt>Your balance</dt>
            <dd data-testid="approval-balance" className={insufficient ? 'danger-text' : undefined}>
              {balanceText(option)}
            </dd>
          </>
        )}
        <dt>Expires</dt>
        <dd data-testid="approval-expiry" aria-live="off">
          {gone ? S.texts.ApprovalCard.noLongerWaiting : expired ? 'Expired' : `in ${formatCountdown(msLeft)}`}
        </dd>
      </dl>
      <details className="approval-details" data-testid="approval-details">
        <summary>{S.approval.details}</summary>
        <dl>
          <dt>Request</dt>
          <dd data-testid="approval-method">
            {approval.method} · {approval.kind === 'navigation' ? 'page load' : approval.kind === 'page-api' ? S.texts.ApprovalCard.thePageSScriptWindow : S.texts.ApprovalCard.requestFromThePage}
          </dd>
          {option && (
            <>
              <dt>{option.rail === 'svm' ? 'Token mint' : 'Token contract'}</dt>
              <dd>
                <span className="mono" data-testid="approval-asset">
                  {option.asset}
                </span>{' '}
                <span className="muted small">({option.symbol})</span>
              </dd>
              <dt>Payment valid</dt>
              <dd data-testid="approval-validity">
                {option.rail === 'svm'
                  ? S.texts.ApprovalCard.validForSvm(formatSeconds(option.maxTimeoutSeconds))
                  : S.texts.ApprovalCard.validFor(formatSeconds(option.maxTimeoutSeconds))}
              </dd>
            </>
          )}
        </dl>
      </details>

      {closed && (
        <p className="warning" role="status" data-testid="approval-expired">
          {gone && !expired
            ? S.texts.ApprovalCard.thisRequestIsNoLonger
            : S.texts.ApprovalCard.thisRequestExpiredThePage}
        </p>
      )}

      <p className="why" data-testid="approval-why">
        <strong>{S.approval.why}</strong>
        {approval.whyAsked ?? S.approval.whyDefault}
      </p>
      {approval.remaining && (
        <p data-testid="approval-remaining">
          <strong>Budget left: </strong>
          {approval.remaining}
        </p>
      )}

      {option && insufficient && option.balance && (
        <p className="error" role="alert" id="approval-insufficient" data-testid="approval-insufficient">
          <strong>Insufficient balance.</strong>{S.texts.ApprovalCard.thisAccountHas}{option.balance.token}{S.texts.ApprovalCard.thisPaymentCosts}{' '}
          {option.amountToken}
          {option.networkName ? ` on ${option.networkName}` : ''}{S.texts.ApprovalCard.payingIsDisabledBecauseThe}{approval.options.some((o) => o.balance?.sufficient !== false) ? S.texts.ApprovalCard.chooseAnotherOptionOrAdd : S.texts.ApprovalCard.addFundsToThisAccount}
        </p>
      )}

      {option && noAllowance && option.gasSponsoring === 'eip2612' && (
        <SponsoredPermit option={option} checked={sponsored} disabled={closed || busy} onChange={(v) => setSponsorFor(v ? option.index : null)} />
      )}
      {option && (noAllowance || grantedFor === option.index) && (
        <AllowanceGrant
          key={option.index}
          approvalId={approval.id}
          option={option}
          disabled={closed || locked}
          onGranted={() => {
            setGrantedFor(option.index);
            void useApprovalsStore.getState().load();
          }}
        />
      )}

      <OptionsPicker approval={approval} selected={option?.index ?? -1} onSelect={setSelected} disabled={closed || busy} />

      <ErrorText error={error} testId="approval-error" />

      <div className="actions">
        <button
          type="button"
          id="approve-pay-once"
          data-testid="approve-pay-once"
          className="primary big"
          disabled={!canPay}
          aria-describedby={insufficient ? 'approval-insufficient' : !guard.armed ? 'approval-delay' : undefined}
          onClick={gesture(payOnce)}
        >
          {S.approval.payOnce}
        </button>
        {!guard.armed && !closed && <DelayNote what="Paying" />}
        {!embedded && (
        <div className="card allow-card">
          <div className="allow-row">
            <label className="inline" htmlFor="allow-amount">{S.texts.ApprovalCard.allowUpTo}</label>
            <input
              id="allow-amount"
              data-testid="allow-amount"
              type="text"
              inputMode="decimal"
              aria-label={S.texts.ApprovalCard.allowanceForThisSiteIn}
              aria-invalid={allowError ? true : undefined}
              aria-describedby="allow-amount-error"
              value={allowAmount}
              disabled={closed || busy}
              onChange={(e) => {
                setAllowAmount(e.target.value);
                setAmountEdited(true);
              }}
            />
            <label className="inline" htmlFor="allow-period">
              per
            </label>
            <select
              id="allow-period"
              data-testid="allow-period"
              aria-label="Allowance period"
              value={period}
              disabled={closed || busy}
              onChange={(e) => setPeriod(e.target.value as Period)}
            >
              <option value="day">day</option>
              <option value="week">week</option>
              <option value="month">month</option>
            </select>
          </div>
          <ErrorText error={allowError} id="allow-amount-error" />
          <button
            type="button"
            id="approve-allow"
            data-testid="approve-allow"
            className="allow-button"
            disabled={!canPay || !!allowError}
            aria-describedby={insufficient ? 'approval-insufficient' : undefined}
            onClick={gesture(allow)}
          >{S.texts.ApprovalCard.payAndAllowThisSite}{allowLabel} per {period}
          </button>
        </div>
        )}
        <div className="row">
          <button
            type="button"
            id="approve-reject"
            data-testid="approve-reject"
            className="big grow"
            disabled={busy}
            onClick={gesture(reject, false)}
          >
            {S.approval.reject}
          </button>
          {!embedded && (
            <button
              type="button"
              id="approve-block"
              data-testid="approve-block"
              className="danger big grow"
              disabled={busy || gone || !guard.armed}
              onClick={gesture(block)}
            >
              {S.approval.block}
            </button>
          )}
        </div>
        <p className="small muted keys">{S.approval.keys}</p>
      </div>
    </article>
  );
}
