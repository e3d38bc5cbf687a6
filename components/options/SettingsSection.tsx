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
        <h2>Settings</h2>
        {loadError ? <ErrorText error={loadError} /> : <p className="muted">Loading…</p>}
      </div>
    );
  }

  const addSite = async (e: FormEvent) => {
    e.preventDefault();
    const check = parseSiteOrigin(newSite);
    if (!check.ok) return setError(check.error);
    if (settings.allowedSites.includes(check.origin)) return setError(`${check.origin} is already allowed.`);
    if (await apply({ allowedSites: [...settings.allowedSites, check.origin] })) setNewSite('');
  };

  return (
    <div data-testid="settings-section">
      <h2>Settings</h2>
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
      <label className="inline">
        <input
          type="checkbox"
          data-testid="settings-notifications"
          checked={settings.notifications}
          disabled={busy || notificationsManaged}
          onChange={(e) => void apply({ notifications: e.target.checked })}
        />
        Show system notifications for automatic payments and budget alerts
      </label>
      {notificationsManaged && <ManagedBadge />}
      <p className="small muted">When notifications are off or blocked, the same messages appear under Activity.</p>

      <h3 id="settings-cap">Daily cap across all sites</h3>
      <form
        className="row"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void apply({ globalDailyUsd: (globalCap ?? settings.globalDailyUsd ?? '').trim() });
        }}
      >
        <label htmlFor="global-daily-cap">Automatic payments stop (and ask) after, per day, in $</label>
        <input
          id="global-daily-cap"
          data-testid="global-daily-cap"
          inputMode="decimal"
          placeholder="no cap"
          value={globalCap ?? settings.globalDailyUsd ?? ''}
          onChange={(e) => setGlobalCap(e.target.value)}
          readOnly={capManaged}
          aria-readonly={capManaged}
          size={8}
        />
        <button type="submit" data-testid="global-daily-cap-save" disabled={busy || capManaged}>
          Save cap
        </button>
        {capManaged && <ManagedBadge />}
      </form>
      <p className="small muted">Days follow your time zone ({Intl.DateTimeFormat().resolvedOptions().timeZone}). Leave empty for no cap.</p>

      <h3 id="settings-sites">Sites the wallet works on</h3>
      <fieldset className="stack" data-testid="activation">
        <legend className="visually-hidden">Where the wallet works</legend>
        <label className="row">
          <input
            type="radio"
            name="activation"
            value="all"
            data-testid="activation-all"
            checked={settings.activation === 'all'}
            disabled={busy}
            onChange={() => void apply({ activation: 'all' })}
          />
          On all sites
        </label>
        <label className="row">
          <input
            type="radio"
            name="activation"
            value="allowed"
            data-testid="activation-allowed"
            checked={settings.activation === 'allowed'}
            disabled={busy}
            onChange={() => void apply({ activation: 'allowed' })}
          />
          Only on sites I allow
        </label>
      </fieldset>
      <p className="small muted">
        {settings.activation === 'all'
          ? 'Every site can ask for a payment; the wallet looks at each page’s answers to find them.'
          : settings.allowedSites.length === 0
            ? 'No site yet: the wallet stays out of every page. Allow a site here, or from the popup on that site.'
            : 'Other sites get nothing from the wallet: no script in their pages, no look at their traffic.'}
      </p>
      {settings.activation === 'allowed' && (
        <>
          <ul data-testid="allowed-sites">
            {settings.allowedSites.map((s) => (
              <li key={s} className="row">
                <span className="mono">{s}</span>
                <button
                  type="button"
                  aria-label={`Remove ${s}`}
                  disabled={busy}
                  onClick={() => void apply({ allowedSites: settings.allowedSites.filter((x) => x !== s) })}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <form className="row" onSubmit={addSite} noValidate>
            <label className="visually-hidden" htmlFor="allowed-site-input">
              Site to allow
            </label>
            <input
              id="allowed-site-input"
              data-testid="allowed-site-input"
              type="text"
              placeholder="https://example.com"
              value={newSite}
              onChange={(e) => setNewSite(e.target.value)}
            />
            <button type="submit" data-testid="allowed-site-add" disabled={busy}>
              Add
            </button>
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
