/**
 * Test-build-only background hooks. Installed behind `import.meta.env.MODE === 'test'`, so
 * release builds contain none of this (checked by a browser test on the release build).
 *  - `test.openTab` (from the test hook content script): opens one of the extension's own
 *    pages, because Firefox's BiDi cannot navigate to them directly;
 *  - `test.skewClock` (extension pages only): moves the custody clock forward, to prove the
 *    auto-lock deadline without waiting minutes;
 *  - `test.reloadExtension` (extension pages only): restarts the whole extension (Firefox's
 *    background page cannot be stopped from outside the way Chromium's worker can);
 *  - `test.logs` (extension pages only): everything the background wrote to its console since
 *    the test build started (`captureConsole`, kept in storage.session across worker restarts, one key per flush),
 *    so a browser test can scan a whole run's logs for secrets;
 *  - `test.failStorageWrites` (extension pages only): after `skip` of them, the next `n`
 *    `storage.local.set` calls writing a key that starts with `prefix` (default: any) reject as the browser does when
 *    its quota is exhausted, to prove nothing is signed without its record.
 */
import { browser } from 'wxt/browser';

/**
 * One storage.session key per flush (`test.logs.<time>.<n>`), never a rewrite of the whole log:
 * rewriting one growing document every 200 ms sent the whole log through storage.onChanged to
 * every context and made the test build (which the benchmarks drive) slower than a release build.
 */
const LOG_PREFIX = 'test.logs.';
const MAX_LOG_CHARS = 2_000_000;
let pending: string[] = [];
let flushing: ReturnType<typeof setTimeout> | undefined;
let chunkSeq = 0;
/** this worker's chunks, oldest first (a restarted worker trims only its own; reading trims all) */
const chunks: { key: string; size: number }[] = [];
let chunkChars = 0;

function flush(): Promise<void> {
  flushing = undefined;
  const lines = pending;
  pending = [];
  if (lines.length === 0) return Promise.resolve();
  const key = `${LOG_PREFIX}${String(Date.now()).padStart(15, '0')}.${String(chunkSeq++).padStart(6, '0')}`;
  const size = lines.reduce((n, l) => n + l.length, 0);
  chunks.push({ key, size });
  chunkChars += size;
  const drop: string[] = [];
  while (chunks.length > 1 && chunkChars > MAX_LOG_CHARS) {
    const old = chunks.shift()!;
    chunkChars -= old.size;
    drop.push(old.key);
  }
  return browser.storage.session
    .set({ [key]: lines })
    .then(() => (drop.length ? browser.storage.session.remove(drop) : undefined))
    .catch(() => undefined);
}

/** Every captured line, oldest first, at most MAX_LOG_CHARS of the newest. */
async function readLogs(): Promise<string[]> {
  await flush();
  const all = await browser.storage.session.get(null);
  const lines = Object.keys(all)
    .filter((k) => k.startsWith(LOG_PREFIX))
    .sort()
    .flatMap((k) => (Array.isArray(all[k]) ? (all[k] as string[]) : []));
  let size = 0;
  let i = lines.length;
  while (i > 0 && size + lines[i - 1]!.length < MAX_LOG_CHARS) size += lines[--i]!.length;
  return lines.slice(i);
}

function render(args: unknown[]): string {
  return args
    .map((a) => {
      if (typeof a === 'string') return a;
      if (a instanceof Error) return `${a.name}: ${a.message}\n${a.stack ?? ''}`;
      try {
        return JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
      } catch {
        return String(a);
      }
    })
    .join(' ');
}

/** Test builds: every console line of the background is also kept for `test.logs`. */
export function captureConsole(): void {
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const orig = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      pending.push(`[${level}] ${render(args)}`);
      flushing ??= setTimeout(() => void flush(), 200);
      orig(...args);
    };
  }
}

/** storage.local writes still to fail (`test.failStorageWrites`), and which keys they touch */
const storageFault = { skip: 0, n: 0, prefix: '', failed: 0 };

function installStorageFault(): void {
  const local = browser.storage.local;
  const set = local.set.bind(local);
  local.set = ((items: Record<string, unknown>) => {
    if (storageFault.n > 0 && Object.keys(items ?? {}).some((k) => k.startsWith(storageFault.prefix))) {
      if (storageFault.skip > 0) {
        storageFault.skip--;
        return set(items);
      }
      storageFault.n--;
      storageFault.failed++;
      return Promise.reject(new Error('QUOTA_BYTES quota exceeded (test fault)'));
    }
    return set(items);
  }) as typeof local.set;
}

export function installTestHooks(hooks: { skewClock: (ms: number) => void; fireAlarm: (name: string) => Promise<unknown> }): void {
  installStorageFault();
  browser.runtime.onMessage.addListener((message: unknown, sender) => {
    const m = message as { channel?: string; type?: string; payload?: Record<string, unknown> } | null;
    if (!m || m.channel !== 'x402.test' || sender.id !== browser.runtime.id) return undefined;
    const fromExtensionPage = (sender.url ?? '').startsWith(browser.runtime.getURL('/'));
    const path = m.payload?.path;
    if (m.type === 'test.openTab' && typeof path === 'string' && /^\/[a-z-]+\.html(\?[\w=&%.-]*)?$/.test(path))
      return browser.tabs.create({ url: browser.runtime.getURL(path as '/popup.html') }).then(() => ({ ok: true }));
    if (m.type === 'test.skewClock' && fromExtensionPage && typeof m.payload?.ms === 'number') {
      hooks.skewClock(m.payload.ms);
      return Promise.resolve({ ok: true });
    }
    if (m.type === 'test.reloadExtension' && fromExtensionPage) {
      setTimeout(() => browser.runtime.reload(), 50);
      return Promise.resolve({ ok: true });
    }
    if (m.type === 'test.logs' && fromExtensionPage)
      return readLogs().then((lines) => ({ ok: true, lines }));
    if (m.type === 'test.failStorageWrites' && fromExtensionPage && typeof m.payload?.n === 'number') {
      storageFault.n = m.payload.n;
      storageFault.skip = typeof m.payload.skip === 'number' ? m.payload.skip : 0;
      storageFault.prefix = typeof m.payload.prefix === 'string' ? m.payload.prefix : '';
      const failed = storageFault.failed;
      storageFault.failed = 0;
      return Promise.resolve({ ok: true, failed });
    }
    if (m.type === 'test.fireAlarm' && fromExtensionPage && typeof m.payload?.name === 'string')
      return hooks.fireAlarm(m.payload.name).then(() => ({ ok: true }));
    return undefined;
  });
}
