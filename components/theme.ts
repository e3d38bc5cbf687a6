/**
 * Theme (Settings → Appearance): 'system' follows prefers-color-scheme, 'light' / 'dark' force
 * one. The choice lives in the stored settings; a copy in this extension origin's localStorage
 * lets public/theme.js set <html data-theme> before the first paint on every page. `syncTheme`
 * reads the stored setting after the page is up and corrects the copy (e.g. after storage was
 * cleared); `applyTheme` is what Settings calls on a change. Open pages follow a change made in
 * another page through the `storage` event.
 */
import { call } from '../lib/messaging/client';
import type { ThemeSetting } from '../lib/messaging/contract';

const KEY = 'x402.theme';

export function isTheme(v: unknown): v is ThemeSetting {
  return v === 'system' || v === 'light' || v === 'dark';
}

export function applyTheme(theme: ThemeSetting): void {
  document.documentElement.setAttribute('data-theme', theme);
  try {
    if (localStorage.getItem(KEY) !== theme) localStorage.setItem(KEY, theme);
  } catch {
    // storage refused (private mode quirks): the attribute is still set for this page
  }
}

/** Follow the stored setting and changes made in other pages. Called once by each entrypoint. */
export function syncTheme(): void {
  window.addEventListener('storage', (e) => {
    if (e.key === KEY && isTheme(e.newValue)) document.documentElement.setAttribute('data-theme', e.newValue);
  });
  void call('settings.get')
    .then((s) => applyTheme(isTheme(s.theme) ? s.theme : 'system'))
    .catch(() => undefined);
}
