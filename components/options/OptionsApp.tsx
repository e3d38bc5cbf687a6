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

const TABS = [
  { id: 'sites', label: 'Sites' },
  { id: 'history', label: 'History' },
  { id: 'activity', label: 'Activity' },
  { id: 'settings', label: 'Settings' },
  { id: 'networks', label: 'Networks & tokens' },
  { id: 'wallet', label: 'Wallet' },
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
      <h1>x402 Wallet — Sites &amp; history</h1>
      <ErrorText error={error} />
      {status && !status.initialized && (
        <p className="warning">No wallet is set up yet. Open the wallet from the toolbar to create or import one.</p>
      )}
      {status?.initialized && !status.unlocked && (
        <section className="card" aria-label="Unlock" data-testid="options-locked">
          <p>The wallet is locked. Unlock it to see and change everything here.</p>
          <UnlockForm />
        </section>
      )}
      <div className="tabs" role="tablist" aria-label="Sections">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            data-testid={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            onClick={() => select(t.id)}
          >
            {t.label}
          </button>
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
