import { installX402Wrapper } from '@/lib/page/wrapper';

// MAIN world, every frame, before page scripts: see lib/page/wrapper.ts.
export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  world: 'MAIN',
  runAt: 'document_start',
  allFrames: true,
  main() {
    installX402Wrapper(window);
  },
});
