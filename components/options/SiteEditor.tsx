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
import { Button, Check, Field } from '../Card';

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
    <Field id={`${id}-${f}`} label={label} error={errors[f]}>
      {input}
      {locked(f) && <ManagedBadge />}
    </Field>
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
        <Field id={`${id}-mode`} label={S.addSite.mode}>
          <select id={`${id}-mode`} data-testid="site-mode" value={draft.mode} disabled={locked('mode')} onChange={(e) => set('mode', e.target.value as SiteMode)}>
            <option value="ask">{S.addSite.modes.ask}</option>
            <option value="auto">{S.addSite.modes.auto}</option>
            <option value="block">{S.addSite.modes.block}</option>
          </select>
          {locked('mode') && <ManagedBadge />}
        </Field>
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
        <Field id={`${id}-paused`} label={S.siteEditor.paused}>
          <Check
            id={`${id}-paused`}
            testId="site-paused"
            checked={draft.paused}
            onChange={(e) => set('paused', e.target.checked)}
            label={S.siteEditor.pausedBox}
          />
        </Field>
        <Field id={`${id}-pageApi`} label={S.siteEditor.pageApi}>
          <Check
            id={`${id}-pageApi`}
            testId="site-pageApi"
            checked={draft.pageApi}
            disabled={locked('pageApi')}
            onChange={(e) => set('pageApi', e.target.checked)}
            label={S.siteEditor.pageApiBox}
          />
          {locked('pageApi') && <ManagedBadge />}
        </Field>
        <Field id={`${id}-embeddedPay`} label={S.siteEditor.embedded}>
          <Check
            id={`${id}-embeddedPay`}
            testId="site-embeddedPay"
            checked={draft.embeddedPay}
            onChange={(e) => set('embeddedPay', e.target.checked)}
            label={S.siteEditor.embeddedBox}
          />
        </Field>
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
        <Button type="submit" variant="primary" testId="site-save" disabled={busy}>
          {S.siteEditor.save}
        </Button>
        {!confirmDelete ? (
          <Button variant="danger" testId="site-delete" disabled={busy || (entry.managed?.length ?? 0) > 0} onClick={() => setConfirmDelete(true)}>
            {S.siteEditor.delete}
          </Button>
        ) : (
          <span className="row" role="group" aria-label={S.siteEditor.confirmLabel}>
            <span className="small">{S.siteEditor.confirm}</span>
            <Button variant="danger" testId="site-delete-confirm" disabled={busy} onClick={() => void onDelete()}>
              {S.siteEditor.yesDelete}
            </Button>
            <Button onClick={() => setConfirmDelete(false)}>
              {S.siteEditor.cancel}
            </Button>
          </span>
        )}
      </div>
    </form>
  );
}
