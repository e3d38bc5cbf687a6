/**
 * Background entry: builds the services and wires the router and listeners. Every listener
 * is registered synchronously at start (MV3: a restarted worker must see the event that
 * woke it); state lives in storage, so any worker instance can pick up where another died.
 */
import { browser } from 'wxt/browser';
import { AUTOLOCK_ALARM, createCustodyService } from '../custody/service';
import { Ledger } from '../ledger/ledger';
import { PolicyStore } from '../policy/store';
import { resolveTimeZone } from '../policy/periods';
import { ApprovalQueue } from './approvals';
import { createHandlers } from './handlers';
import { NavigationPayments } from './navigation';
import { NetworkObserver } from './observer';
import { PaymentService } from './payments';
import { installRouter, type ContentHandlers } from './router';
import { Settings } from './settings';
import { installTestHooks } from './test-hooks';
import { createContentHandlers } from './content';

const SWEEP_ALARM = 'x402-ledger-sweep';

export function startBackground(): void {
  // Test builds may move the custody clock forward (auto-lock tests); release builds cannot.
  let skewMs = 0;
  const custody = createCustodyService(import.meta.env.MODE === 'test' ? { now: () => Date.now() + skewMs } : {});
  const ledger = new Ledger();
  const policies = new PolicyStore();
  const settings = new Settings();
  const approvals = new ApprovalQueue();
  const observer = new NetworkObserver();
  const timeZone = () => resolveTimeZone();

  const payments = new PaymentService({
    custody,
    ledger,
    policies,
    approvals,
    settings,
    timeZone,
    watch: (value, onResult) => observer.watchPayment(value, (s) => onResult(s)),
  });
  const navigation = new NavigationPayments({
    pay: (o, sources) =>
      payments.pay({ kind: 'navigation', site: new URL(o.url).origin, url: o.url, method: o.method, sources }),
    notify: (text) => settings.notify(text, 'warning'),
  });

  observer.onNavigation402 = (o) => void navigation.on402(o).catch(() => undefined);
  observer.onMainFrameResponse = (r) => void navigation.onMainFrameResponse(r);
  observer.install();
  approvals.install();
  approvals.onCountChange = (n) => {
    void browser.action.setBadgeText({ text: n > 0 ? String(n) : '' });
    void browser.action.setBadgeBackgroundColor({ color: '#b45309' });
  };

  const content: ContentHandlers = createContentHandlers({ observer, payments, navigation });
  installRouter(createHandlers({ custody, ledger, policies, approvals, settings, timeZone }), content);
  if (import.meta.env.MODE === 'test')
    installTestHooks({
      skewClock: (ms) => (skewMs += ms),
      fireAlarm: (name) => (name === AUTOLOCK_ALARM ? custody.onAlarm(name) : ledger.sweep()),
    });

  browser.alarms.onAlarm.addListener((a) => {
    if (a.name === AUTOLOCK_ALARM) void custody.onAlarm(a.name);
    if (a.name === SWEEP_ALARM) void ledger.sweep();
  });
  browser.runtime.onInstalled.addListener((d) => {
    if (d.reason !== 'install' || import.meta.env.MODE === 'test') return;
    void custody.status().then((s) => {
      if (!s.initialized) void browser.tabs.create({ url: browser.runtime.getURL('/onboarding.html') });
    });
  });

  void (async () => {
    await custody.restore();
    await policies.migrate();
    await ledger.sweep();
    await approvals.restore();
    await navigation.restore();
    await browser.alarms.create(SWEEP_ALARM, { periodInMinutes: 1 });
  })().catch((e) => console.error('[x402] start-up failed', (e as Error).message));
}
