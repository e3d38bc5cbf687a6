/**
 * TRON exact_permit: the PaymentPermit allowance is missing; EVM Permit2 payments: the Permit2
 * allowance (same component, the rail's words). Offers to approve that contract
 * for exactly what this payment needs (default), a larger cap the user types, or — only with a
 * separate, explicit confirmation — an unlimited amount; shows the network cost (energy,
 * bandwidth, the fee limit) before anything is signed. The background builds, signs and sends
 * the transaction and updates the approval once the chain shows the allowance.
 */
import { useEffect, useState } from 'react';
import { call } from '../../lib/messaging/client';
import type { AllowanceQuoteDto, AllowanceRequest, ApiError, OptionDto } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { parseTokenAmount } from '../../lib/ui/rails';
import { ErrorText } from '../ErrorText';
import { S } from '../strings';

type Mode = 'exact' | 'cap' | 'unlimited';

export function AllowanceGrant({ approvalId, option, disabled, onGranted }: { approvalId: string; option: OptionDto; disabled: boolean; onGranted: () => void }) {
  const [mode, setMode] = useState<Mode>('exact');
  const [cap, setCap] = useState('');
  const [confirmUnlimited, setConfirmUnlimited] = useState(false);
  const [quote, setQuote] = useState<AllowanceQuoteDto | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string | null>(null);

  const capAtomic = mode === 'cap' ? parseTokenAmount(cap, option.decimals) : undefined;
  const request: AllowanceRequest | null =
    mode === 'exact'
      ? { id: approvalId, optionIndex: option.index }
      : mode === 'cap'
        ? capAtomic !== undefined
          ? { id: approvalId, optionIndex: option.index, amountAtomic: capAtomic.toString() }
          : null
        : { id: approvalId, optionIndex: option.index, unlimited: true, confirmUnlimited };
  const key = JSON.stringify(request);

  useEffect(() => {
    let live = true;
    setQuote(null);
    setError(null);
    if (!request || (mode === 'unlimited' && !confirmUnlimited)) return;
    call('approvals.allowanceQuote', request).then(
      (q) => live && setQuote(q),
      (e) => live && setError(toApiError(e)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const grant = async () => {
    if (!request || busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call('approvals.grantAllowance', request);
      setSent(r.txId);
      onGranted();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const canSend = !!request && !!quote && !busy && !disabled && !sent && (mode !== 'unlimited' || confirmUnlimited);
  const evm = option.rail === 'evm';
  const contract = evm ? 'Permit2' : 'the PaymentPermit contract';
  return (
    <section className="card" aria-labelledby="grant-title" data-testid="allowance-grant">
      <h2 id="grant-title" style={{ margin: 0, fontSize: '1rem' }}>
        Allow {contract}
      </h2>
      <p className="small">
        {evm ? S.texts.AllowanceGrant.aTransactionFromThisAccount : S.texts.AllowanceGrant.aTronTransactionFromThis}: <span className="mono">approve({option.allowance?.spender}, amount)</span>{S.texts.AllowanceGrant.onTheToken}{' '}
        <span className="mono">{option.asset}</span>. It costs {evm ? 'gas' : 'network resources'}{S.texts.AllowanceGrant.shownBeforeYouSendIt}</p>
      <fieldset disabled={busy || !!sent || disabled}>
        <legend className="small">{S.texts.AllowanceGrant.howMuchItMayMove}</legend>
        <label className="inline">
          <input type="radio" name="grant-mode" data-testid="grant-exact" checked={mode === 'exact'} onChange={() => setMode('exact')} />{S.texts.AllowanceGrant.exactlyThisPayment}{option.allowance?.needed})
        </label>
        <br />
        <label className="inline">
          <input type="radio" name="grant-mode" data-testid="grant-cap" checked={mode === 'cap'} onChange={() => setMode('cap')} /> Up to{' '}
          <input
            type="text"
            inputMode="decimal"
            aria-label={`Allowance in ${option.symbol}`}
            data-testid="grant-cap-amount"
            value={cap}
            onChange={(e) => {
              setCap(e.target.value);
              setMode('cap');
            }}
            style={{ width: '7rem' }}
          />{' '}
          {option.symbol}
        </label>
        <br />
        <label className="inline">
          <input type="radio" name="grant-mode" data-testid="grant-unlimited" checked={mode === 'unlimited'} onChange={() => setMode('unlimited')} /> Unlimited
        </label>
        {mode === 'unlimited' && (
          <p className="warning small" role="alert">
            <label className="inline">
              <input type="checkbox" data-testid="grant-unlimited-confirm" checked={confirmUnlimited} onChange={(e) => setConfirmUnlimited(e.target.checked)} /> I understand:
              {contract}{S.texts.AllowanceGrant.mayThenMoveAllOf}{option.symbol}{S.texts.AllowanceGrant.wheneverAPermitSignedBy}</label>
          </p>
        )}
      </fieldset>
      {quote && (
        <p className="small" data-testid="grant-cost">
          Approving {quote.amountToken} costs {quote.costText}.
        </p>
      )}
      {sent ? (
        <p className="success small" role="status" data-testid="grant-sent">{S.texts.AllowanceGrant.approvalSentTransaction}{sent.slice(0, 10)}…).
        </p>
      ) : (
        <button type="button" data-testid="grant-send" disabled={!canSend} onClick={() => void grant()}>
          {busy ? 'Sending…' : S.texts.AllowanceGrant.sendTheApprovalTransaction}
        </button>
      )}
      <ErrorText error={error} testId="grant-error" />
    </section>
  );
}
