import { installX402Handler } from '@/lib/page/handler';

// The page wrapper's handler (ask + paid retry): injected by the background into one frame's
// MAIN world on that frame's first 402 (scripting.executeScript), see lib/page/wrapper.ts.
export default defineUnlistedScript(() => {
  installX402Handler(window);
});
