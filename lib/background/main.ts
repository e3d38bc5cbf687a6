/**
 * Background entry: builds the services and wires the router and listeners. Every listener
 * is registered synchronously at start (MV3: a restarted worker must see the event that
 * woke it); state lives in storage, so any worker instance can pick up where another died.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { AUTOLOCK_ALARM, createCustodyService } from '../custody/service';
import { Ledger } from '../ledger/ledger';
import { PolicyStore } from '../policy/store';
import { resolveTimeZone } from '../policy/periods';
import { siteKey } from '../policy/units';
import { createMutex } from '../util/mutex';
import { ApprovalQueue, unaskedText } from './approvals';
import { Balances } from './balances';
import { ChainTruth } from './chain';
import { createHandlers } from './handlers';
import { NavigationPayments } from './navigation';
import { NetworkObserver } from './observer';
import { Activation } from './activation';
import { PaymentService } from './payments';
import { installRouter, type ContentHandlers } from './router';
import { Settings } from './settings';
import { captureConsole, installTestHooks } from './test-hooks';
import { createContentHandlers } from './content';
import { ManagedPolicySource } from './managed';
import { AuditStore } from '../audit/store';
import { PageApiService } from './page-api';

const SWEEP_ALARM = 'x402-ledger-sweep';
const BADGE_AMBER = '#b45309';
const BADGE_RED = '#b91c1c';
/** tabs whose site crossed 80 % / 100 % of a budget: tabId → {site, threshold} */
const badgeAlertsItem = storage.defineItem<Record<string, { site: string; threshold: 80 | 100 }>>('session:badgeAlerts', {
  fallback: {},
});

function siteOf(url: string | undefined): string | null {
  try {
    return url && /^https?:/i.test(url) ? siteKey(new URL(url).origin) : null;
  } catch {
    return null;
  }
}

/**
 * The toolbar badge: the global text is the number of pending approvals (amber). A tab whose
 * site crossed a budget alert threshold gets its own colour — amber at 80 %, red at 100 % —
 * and shows the count, or "!" when nothing is pending.
 */
async function paintBadge(count: number): Promise<void> {
  const text = count > 0 ? String(count) : '';
  await browser.action.setBadgeText({ text });
  await browser.action.setBadgeBackgroundColor({ color: BADGE_AMBER });
  const alerts = await badgeAlertsItem.getValue();
  for (const [tab, a] of Object.entries(alerts)) {
    const tabId = Number(tab);
    await browser.action.setBadgeBackgroundColor({ tabId, color: a.threshold === 100 ? BADGE_RED : BADGE_AMBER }).catch(() => undefined);
    await browser.action.setBadgeText({ tabId, text: text || '!' }).catch(() => undefined);
  }
}

export function startBackground(): void {
  if (import.meta.env.MODE === 'test') captureConsole();
  /** reservations older than this belong to a dead worker instance (see releaseUnsigned) */
  const startedAt = Date.now();
  // Test builds may move the custody clock forward (auto-lock tests); release builds cannot.
  let skewMs = 0;
  const custody = createCustodyService(import.meta.env.MODE === 'test' ? { now: () => Date.now() + skewMs } : {});
  const ledger = new Ledger();
  const policies = new PolicyStore();
  const settings = new Settings();
  const approvals = new ApprovalQueue();
  const observer = new NetworkObserver();
  const balances = new Balances({ settings });
  const chain = new ChainTruth({ settings });
  const timeZone = () => resolveTimeZone();
  const managed = new ManagedPolicySource();
  const audit = new AuditStore();
  // The operator's auto-lock and notification settings are applied to the wallet's own stores
  // (and the privileged API refuses changing them) — on start and whenever the policy changes.
  const applyManaged = async () => {
    const m = await managed.get();
    if (!m) return;
    if (m.autoLockMinutes !== undefined) await custody.setAutoLock(m.autoLockMinutes === 0 ? 'never' : m.autoLockMinutes);
    if (m.notifications !== undefined && (await settings.get()).notifications !== m.notifications)
      await settings.update({ notifications: m.notifications });
  };
  managed.onChange = () => {
    void applyManaged().catch((e) => console.warn('[x402] managed policy', (e as Error).message));
    syncPageApi();
  };
  managed.install();

  const payments = new PaymentService({
    custody,
    ledger,
    policies,
    approvals,
    settings,
    balances,
    chain,
    timeZone,
    managed,
    audit,
    watch: (value, onResult, until) => observer.watchPayment(value, (s) => onResult(s), until),
    onBudgetAlert: (site, threshold) => void budgetBadge(site, threshold).catch(() => undefined),
  });
  const budgetBadge = async (site: string, threshold: 80 | 100) => {
    const key = siteKey(site);
    const tabs = await browser.tabs.query({});
    const alerts = { ...(await badgeAlertsItem.getValue()) }; // a copy: never the shared fallback
    for (const t of tabs) {
      if (t.id === undefined || siteOf(t.url) !== key) continue;
      const prev = alerts[String(t.id)];
      if (!prev || prev.site !== key || prev.threshold < threshold) alerts[String(t.id)] = { site: key, threshold };
    }
    await badgeAlertsItem.setValue(alerts);
    await repaintBadge();
  };
  const dropBadgeAlert = async (tabId: number, stillSite?: string | null) => {
    const alerts = { ...(await badgeAlertsItem.getValue()) };
    const a = alerts[String(tabId)];
    if (!a || (stillSite !== undefined && stillSite === a.site)) return;
    delete alerts[String(tabId)];
    await badgeAlertsItem.setValue(alerts);
    if (stillSite !== undefined) {
      // back to the global badge for this tab
      await browser.action.setBadgeText({ tabId, text: null as unknown as string }).catch(() => undefined);
      await browser.action.setBadgeBackgroundColor({ tabId, color: BADGE_AMBER }).catch(() => undefined);
    }
  };
  browser.tabs.onRemoved.addListener((tabId) => void dropBadgeAlert(tabId).catch(() => undefined));
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.url) void dropBadgeAlert(tabId, siteOf(change.url)).catch(() => undefined);
  });
  const navigation = new NavigationPayments({
    pay: (o, sources) =>
      payments.pay({ kind: 'navigation', site: new URL(o.url).origin, url: o.url, method: o.method, sources }),
    notify: (text) => settings.notify(text, 'warning'),
  });

  observer.onNavigation402 = (o) => void navigation.on402(o).catch(() => undefined);
  observer.onMainFrameResponse = (r) => void navigation.onMainFrameResponse(r);
  // every http(s) URL until the activation setting is read (a worker woken by a 402 must see it)
  observer.install();
  const activation = new Activation({ settings, observer });
  activation.install();
  approvals.install();
  // Serialized, and always from the current count: concurrent changes never leave a stale badge.
  const badgeMutex = createMutex();
  const repaintBadge = () => badgeMutex(async () => paintBadge(await approvals.count())).catch(() => undefined);
  approvals.onCountChange = () => void repaintBadge();
  // a flood of approvals: one activity line (the same text within 3 s is not repeated)
  approvals.onFlood = (site) => void settings.notify(unaskedText('flood', site), 'warning', false).catch(() => undefined);

  const pageApi = new PageApiService({ policies, settings, managed, payments });
  const syncPageApi = () => void pageApi.sync().catch((e) => console.warn('[x402] page API registration', (e as Error).message));
  // a site's permission changed (its policy or the operator's): register the API script anew
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && 'policies' in changes) syncPageApi();
  });
  const injectHandler = async (s: { tabId: number; frameId: number }) => {
    await browser.scripting.executeScript({
      target: { tabId: s.tabId, frameIds: [s.frameId] },
      world: 'MAIN',
      injectImmediately: true,
      files: ['/page-handler.js'],
    } as unknown as Parameters<typeof browser.scripting.executeScript>[0]);
  };
  const content: ContentHandlers = createContentHandlers({ observer, payments, navigation, pageApi, injectHandler });
  installRouter(
    createHandlers({ custody, ledger, policies, approvals, settings, balances, timeZone, managed, audit, onUnlocked: () => void reconcileThenSweep() }),
    content,
  );
  if (import.meta.env.MODE === 'test')
    installTestHooks({
      skewClock: (ms) => (skewMs += ms),
      fireAlarm: (name) => (name === AUTOLOCK_ALARM ? custody.onAlarm(name) : reconcileThenSweep()),
    });

  // The chain decides first (settled payments the wallet did not see are recorded, expired ones it
  // shows unused are released), then the rest that expired are released. On start, on unlock and
  // every minute. Serialized so a slow RPC never lets two passes overlap.
  const sweepMutex = createMutex();
  let queued: Promise<unknown> | undefined;
  // a pass already waiting covers this request too: passes never pile up behind a slow RPC
  const reconcileThenSweep = () =>
    (queued ??= sweepMutex(async () => {
      queued = undefined;
      await payments.reconcile().catch((e) => console.warn('[x402] reconcile failed', (e as Error).message));
      return ledger.sweep();
    }));
  browser.alarms.onAlarm.addListener((a) => {
    if (a.name === AUTOLOCK_ALARM) void custody.onAlarm(a.name);
    if (a.name === SWEEP_ALARM) void reconcileThenSweep();
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
    await applyManaged().catch((e) => console.warn('[x402] managed policy', (e as Error).message));
    syncPageApi();
    // not awaited: RPC look-ups must not hold up the start of the worker
    void reconcileThenSweep();
    await ledger.releaseUnsigned(startedAt);
    // signed by the dead instance, outcome unseen: re-sent as is if the site asks again (never signed twice)
    await ledger.markOrphanedSigned(startedAt);
    await approvals.restore();
    await navigation.restore();
    await browser.alarms.create(SWEEP_ALARM, { periodInMinutes: 1 });
  })().catch((e) => console.error('[x402] start-up failed', (e as Error).message));
}
