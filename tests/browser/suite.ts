/**
 * One test world per describe block: starts it before the block's tests, and closes the pages
 * opened through `open()` and the world after them. (Kept apart from world.ts, which scripts
 * outside vitest use too.)
 */
import { afterAll, beforeAll } from 'vitest';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import { startWorld, type World } from './world';

export interface WorldSuite {
  readonly w: World;
  readonly ext: ExtensionBrowser;
  /** a new tab on `url`, closed after the block */
  open(url: string): Promise<TestPage>;
}

export function useWorld(kind: BrowserKind, opts?: Parameters<typeof startWorld>[1]): WorldSuite {
  let world: World | undefined;
  const pages: TestPage[] = [];
  beforeAll(async () => {
    world = await startWorld(kind, opts);
  });
  afterAll(async () => {
    for (const p of pages) if (!p.isClosed()) await p.close().catch(() => undefined);
    await world?.close();
  });
  const must = () => {
    if (!world) throw new Error('the test world is not started');
    return world;
  };
  return {
    get w() {
      return must();
    },
    get ext() {
      return must().ext;
    },
    open: async (url) => {
      const p = await must().ext.newPage();
      pages.push(p);
      await p.goto(url);
      return p;
    },
  };
}
