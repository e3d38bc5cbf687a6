/**
 * Every field of one payment, in a modal dialog: identity, each state's time, where it was
 * asked from, what was signed (scheme, version, network, asset), amounts, parties, the
 * transaction and who confirmed it. Escape or the Close button closes it.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import type { PaymentDto } from '../../../lib/messaging/contract';
import { paymentStatusLabel, UNVERIFIED_TEXT } from '../../../lib/ui/format';
import { confirmedByText, formatDateTimeLong, receiptText, timeline, uptoText, x402VersionText } from '../../../lib/ui/history';
import { amountText } from '../../AmountView';
import { TxLink } from './TxLink';
import { S } from '../../strings';
import { Button } from '../../Card';

export interface PaymentDetailProps {
  payment: PaymentDto;
  onClose(): void;
  /** from an imported file: shown as the file says, never checked */
  imported?: boolean;
  timeZone?: string;
}

function Field({ label, children, testId, mono = false }: { label: string; children: ReactNode; testId: string; mono?: boolean }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined} data-testid={testId}>
        {children}
      </dd>
    </>
  );
}

export function PaymentDetail({ payment: p, onClose, imported = false, timeZone }: PaymentDetailProps) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      before?.focus?.();
    };
  }, [onClose]);
  const when = (ms: number) => (ms > 0 ? formatDateTimeLong(ms, timeZone) : '—');
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div
        className="dialog card"
        role="dialog"
        aria-modal="true"
        aria-labelledby="payment-detail-title"
        data-testid="history-detail"
        data-id={p.id}
        onClick={(e) => e.stopPropagation()}
      >
        <div className="row spread">
          <h3 id="payment-detail-title">
            {S.historyPage.detailTitle(amountText(p.amountToken, p.amountUsd), p.site)}
          </h3>
          <Button ref={closeRef} testId="history-detail-close" onClick={onClose}>
            {S.history.detail.close}
          </Button>
        </div>
        {imported && (
          <p className="warning small" data-testid="history-detail-imported">
            {S.history.detail.imported}
          </p>
        )}
        <dl className="detail">
          <Field label={S.history.detail.paymentId} testId="detail-id" mono>
            {p.id}
          </Field>
          <Field label={S.history.detail.status} testId="detail-status">
            <span className={`badge ${p.status}`}>{paymentStatusLabel(p.status)}</span> {S.historyPage.how(p.auto)}
            {p.unverified && <div className="small muted" data-testid="detail-unverified">{UNVERIFIED_TEXT}</div>}
          </Field>
          <Field label={S.history.detail.timeline} testId="detail-times">
            <ul className="plain">
              {timeline(p).map((t) => (
                <li key={t.status} data-testid={`detail-time-${t.status}`}>
                  {t.label}: {when(t.at)}
                </li>
              ))}
            </ul>
          </Field>
          <Field label={S.history.detail.site} testId="detail-site" mono>
            {p.site}
          </Field>
          <Field label={S.history.detail.requestingOrigin} testId="detail-origin" mono>
            {p.requestOrigin}
          </Field>
          <Field label={S.history.detail.resource} testId="detail-resource" mono>
            {p.resourceUrl}
          </Field>
          <Field label={S.history.detail.scheme} testId="detail-scheme">
            {p.scheme}
          </Field>
          <Field label={S.history.detail.x402Version} testId="detail-version">
            {x402VersionText(p.x402Version)}
          </Field>
          <Field label={S.history.detail.network} testId="detail-network">
            {p.networkName} <span className="mono small muted">({p.network})</span>
            {p.settledNetwork && p.settledNetwork !== p.network && (
              <div className="small" data-testid="detail-settled-network">
                settled on <span className="mono">{p.settledNetwork}</span>
              </div>
            )}
          </Field>
          <Field label={S.history.detail.asset} testId="detail-asset">
            {p.symbol} · <span className="mono">{p.assetAddress}</span> · {p.decimals} decimals
          </Field>
          <Field label={S.history.detail.amount} testId="detail-amount">
            {amountText(p.amountToken, p.amountUsd)} <span className="small muted">({p.amountAtomic} atomic units)</span>
            {p.maxAmount && (
              <div className="small" data-testid="detail-upto">
                {uptoText(p)}
              </div>
            )}
          </Field>
          <Field label={S.history.detail.payToPayee} testId="detail-payto" mono>
            {p.payTo}
          </Field>
          <Field label={S.history.detail.payer} testId="detail-payer" mono>
            {p.payer ?? '—'}
          </Field>
          <Field label={S.history.detail.paymentIdentifier} testId="detail-payment-id" mono>
            {p.paymentIdentifier ?? '—'}
          </Field>
          <Field label={S.history.detail.receiptFromTheServer} testId="detail-receipt">
            {receiptText(p.receipt)}
          </Field>
          <Field label={S.history.detail.authorizationValidUntil} testId="detail-expiry">
            {when(p.expiresAt)}
          </Field>
          <Field label={S.history.detail.transaction} testId="detail-tx" mono>
            <TxLink payment={p} full testId="detail-tx-link" />
          </Field>
          <Field label={S.history.detail.confirmedBy} testId="detail-confirmed-by">
            {imported ? S.historyPage.asTheFileSays(confirmedByText(p.confirmedBy)) : confirmedByText(p.confirmedBy)}
          </Field>
          <Field label={S.history.detail.failureReason} testId="detail-error">
            {p.errorReason ?? '—'}
          </Field>
        </dl>
      </div>
    </div>
  );
}
