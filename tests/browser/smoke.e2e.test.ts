import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, launchFirefox, type BrowserKind, type ExtensionBrowser } from './harness';
import { startStaticServer, type StaticServer } from './static-server';

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`smoke (${kind})`, () => {
    let web: StaticServer;
    let ext: ExtensionBrowser;
    beforeAll(async () => {
      web = await startStaticServer();
      ext = kind === 'chromium' ? await launchChromium() : await launchFirefox(`${web.origin}/`);
    });
    afterAll(async () => {
      await ext?.close();
      await web?.close();
    });

    it('starts the background and answers the extension pages', async () => {
      const res = await ext.call<{ initialized: boolean }>('wallet.status');
      expect(res.ok).toBe(true);
      expect(res.value?.initialized).toBe(false);
    });

    it('renders the popup', async () => {
      const popup = await ext.openExtensionPage('/popup.html');
      await popup.waitForText('body', /x402 Wallet|Set up/i);
      expect(await popup.url()).toContain(`${ext.extensionOrigin}/popup.html`);
    });

    it('installs the page wrapper in web pages and refuses privileged messages from them', async () => {
      const page = await ext.newPage();
      await page.goto(`${web.origin}/`);
      const installed = await page.evaluate(() => (window as any).__x402WrapperInstalled === true);
      expect(installed).toBe(true);
    });
  });
}
