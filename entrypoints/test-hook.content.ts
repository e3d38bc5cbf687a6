import { browser } from 'wxt/browser';

/**
 * TEST BUILDS ONLY (`wxt build --mode test`; wxt.config.ts skips every `test-*` entrypoint
 * otherwise). Firefox's WebDriver BiDi refuses to navigate to moz-extension:// pages, so the
 * browser tests ask the extension to open its own pages through this hook.
 */
export default defineContentScript({
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  runAt: 'document_start',
  main() {
    window.addEventListener('message', (ev: MessageEvent) => {
      const d = ev.data as { __x402test?: { type?: string; path?: string } } | null;
      if (ev.source !== window || !d?.__x402test || d.__x402test.type !== 'openTab') return;
      void browser.runtime.sendMessage({ channel: 'x402.test', type: 'test.openTab', payload: { path: d.__x402test.path } });
    });
  },
});
