import { installPageApi } from '@/lib/page/api';

// window.x402 — registered by the background (scripting.registerContentScripts, MAIN world,
// top-level frame) for the sites allowed to use the page API only: see lib/background/page-api.ts.
export default defineUnlistedScript(() => {
  installPageApi(window);
});
