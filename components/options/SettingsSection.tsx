/** Notifications on/off, where the wallet works (all sites, or only the sites the user allows), … */
import { useEffect, useState, type FormEvent } from 'react';
import type { ApiError, SettingsDto } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { parseSiteOrigin } from '../../lib/ui/format';
import { useSettingsStore } from '../../lib/ui/stores/settings';
import { ErrorText } from '../ErrorText';
import { PlaygroundTokens } from './PlaygroundTokens';
import { RpcEndpoints } from './RpcEndpoints';
import { AuditSection } from './AuditSection';
import { AppearanceSetting } from './AppearanceSetting';
import { S } from '../strings';
import { ManagedBadge, ManagedNotice } from './ManagedNotice';
import { useManagedStore } from '../../lib/ui/stores/managed';
import { Button, Check, Field } from '../Card';

export function SettingsSection() {
  const settings = useSettingsStore((s) => s.settings);
  const loadError = useSettingsStore((s) => s.error);
  const load = useSettingsStore((s) => s.load);
  const update = useSettingsStore((s) => s.update);
  const [newSite, setNewSite] = useState('');
  const [globalCap, setGlobalCap] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);
  const managed = useManagedStore((s) => s.managed);
  const capManaged = managed?.active === true && managed.globalDailyUsd !== undefined;
  const notificationsManaged = managed?.active === true && managed.notifications !== undefined;

  useEffect(() => {
    void load();
  }, [load]);

  const apply = async (patch: Partial<SettingsDto>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await update(patch);
      return true;
    } catch (e) {
      setError(toApiError(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (!settings) {
    return (
      <div data-testid="settings-section">
        <h2>{S.settings.title}</h2>
        {loadError ? <ErrorText error={loadError} /> : <p className="muted">{S.loading}</p>}
      </div>
    );
  }

  const addSite = async (e: FormEvent) => {
    e.preventDefault();
    const check = parseSiteOrigin(newSite);
    if (!check.ok) return setError(check.error);
    if (settings.allowedSites.includes(check.origin)) return setError(S.settings.alreadyAllowed(check.origin));
    if (await apply({ allowedSites: [...settings.allowedSites, check.origin] })) setNewSite('');
  };

  return (
    <div data-testid="settings-section">
      <h2>{S.settings.title}</h2>
      <nav aria-label={S.settings.onThisPage} className="toc small">
        {S.settings.sections.map(([id, label]) => (
          <a key={id} href={`#settings-${id}`} onClick={(e) => { e.preventDefault(); document.getElementById(`settings-${id}`)?.scrollIntoView(); }}>
            {label}
          </a>
        ))}
      </nav>
      <ManagedNotice />
      <h3 id="settings-appearance">{S.settings.appearance}</h3>
      <AppearanceSetting theme={settings.theme} busy={busy} apply={apply} />
      <h3 id="settings-notifications">{S.settings.notifications}</h3>
      <Check
        testId="settings-notifications"
        checked={settings.notifications}
        disabled={busy || notificationsManaged}
        onChange={(e) => void apply({ notifications: e.target.checked })}
        label={S.settings.notificationsLabel}
      />
      {notificationsManaged && <ManagedBadge />}
      <p className="small muted">{S.settings.notificationsNote}</p>

      <h3 id="settings-cap">{S.settings.capTitle}</h3>
      <form
        className="row"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void apply({ globalDailyUsd: (globalCap ?? settings.globalDailyUsd ?? '').trim() });
        }}
      >
        <Field id="global-daily-cap" label={S.settings.capLabel} inline>
          <input
            id="global-daily-cap"
            data-testid="global-daily-cap"
            inputMode="decimal"
            placeholder={S.settings.noCap}
            value={globalCap ?? settings.globalDailyUsd ?? ''}
            onChange={(e) => setGlobalCap(e.target.value)}
            readOnly={capManaged}
            aria-readonly={capManaged}
            size={8}
          />
        </Field>
        <Button type="submit" testId="global-daily-cap-save" disabled={busy || capManaged}>
          {S.settings.saveCap}
        </Button>
        {capManaged && <ManagedBadge />}
      </form>
      <p className="small muted">
        {S.settings.capTimeZone[0]}
        {Intl.DateTimeFormat().resolvedOptions().timeZone}
        {S.settings.capTimeZone[1]}
      </p>

      <h3 id="settings-sites">{S.settings.sitesTitle}</h3>
      <fieldset className="stack" data-testid="activation">
        <legend className="visually-hidden">{S.settings.sitesLegend}</legend>
        <Check
          type="radio"
          labelClassName="row"
          name="activation"
          value="all"
          testId="activation-all"
          checked={settings.activation === 'all'}
          disabled={busy}
          onChange={() => void apply({ activation: 'all' })}
          label={S.settings.allSites}
        />
        <Check
          type="radio"
          labelClassName="row"
          name="activation"
          value="allowed"
          testId="activation-allowed"
          checked={settings.activation === 'allowed'}
          disabled={busy}
          onChange={() => void apply({ activation: 'allowed' })}
          label={S.settings.allowedOnly}
        />
      </fieldset>
      <p className="small muted">
        {settings.activation === 'all'
          ? S.settings.allNote
          : settings.allowedSites.length === 0
            ? S.settings.noneAllowedNote
            : S.settings.allowedNote}
      </p>
      {settings.activation === 'allowed' && (
        <>
          <ul data-testid="allowed-sites">
            {settings.allowedSites.map((s) => (
              <li key={s} className="row">
                <span className="mono">{s}</span>
                <Button
                  aria-label={S.settings.removeLabel(s)}
                  disabled={busy}
                  onClick={() => void apply({ allowedSites: settings.allowedSites.filter((x) => x !== s) })}
                >
                  {S.settings.remove}
                </Button>
              </li>
            ))}
          </ul>
          <form className="row" onSubmit={addSite} noValidate>
            <Field id="allowed-site-input" label={S.settings.siteToAllow} hideLabel>
              <input
                id="allowed-site-input"
                data-testid="allowed-site-input"
                type="text"
                placeholder="https://example.com"
                value={newSite}
                onChange={(e) => setNewSite(e.target.value)}
              />
            </Field>
            <Button type="submit" testId="allowed-site-add" disabled={busy}>
              {S.settings.add}
            </Button>
          </form>
        </>
      )}
      <ErrorText error={error} />
      <div id="settings-developer" />
      <PlaygroundTokens tokens={settings.playgroundTokens ?? []} busy={busy} apply={apply} />
      <AuditSection />
      <RpcEndpoints rpcUrls={settings.rpcUrls ?? {}} showTestnets={settings.showTestnets} busy={busy} apply={apply} />
    </div>
  );
}
