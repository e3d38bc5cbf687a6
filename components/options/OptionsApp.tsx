/** "Sites & history" page: site budgets, payment history, activity, settings and wallet tools. */
import { useEffect, useState } from 'react';
import { useWalletStore } from '../../lib/ui/stores/wallet';
import { ErrorText } from '../ErrorText';
import { useRefresh } from '../hooks';
import { UnlockForm } from '../UnlockForm';
import { ActivitySection } from './ActivitySection';
import { HistorySection } from './HistorySection';
import { NetworksSection } from './NetworksSection';
import { SettingsSection } from './SettingsSection';
import { SitesSection } from './SitesSection';
import { SignInSites } from './SignInSites';
import { WalletSection } from './WalletSection';
import { S } from '../strings';
import { Button } from '../Card';

const TABS = [
  { id: 'sites', label: S.options.tabs.sites },
  { id: 'history', label: S.options.tabs.history },
  { id: 'activity', label: S.options.tabs.activity },
  { id: 'settings', label: S.options.tabs.settings },
  { id: 'networks', label: S.options.tabs.networks },
  { id: 'wallet', label: S.options.tabs.wallet },
] as const;
type TabId = (typeof TABS)[number]['id'];

function tabFromHash(): TabId {
  const h = window.location.hash.replace(/^#/, '');
  return (TABS.find((t) => t.id === h)?.id ?? 'sites') as TabId;
}

export function OptionsApp() {
  const status = useWalletStore((s) => s.status);
  const error = useWalletStore((s) => s.error);
  const load = useWalletStore((s) => s.load);
  const [tab, setTab] = useState<TabId>(tabFromHash);
  useRefresh(load, 5000);

  useEffect(() => {
    const onHash = () => setTab(tabFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const select = (id: TabId) => {
    setTab(id);
    history.replaceState(null, '', `#${id}`);
  };

  return (
    <main className="page">
      <h1>{S.options.title}</h1>
      <ErrorText error={error} />
      {status && !status.initialized && (
        <p className="warning">{S.options.noWallet}</p>
      )}
      {status?.initialized && !status.unlocked && (
        <section className="card" aria-label={S.options.unlock} data-testid="options-locked">
          <p>{S.options.locked}</p>
          <UnlockForm />
        </section>
      )}
      <div className="tabs" role="tablist" aria-label={S.options.tabsLabel}>
        {TABS.map((t) => (
          <Button
            key={t.id}
            role="tab"
            id={`tab-${t.id}`}
            testId={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            onClick={() => select(t.id)}
          >
            {t.label}
          </Button>
        ))}
      </div>
      <section role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} key={`${tab}-${status?.unlocked}`}>
        {tab === 'sites' && (
          <>
            <SitesSection />
            <SignInSites />
          </>
        )}
        {tab === 'history' && <HistorySection />}
        {tab === 'activity' && <ActivitySection />}
        {tab === 'settings' && <SettingsSection />}
        {tab === 'networks' && <NetworksSection />}
        {tab === 'wallet' && <WalletSection />}
      </section>
    </main>
  );
}
