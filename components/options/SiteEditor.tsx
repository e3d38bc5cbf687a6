/** One site's policy as an editable card with its usage bars, Save and Delete. */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { ApiError, SiteDto, SiteMode } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { formatDateTime } from '../../lib/ui/format';
import { CAP_FIELDS, CAP_LABELS, draftFromPolicy, policyFromDraft, type DraftField, type SiteDraft } from '../../lib/ui/sitePolicy';
import { useSitesStore } from '../../lib/ui/stores/sites';
import { BudgetBar } from '../BudgetBar';
import { ErrorText } from '../ErrorText';
import { ManagedBadge } from './ManagedNotice';
import { S } from '../strings';

function slug(site: string): string {
  return site.replace(/[^a-z0-9]+/gi, '-');
}

export function SiteEditor({ entry }: { entry: SiteDto }) {
  const save = useSitesStore((s) => s.save);
  const remove = useSitesStore((s) => s.remove);
  const [draft, setDraft] = useState<SiteDraft>(() => draftFromPolicy(entry.policy));
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<DraftField, string>>>({});
  const [apiError, setApiError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const id = slug(entry.policy.site);
  /** fields the operator set: read-only here (the background refuses loosening them too) */
  const locked = (f: string) => entry.managed?.includes(f) === true;

  // follow background changes (e.g. popup pause) while the user has not edited this card
  useEffect(() => {
    if (!dirty) setDraft(draftFromPolicy(entry.policy));
  }, [entry.policy, dirty]);

  const set = <K extends keyof SiteDraft>(k: K, v: SiteDraft[K]) => {
    setDraft((d) => ({ ...d, [k]: v }));
    setDirty(true);
    setSaved(false);
  };

  const onSave = async (e: FormEvent) => {
    e.preventDefault();
    const r = policyFromDraft(draft);
    if (!r.ok) {
      setErrors(r.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    setApiError(null);
    try {
      const s = await save(r.policy);
      setDraft(draftFromPolicy(s.policy));
      setDirty(false);
      setSaved(true);
    } catch (err) {
      setApiError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const [confirmDelete, setConfirmDelete] = useState(false);
  const onDelete = async () => {
    setBusy(true);
    setApiError(null);
    try {
      await remove(entry.policy.site);
    } catch (err) {
      setApiError(toApiError(err));
      setBusy(false);
    }
  };

  const field = (f: DraftField, label: string, input: ReactNode) => (
    <div>
      <label htmlFor={`${id}-${f}`}>{label}</label>
      {input}
      {locked(f) && <ManagedBadge />}
      <ErrorText error={errors[f]} />
    </div>
  );

  return (
    <form className="card" onSubmit={onSave} aria-label={S.siteEditor.label(entry.policy.site)} data-testid="site-card" data-site={entry.policy.site} noValidate>
      <div className="row spread">
        <h3 className="mono" style={{ margin: 0 }}>
          {entry.policy.site}
        </h3>
        <span className="small muted">
          {S.siteEditor.lastPayment}
          {entry.lastPaymentAt ? formatDateTime(entry.lastPaymentAt) : S.siteEditor.never}
        </span>
      </div>
      <div className="grid-fields">
        <div>
          <label htmlFor={`${id}-mode`}>{S.addSite.mode}</label>
          <select id={`${id}-mode`} data-testid="site-mode" value={draft.mode} disabled={locked('mode')} onChange={(e) => set('mode', e.target.value as SiteMode)}>
            <option value="ask">{S.addSite.modes.ask}</option>
            <option value="auto">{S.addSite.modes.auto}</option>
            <option value="block">{S.addSite.modes.block}</option>
          </select>
          {locked('mode') && <ManagedBadge />}
        </div>
        {CAP_FIELDS.map((f) =>
          field(
            f,
            S.siteEditor.cap(CAP_LABELS[f]),
            <input
              id={`${id}-${f}`}
              data-testid={`site-${f}`}
              type="text"
              inputMode="decimal"
              placeholder={S.siteEditor.noLimit}
              value={draft[f]}
              readOnly={locked(f)}
              aria-readonly={locked(f)}
              aria-invalid={errors[f] ? true : undefined}
              onChange={(e) => set(f, e.target.value)}
            />,
          ),
        )}
        {field(
          'ratePerMinute',
          S.siteEditor.rate,
          <input
            id={`${id}-ratePerMinute`}
            data-testid="site-ratePerMinute"
            type="text"
            inputMode="numeric"
            placeholder={S.siteEditor.noLimit}
            value={draft.ratePerMinute}
            readOnly={locked('ratePerMinute')}
            aria-readonly={locked('ratePerMinute')}
            aria-invalid={errors.ratePerMinute ? true : undefined}
            onChange={(e) => set('ratePerMinute', e.target.value)}
          />,
        )}
        {field(
          'expiresOn',
          S.siteEditor.expires,
          <input
            id={`${id}-expiresOn`}
            data-testid="site-expiresOn"
            type="date"
            value={draft.expiresOn}
            aria-invalid={errors.expiresOn ? true : undefined}
            onChange={(e) => set('expiresOn', e.target.value)}
          />,
        )}
        <div>
          <label htmlFor={`${id}-paused`}>{S.siteEditor.paused}</label>
          <label className="inline">
            <input
              id={`${id}-paused`}
              data-testid="site-paused"
              type="checkbox"
              checked={draft.paused}
              onChange={(e) => set('paused', e.target.checked)}
            />
            {S.siteEditor.pausedBox}
          </label>
        </div>
        <div>
          <label htmlFor={`${id}-pageApi`}>{S.siteEditor.pageApi}</label>
          <label className="inline">
            <input
              id={`${id}-pageApi`}
              data-testid="site-pageApi"
              type="checkbox"
              checked={draft.pageApi}
              disabled={locked('pageApi')}
              onChange={(e) => set('pageApi', e.target.checked)}
            />
            {S.siteEditor.pageApiBox}
          </label>
          {locked('pageApi') && <ManagedBadge />}
        </div>
        <div>
          <label htmlFor={`${id}-embeddedPay`}>{S.siteEditor.embedded}</label>
          <label className="inline">
            <input
              id={`${id}-embeddedPay`}
              data-testid="site-embeddedPay"
              type="checkbox"
              checked={draft.embeddedPay}
              onChange={(e) => set('embeddedPay', e.target.checked)}
            />
            {S.siteEditor.embeddedBox}
          </label>
        </div>
      </div>
      {entry.usage.length > 0 && (
        <div style={{ marginTop: '0.5rem' }}>
          {entry.usage.map((u) => (
            <BudgetBar key={u.period} usage={u} />
          ))}
        </div>
      )}
      <ErrorText error={apiError} testId="site-error" />
      {saved && !dirty && (
        <p className="success small" role="status">
          {S.siteEditor.saved}
        </p>
      )}
      <div className="row" style={{ marginTop: '0.5rem' }}>
        <button type="submit" className="primary" data-testid="site-save" disabled={busy}>
          {S.siteEditor.save}
        </button>
        {!confirmDelete ? (
          <button type="button" className="danger" data-testid="site-delete" disabled={busy || (entry.managed?.length ?? 0) > 0} onClick={() => setConfirmDelete(true)}>
            {S.siteEditor.delete}
          </button>
        ) : (
          <span className="row" role="group" aria-label={S.siteEditor.confirmLabel}>
            <span className="small">{S.siteEditor.confirm}</span>
            <button type="button" className="danger" data-testid="site-delete-confirm" disabled={busy} onClick={() => void onDelete()}>
              {S.siteEditor.yesDelete}
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              {S.siteEditor.cancel}
            </button>
          </span>
        )}
      </div>
    </form>
  );
}
