/**
 * Where the wallet is active ("On all sites" / "Only on sites I allow", Settings → Sites the
 * wallet works on). The page wrapper (MAIN world) and the bridge (ISOLATED world) are content
 * scripts the background registers at run time (scripting.registerContentScripts) for exactly
 * those sites, and the request observer listens to exactly those URLs: a site the user has not
 * allowed gets no wrapper, no bridge and no observation — the browser never hands the extension
 * its pages or its requests. Payments re-check the site as well (Settings.siteAllowed).
 */
import { browser } from 'wxt/browser';
import { ALL_SITES, type NetworkObserver } from './observer';
import { originPattern } from './page-api';
import type { Settings } from './settings';
import { createMutex } from '../util/mutex';

export const WRAPPER_SCRIPT_ID = 'x402-wrapper';
export const BRIDGE_SCRIPT_ID = 'x402-bridge';

type Registered = Parameters<typeof browser.scripting.registerContentScripts>[0][number];

/** The match patterns for a settings state: every http(s) page, or each allowed site's. */
export function activationPatterns(s: { activation: 'all' | 'allowed'; allowedSites: readonly string[] }, withPort?: boolean): string[] {
  if (s.activation === 'all') return [...ALL_SITES];
  return [...new Set(s.allowedSites.map((o) => originPattern(o, withPort)))].sort();
}

export class Activation {
  private readonly mutex = createMutex();
  /** settles when the first registration (on this worker's start) is done */
  readonly ready: Promise<void>;

  constructor(private readonly d: { settings: Settings; observer: NetworkObserver }) {
    this.ready = this.sync().catch((e) => console.warn('[x402] activation', (e as Error).message));
  }

  /** Listens for settings changes and applies each. */
  install(): void {
    browser.storage.onChanged.addListener((changes, area) => {
      if (area === 'local' && 'settings' in changes) void this.sync().catch((e) => console.warn('[x402] activation', (e as Error).message));
    });
  }

  /** Applies the stored setting: observer filter first (cheap, synchronous), then the scripts. */
  sync(): Promise<void> {
    return this.mutex(async () => {
      const patterns = activationPatterns(await this.d.settings.get());
      this.d.observer.observe(patterns);
      const scripting = browser.scripting;
      const ids = [WRAPPER_SCRIPT_ID, BRIDGE_SCRIPT_ID];
      const existing = await scripting.getRegisteredContentScripts({ ids }).catch(() => []);
      const same =
        existing.length === ids.length &&
        existing.every((e) => [...(e.matches ?? [])].sort().join(' ') === patterns.join(' '));
      if (same) return;
      if (existing.length) await scripting.unregisterContentScripts({ ids: existing.map((e) => e.id) });
      if (!patterns.length) return;
      const common = { matches: patterns, runAt: 'document_start', allFrames: true, persistAcrossSessions: true } as const;
      await scripting.registerContentScripts([
        // MAIN world first: it must be in place before any page script runs
        { id: WRAPPER_SCRIPT_ID, js: ['content-scripts/page.js'], world: 'MAIN', ...common } as Registered,
        { id: BRIDGE_SCRIPT_ID, js: ['content-scripts/bridge.js'], ...common } as Registered,
      ]);
    });
  }
}
