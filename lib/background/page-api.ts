/**
 * The page API (`window.x402`): off by default, allowed per site (the site's policy
 * `pageApi`, or the operator's). Only allowed sites get the API script (registered as a MAIN-world
 * content script for exactly those origins, so the every-frame wrapper stays small); the
 * background checks the permission again on every call — the registration is a convenience,
 * never the gate.
 *
 * What an allowed page can do: learn the wallet's protocol abilities (versions, schemes, networks
 * — never balances or addresses) and ask for a payment header for requirements it supplies for a
 * resource of its own origin. The requirements are a hint: they go through the same strict
 * parsing, trusted-table validation, operator policy, budget reservation and (outside agent mode)
 * the same approval window as a 402 — which only the user can answer, from an extension page.
 */
import { browser } from 'wxt/browser';
import { mergeSite } from '../policy/managed';
import type { PolicyStore } from '../policy/store';
import { siteKey } from '../policy/units';
import type { PageCapabilities } from '../messaging/contract';
import { railOfNetwork } from '../rails';
import type { ManagedPolicySource } from './managed';
import type { PayAnswer, PaymentService } from './payments';
import type { ContentSender } from './router';
import type { Settings } from './settings';

export const PAGE_API_SCRIPT_ID = 'x402-page-api';
const MAX_REQUIREMENTS = 16 * 1024;

function httpOrigin(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/**
 * The match pattern of one origin. Chromium matches ports; Firefox accepts a pattern with a port
 * but then never matches it, so there the pattern is host-only: the API object then also appears
 * on other ports of an allowed host — harmless, since every call is checked against the exact
 * origin by `gate()`.
 */
export function originPattern(origin: string, withPort = import.meta.env?.BROWSER !== 'firefox'): string {
  const u = new URL(origin);
  return `${u.protocol}//${withPort ? u.host : u.hostname}/*`;
}

/** base64 of UTF-8 text (what a PAYMENT-REQUIRED header carries). */
function b64(text: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}

const refused = (code: string, message: string) => ({ action: 'pass' as const, reason: message, code });

export class PageApiService {
  constructor(
    private readonly d: {
      policies: PolicyStore;
      settings: Settings;
      managed: ManagedPolicySource;
      payments: Pick<PaymentService, 'pay'>;
    },
  ) {}

  /** Is the page API allowed on this top-level site (operator first, then the user's site setting)? */
  async allowed(site: string): Promise<boolean> {
    const key = siteKey(site);
    const m = (await this.d.managed.get())?.sites[key];
    return mergeSite(await this.d.policies.get(key), m)?.pageApi === true;
  }

  /** Every origin the API script is registered for. */
  async allowedSites(): Promise<string[]> {
    const managed = (await this.d.managed.get())?.sites ?? {};
    const names = new Set([...(await this.d.policies.list()).map((p) => p.site), ...Object.keys(managed)]);
    const out: string[] = [];
    for (const s of names) if (await this.allowed(s)) out.push(s);
    return out.sort();
  }

  /** (Re-)register the API script for exactly the allowed origins. */
  async sync(): Promise<void> {
    const sites = await this.allowedSites();
    const scripting = browser.scripting;
    if (!scripting?.registerContentScripts) return;
    const existing = await scripting.getRegisteredContentScripts({ ids: [PAGE_API_SCRIPT_ID] }).catch(() => []);
    if (existing.length) await scripting.unregisterContentScripts({ ids: [PAGE_API_SCRIPT_ID] });
    if (!sites.length) return;
    await scripting.registerContentScripts([
      {
        id: PAGE_API_SCRIPT_ID,
        js: ['page-api.js'],
        matches: sites.map((s) => originPattern(s)),
        runAt: 'document_start',
        world: 'MAIN',
        allFrames: false,
        persistAcrossSessions: false,
      } as Parameters<typeof scripting.registerContentScripts>[0][number],
    ]);
  }

  private async gate(s: ContentSender): Promise<{ site: string } | { refused: { code: string; message: string } }> {
    const site = httpOrigin(s.tabUrl);
    if (!site) return { refused: { code: 'not-a-web-page', message: 'not a web page' } };
    // the top-level frame only: an embedded frame never speaks for the site
    if (s.frameId !== 0) return { refused: { code: 'page-api-frame', message: 'The page API answers the top-level page only.' } };
    if (!(await this.allowed(site)))
      return { refused: { code: 'page-api-not-allowed', message: `The page API is not allowed on ${site} (Sites → allow the page API).` } };
    return { site };
  }

  async capabilities(s: ContentSender): Promise<PageCapabilities | { refused: { code: string; message: string } }> {
    const g = await this.gate(s);
    if ('refused' in g) return g;
    const registry = await this.d.settings.registry();
    const networks = [...new Set(registry.assets().filter((a) => !registry.testnetHidden(a)).map((a) => a.network))].sort();
    // the schemes the wallet signs on the networks it lists (EVM exact + upto, Solana exact, TRON's own)
    const schemes = [...new Set(networks.flatMap((n) => railOfNetwork(n)?.schemes ?? []))].sort();
    return { x402Versions: [1, 2], schemes, networks };
  }

  async pay(input: unknown, s: ContentSender): Promise<PayAnswer> {
    const g = await this.gate(s);
    if ('refused' in g) return refused(g.refused.code, g.refused.message);
    const i = input as { requirements?: unknown; resource?: unknown; method?: unknown } | null;
    if (!i || typeof i.resource !== 'string' || i.resource.length > 8192) return refused('malformed', 'pay() needs {resource} as a URL.');
    const resOrigin = httpOrigin(i.resource);
    // like a v1 body: the page speaks for its own origin only, never for another origin's resource
    if (!resOrigin || resOrigin !== httpOrigin(s.frameUrl))
      return refused('cross-origin-resource', 'The page API pays for resources of the page’s own origin only.');
    let text: string;
    try {
      text = JSON.stringify(i.requirements);
    } catch {
      return refused('malformed', 'The payment requirements are not JSON.');
    }
    if (!text || text.length > MAX_REQUIREMENTS) return refused('malformed', 'The payment requirements are missing or too large.');
    const version = (i.requirements as { x402Version?: unknown } | null)?.x402Version;
    const method = typeof i.method === 'string' && /^[A-Z]{3,7}$/.test(i.method) ? i.method : 'GET';
    return this.d.payments.pay({
      kind: 'page-api',
      site: g.site,
      url: new URL(i.resource).href,
      method,
      // the same strict parser as a 402: v2 as the PAYMENT-REQUIRED header, v1 as the JSON body
      sources: version === 2 ? { header: b64(text) } : { bodyText: text },
    });
  }
}
