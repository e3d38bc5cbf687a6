/**
 * `npm run setup`: make sure the browsers the tests and the demo drive are present (Chromium and
 * Firefox ESR). Fast and silent about changes when they are; installs them with apt on Debian as
 * root or with passwordless sudo; otherwise prints the exact command and exits 1.
 * `npm test` and `npm run demo` run the same check (scripts/browsers.ts) before they need a browser.
 */
import { ensureBrowsers, type BrowserName } from './browsers.ts';

const need: BrowserName[] = process.argv.includes('--chromium-only') ? ['chromium'] : ['chromium', 'firefox'];
const paths = ensureBrowsers(need);
if (!paths) process.exit(1);
for (const [name, p] of Object.entries(paths)) console.log(`${name.padEnd(8)} ${p}`);
console.log('Browsers ready.');
