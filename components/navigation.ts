/** Opening the extension's own pages from another extension page. */
import { browser } from 'wxt/browser';
import { APPROVAL_WINDOW } from '../lib/util/approval-window';

export async function openOnboarding(): Promise<void> {
  await browser.tabs.create({ url: browser.runtime.getURL('/onboarding.html') });
}

/** The options page, at one of its sections ('sites', 'history', 'settings', …) when given. */
export async function openOptions(section?: string): Promise<void> {
  await browser.tabs.create({ url: browser.runtime.getURL('/options.html') + (section ? `#${section}` : '') });
}

/** The approval window (a small popup window; a tab if windows are unavailable, e.g. Android). */
export async function openApprovalWindow(id?: string): Promise<void> {
  const url = browser.runtime.getURL('/approval.html') + (id ? `?id=${encodeURIComponent(id)}` : '');
  if (browser.windows?.create) {
    await browser.windows.create({ url, type: 'popup', ...APPROVAL_WINDOW });
  } else {
    await browser.tabs.create({ url });
  }
}
