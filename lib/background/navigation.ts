/**
 * Paid top-level navigations (GET). The page cannot retry a navigation itself, so the
 * browser does: after approval a one-shot declarativeNetRequest session rule sets the
 * payment header for exactly that URL in exactly that tab, the tab reloads, and the rule is
 * removed as soon as the response arrives (a second load must not re-send a spent
 * signature). Rule ids live in storage.session so a restarted worker still cleans up.
 * POST navigations are never replayed: the user is told instead.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { Observed402 } from './observer';

export interface NavigationPayResult {
  action: 'retry' | 'pass';
  headerName?: string;
  headerValue?: string;
  reason?: string;
}

interface ActiveRule {
  ruleId: number;
  tabId: number;
  url: string;
  createdAt: number;
}

const rulesItem = storage.defineItem<ActiveRule[]>('session:navRules', { fallback: [] });
const RULE_TTL_MS = 60_000;
const FIRST_RULE_ID = 4020;

export interface NavigationDeps {
  /** decide, approve and sign; `pr` sources are resolved by the caller */
  pay(o: Observed402, paymentRequired: { header?: string; bodyText?: string }): Promise<NavigationPayResult>;
  /** tell the user something happened that the wallet will not do by itself */
  notify(text: string): Promise<void>;
}

/** Characters that mean something in a DNR urlFilter; such URLs are not paid by navigation. */
const FILTER_SPECIALS = /[*^|]/;

export class NavigationPayments {
  /** tabs with a paid reload in flight: tabId → url */
  private inFlight = new Map<number, string>();

  constructor(private deps: NavigationDeps) {}

  /** After a worker restart: remove every rule a previous instance left behind. */
  async restore(): Promise<void> {
    const rules = await rulesItem.getValue();
    const session = await browser.declarativeNetRequest.getSessionRules();
    const stale = session.filter((r) => r.id >= FIRST_RULE_ID).map((r) => r.id);
    if (stale.length || rules.length) {
      await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: stale });
      await rulesItem.setValue([]);
    }
  }

  isPaying(tabId: number): boolean {
    return this.inFlight.has(tabId);
  }

  /** A main_frame request answered 402. */
  async on402(o: Observed402): Promise<void> {
    if (o.carriedPayment) return; // our own paid reload was refused, or someone else's flow: never loop
    if (this.inFlight.has(o.tabId)) return;
    if (o.method !== 'GET') {
      await this.deps.notify(
        `${new URL(o.url).host} asked for a payment in answer to a form submission (${o.method}). The wallet does not resend forms; reload the page or try again from the site.`,
      );
      return;
    }
    if (FILTER_SPECIALS.test(o.url)) {
      await this.deps.notify(`The wallet cannot pay this page's address automatically: ${o.url}`);
      return;
    }
    this.inFlight.set(o.tabId, o.url);
    try {
      const sources = o.paymentRequired ? { header: o.paymentRequired } : await this.askForJson(o.url);
      const res = await this.deps.pay(o, sources);
      if (res.action !== 'retry' || !res.headerName || !res.headerValue) {
        this.inFlight.delete(o.tabId);
        return;
      }
      await this.reloadWithHeader(o.tabId, o.url, res.headerName, res.headerValue);
    } catch (e) {
      this.inFlight.delete(o.tabId);
      throw e;
    }
  }

  /**
   * Older servers and legacy v1 servers answer a browser's navigation with an HTML paywall
   * only; ask again the way an API client would. No cookies: the wallet must not lend its
   * privileges (design rule 3), and the requirements do not depend on them.
   */
  private async askForJson(url: string): Promise<{ header?: string; bodyText?: string }> {
    try {
      const res = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'omit', redirect: 'error' });
      const header = res.headers.get('payment-required') ?? undefined;
      const text = await res.text();
      return { header, bodyText: text.length <= 64 * 1024 ? text : undefined };
    } catch {
      return {};
    }
  }

  private async reloadWithHeader(tabId: number, url: string, name: string, value: string): Promise<void> {
    const rules = await rulesItem.getValue();
    const ruleId = Math.max(FIRST_RULE_ID - 1, ...rules.map((r) => r.ruleId)) + 1;
    await browser.declarativeNetRequest.updateSessionRules({
      addRules: [
        {
          id: ruleId,
          priority: 1,
          action: {
            type: 'modifyHeaders',
            requestHeaders: [{ header: name, operation: 'set', value }],
          },
          condition: { urlFilter: `|${url}|`, resourceTypes: ['main_frame'], tabIds: [tabId] },
        },
      ] as never,
    });
    await rulesItem.setValue([...rules, { ruleId, tabId, url, createdAt: Date.now() }]);
    await browser.tabs.update(tabId, { url });
    setTimeout(() => void this.retire(tabId), RULE_TTL_MS);
  }

  /** The paid reload got its response (or gave up): remove the rule at once. */
  async onMainFrameResponse(d: { tabId: number; url: string }): Promise<void> {
    const rules = await rulesItem.getValue();
    if (!rules.some((r) => r.tabId === d.tabId && r.url === d.url)) return;
    await this.retire(d.tabId, d.url);
  }

  async retire(tabId: number, url?: string): Promise<void> {
    const rules = await rulesItem.getValue();
    const mine = rules.filter((r) => r.tabId === tabId && (url === undefined || r.url === url));
    if (mine.length) {
      await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: mine.map((r) => r.ruleId) });
      await rulesItem.setValue(rules.filter((r) => !mine.includes(r)));
    }
    this.inFlight.delete(tabId);
  }
}
