import { installX402Wrapper } from '@/lib/page/wrapper';

// MAIN world, every frame, before page scripts: see lib/page/wrapper.ts. Registered by the
// background for the sites the wallet works on (lib/background/activation.ts), not by the manifest.
export default defineContentScript({
  registration: 'runtime',
  matches: ['http://*/*', 'https://*/*'],
  world: 'MAIN',
  runAt: 'document_start',
  allFrames: true,
  main() {
    installX402Wrapper(window);
  },
});
