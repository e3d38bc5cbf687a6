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
    <form className="card" onSubmit={onSave} aria-label={`Budget for ${entry.policy.site}`} data-testid="site-card" data-site={entry.policy.site} noValidate>
      <div className="row spread">
        <h3 className="mono" style={{ margin: 0 }}>
          {entry.policy.site}
        </h3>
        <span className="small muted">
          Last payment: {entry.lastPaymentAt ? formatDateTime(entry.lastPaymentAt) : 'never'}
        </span>
      </div>
      <div className="grid-fields">
        <div>
          <label htmlFor={`${id}-mode`}>Mode</label>
          <select id={`${id}-mode`} data-testid="site-mode" value={draft.mode} disabled={locked('mode')} onChange={(e) => set('mode', e.target.value as SiteMode)}>
            <option value="ask">Ask every time</option>
            <option value="auto">Pay automatically within budget</option>
            <option value="block">Block</option>
          </select>
          {locked('mode') && <ManagedBadge />}
        </div>
        {CAP_FIELDS.map((f) =>
          field(
            f,
            `${CAP_LABELS[f]} (USD)`,
            <input
              id={`${id}-${f}`}
              data-testid={`site-${f}`}
              type="text"
              inputMode="decimal"
              placeholder="no limit"
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
          'Payments per minute',
          <input
            id={`${id}-ratePerMinute`}
            data-testid="site-ratePerMinute"
            type="text"
            inputMode="numeric"
            placeholder="no limit"
            value={draft.ratePerMinute}
            readOnly={locked('ratePerMinute')}
            aria-readonly={locked('ratePerMinute')}
            aria-invalid={errors.ratePerMinute ? true : undefined}
            onChange={(e) => set('ratePerMinute', e.target.value)}
          />,
        )}
        {field(
          'expiresOn',
          'Budget ends after',
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
          <label htmlFor={`${id}-paused`}>Paused</label>
          <label className="inline">
            <input
              id={`${id}-paused`}
              data-testid="site-paused"
              type="checkbox"
              checked={draft.paused}
              onChange={(e) => set('paused', e.target.checked)}
            />
            Ask instead of paying automatically
          </label>
        </div>
        <div>
          <label htmlFor={`${id}-pageApi`}>Page API</label>
          <label className="inline">
            <input
              id={`${id}-pageApi`}
              data-testid="site-pageApi"
              type="checkbox"
              checked={draft.pageApi}
              disabled={locked('pageApi')}
              onChange={(e) => set('pageApi', e.target.checked)}
            />
            Let this site's pages ask for payments through window.x402 (same budget and approvals)
          </label>
          {locked('pageApi') && <ManagedBadge />}
        </div>
        <div>
          <label htmlFor={`${id}-embeddedPay`}>Embedded content</label>
          <label className="inline">
            <input
              id={`${id}-embeddedPay`}
              data-testid="site-embeddedPay"
              type="checkbox"
              checked={draft.embeddedPay}
              onChange={(e) => set('embeddedPay', e.target.checked)}
            />
            Embedded content may pay from this budget (frames from other sites inside this one, such as ads; off: they ask)
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
          Saved.
        </p>
      )}
      <div className="row" style={{ marginTop: '0.5rem' }}>
        <button type="submit" className="primary" data-testid="site-save" disabled={busy}>
          Save
        </button>
        {!confirmDelete ? (
          <button type="button" className="danger" data-testid="site-delete" disabled={busy || (entry.managed?.length ?? 0) > 0} onClick={() => setConfirmDelete(true)}>
            Delete
          </button>
        ) : (
          <span className="row" role="group" aria-label="Confirm delete">
            <span className="small">Delete this site's budget? The wallet will ask before paying it again.</span>
            <button type="button" className="danger" data-testid="site-delete-confirm" disabled={busy} onClick={() => void onDelete()}>
              Yes, delete
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
          </span>
        )}
      </div>
    </form>
  );
}
