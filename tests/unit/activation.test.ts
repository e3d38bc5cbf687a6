/**
 * Where the wallet is active (lib/background/activation.ts, Settings.activation): on all sites,
 * or only on the sites the user allows — scripts registered and requests observed for exactly
 * those, settings saved before the choice existed keep their meaning, payments re-check.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { Activation, activationPatterns, BRIDGE_SCRIPT_ID, WRAPPER_SCRIPT_ID } from '../../lib/background/activation';
import { ALL_SITES, NetworkObserver } from '../../lib/background/observer';
import { Settings } from '../../lib/background/settings';

interface Reg {
  id: string;
  js?: string[];
  matches?: string[];
  world?: string;
  allFrames?: boolean;
  runAt?: string;
}

/** scripting.*ContentScripts over a Map, counting the calls that change the registration */
function fakeScripting() {
  const regs = new Map<string, Reg>();
  let writes = 0;
  const api = {
    getRegisteredContentScripts: async (f?: { ids?: string[] }) => [...regs.values()].filter((r) => !f?.ids || f.ids.includes(r.id)),
    registerContentScripts: async (list: Reg[]) => {
      writes++;
      for (const r of list) {
        if (regs.has(r.id)) throw new Error(`duplicate script id ${r.id}`);
        regs.set(r.id, r);
      }
    },
    unregisterContentScripts: async (f: { ids: string[] }) => {
      writes++;
      for (const id of f.ids) regs.delete(id);
    },
  };
  (fakeBrowser as unknown as { scripting: typeof api }).scripting = api;
  return { regs, writes: () => writes };
}

/** an observer whose filter changes are recorded (webRequest itself is not faked) */
function recordingObserver() {
  const o = new NetworkObserver();
  const seen: string[][] = [];
  let urls: readonly string[] = ALL_SITES;
  o.observe = (u: readonly string[]) => {
    urls = [...u].sort();
    seen.push([...urls]);
  };
  Object.defineProperty(o, 'urls', { get: () => urls });
  return { o, seen };
}

describe('activation', () => {
  beforeEach(() => fakeBrowser.reset());

  it('patterns: every http(s) page, or one per allowed site (ports kept where the browser matches them)', () => {
    expect(activationPatterns({ activation: 'all', allowedSites: ['https://a.example'] })).toEqual(['http://*/*', 'https://*/*']);
    expect(activationPatterns({ activation: 'allowed', allowedSites: [] })).toEqual([]);
    expect(activationPatterns({ activation: 'allowed', allowedSites: ['https://b.example', 'http://127.0.0.1:8080'] }, true)).toEqual([
      'http://127.0.0.1:8080/*',
      'https://b.example/*',
    ]);
    expect(activationPatterns({ activation: 'allowed', allowedSites: ['http://127.0.0.1:8080'] }, false)).toEqual(['http://127.0.0.1/*']);
  });

  it('settings: all sites by default; a list saved before the choice existed still means "only these"; a bad value is refused', async () => {
    const settings = new Settings();
    expect((await settings.get()).activation).toBe('all');
    expect(await settings.siteAllowed('https://any.example')).toBe(true);
    await storage.setItem('local:settings', { notifications: true, allowedSites: ['https://old.example'], playgroundTokens: [], rpcUrls: {} });
    expect((await settings.get()).activation).toBe('allowed');
    expect(await settings.siteAllowed('https://old.example')).toBe(true);
    expect(await settings.siteAllowed('https://other.example')).toBe(false);
    await expect(settings.update({ activation: 'some' as never })).rejects.toThrow(/all sites or only on the sites you allow/);
    expect((await settings.get()).activation).toBe('allowed');
    await settings.update({ activation: 'allowed', allowedSites: [] });
    // "only on sites I allow" with none allowed: nowhere
    expect(await settings.siteAllowed('https://old.example')).toBe(false);
    await settings.update({ activation: 'all' });
    expect(await settings.siteAllowed('https://other.example')).toBe(true);
  });

  it('registers the wrapper (MAIN world) and the bridge for exactly the active sites, and narrows the observer to them', async () => {
    const sc = fakeScripting();
    const settings = new Settings();
    const { o, seen } = recordingObserver();
    const a = new Activation({ settings, observer: o });
    await a.ready;
    const wrapper = () => sc.regs.get(WRAPPER_SCRIPT_ID);
    expect(wrapper()).toMatchObject({ js: ['content-scripts/page.js'], world: 'MAIN', allFrames: true, runAt: 'document_start', matches: ['http://*/*', 'https://*/*'] });
    expect(sc.regs.get(BRIDGE_SCRIPT_ID)).toMatchObject({ js: ['content-scripts/bridge.js'], allFrames: true, matches: ['http://*/*', 'https://*/*'] });
    expect(sc.regs.get(BRIDGE_SCRIPT_ID)?.world).toBeUndefined();
    expect(seen.at(-1)).toEqual(['http://*/*', 'https://*/*']);

    // a second worker start with nothing changed writes nothing
    const writes = sc.writes();
    await new Activation({ settings, observer: o }).ready;
    expect(sc.writes()).toBe(writes);

    await settings.update({ activation: 'allowed', allowedSites: ['https://shop.example'] });
    await a.sync();
    expect(wrapper()?.matches).toEqual(['https://shop.example/*']);
    expect(sc.regs.get(BRIDGE_SCRIPT_ID)?.matches).toEqual(['https://shop.example/*']);
    expect(o.urls).toEqual(['https://shop.example/*']);

    // none allowed: no scripts at all, nothing observed
    await settings.update({ allowedSites: [] });
    await a.sync();
    expect(sc.regs.size).toBe(0);
    expect(o.urls).toEqual([]);

    await settings.update({ activation: 'all' });
    await a.sync();
    expect(wrapper()?.matches).toEqual(['http://*/*', 'https://*/*']);
    expect(o.urls).toEqual(['http://*/*', 'https://*/*']);
  });
});

describe('observer filter', () => {
  beforeEach(() => fakeBrowser.reset());

  it('observe() re-registers the response listener with the narrower filter; an empty list removes it', () => {
    const calls: { op: string; urls?: string[] }[] = [];
    const ev = {
      addListener: (_l: unknown, f: { urls: string[] }) => calls.push({ op: 'add', urls: [...f.urls] }),
      removeListener: () => calls.push({ op: 'remove' }),
      hasListener: () => false,
    };
    (fakeBrowser as unknown as { webRequest: unknown }).webRequest = { onHeadersReceived: ev, onSendHeaders: ev, onErrorOccurred: ev };
    const o = new NetworkObserver();
    o.install();
    expect(calls).toEqual([{ op: 'add', urls: ['http://*/*', 'https://*/*'] }]);
    o.observe(['https://*/*', 'http://*/*']);
    expect(calls).toHaveLength(1); // same set: nothing re-registered
    o.observe(['https://shop.example/*']);
    expect(calls.slice(1)).toEqual([{ op: 'remove' }, { op: 'add', urls: ['https://shop.example/*'] }]);
    o.observe([]);
    expect(calls.slice(3)).toEqual([{ op: 'remove' }]);
    expect(o.urls).toEqual([]);
  });
});
