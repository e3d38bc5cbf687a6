/**
 * Test-build-only background hooks. Installed behind `import.meta.env.MODE === 'test'`, so
 * release builds contain none of this (checked by a browser test on the release build).
 *  - `test.openTab` (from the test hook content script): opens one of the extension's own
 *    pages, because Firefox's BiDi cannot navigate to them directly;
 *  - `test.skewClock` (extension pages only): moves the custody clock forward, to prove the
 *    auto-lock deadline without waiting minutes;
 *  - `test.reloadExtension` (extension pages only): restarts the whole extension (Firefox's
 *    background page cannot be stopped from outside the way Chromium's worker can).
 */
import { browser } from 'wxt/browser';

export function installTestHooks(hooks: { skewClock: (ms: number) => void; fireAlarm: (name: string) => Promise<unknown> }): void {
  browser.runtime.onMessage.addListener((message: unknown, sender) => {
    const m = message as { channel?: string; type?: string; payload?: Record<string, unknown> } | null;
    if (!m || m.channel !== 'x402.test' || sender.id !== browser.runtime.id) return undefined;
    const fromExtensionPage = (sender.url ?? '').startsWith(browser.runtime.getURL('/'));
    const path = m.payload?.path;
    if (m.type === 'test.openTab' && typeof path === 'string' && /^\/[a-z-]+\.html(\?[\w=&%.-]*)?$/.test(path))
      return browser.tabs.create({ url: browser.runtime.getURL(path as '/popup.html') }).then(() => ({ ok: true }));
    if (m.type === 'test.skewClock' && fromExtensionPage && typeof m.payload?.ms === 'number') {
      hooks.skewClock(m.payload.ms);
      return Promise.resolve({ ok: true });
    }
    if (m.type === 'test.reloadExtension' && fromExtensionPage) {
      setTimeout(() => browser.runtime.reload(), 50);
      return Promise.resolve({ ok: true });
    }
    if (m.type === 'test.fireAlarm' && fromExtensionPage && typeof m.payload?.name === 'string')
      return hooks.fireAlarm(m.payload.name).then(() => ({ ok: true }));
    return undefined;
  });
}
