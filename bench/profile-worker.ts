/**
 * `X402_SOURCEMAP=1 npx wxt build --mode test && npx tsx bench/profile-worker.ts [concurrent]`:
 * where the service worker's time goes while it pays N concurrent auto-paid requests (issue 10,
 * "profile first"). A CPU profile of the worker (CDP Profiler over a debugging port beside
 * Playwright's pipe), its self time attributed through the build's hidden source maps to the
 * source folder or package, and to the original function. Prints tables; asserts nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SourceMapConsumer } from 'source-map-js';
import WebSocket from 'ws';

const port = 9300 + Math.floor(Math.random() * 500);
process.env.X402_CDP_PORT = String(port);
const { startWorld } = await import('../tests/browser/world');
const { extensionDir } = await import('../tests/browser/harness');

const N = Number(process.argv[2] ?? 100);
const dir = extensionDir('chromium');
const mapFile = path.join(dir, 'background.js.map');
const consumer = new SourceMapConsumer(JSON.parse(readFileSync(mapFile, 'utf8')));

/** A raw CDP connection to the browser (flattened sessions). */
async function cdp(): Promise<{ send: (method: string, params?: object, sessionId?: string) => Promise<any>; close: () => void }> {
  const version = (await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as { webSocketDebuggerUrl: string };
  const ws = new WebSocket(version.webSocketDebuggerUrl, { perMessageDeflate: false, maxPayload: 1 << 30 });
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  let id = 0;
  const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    const w = m.id !== undefined ? waiting.get(m.id) : undefined;
    if (!w) return;
    waiting.delete(m.id);
    if (m.error) w.reject(new Error(m.error.message));
    else w.resolve(m.result);
  });
  return {
    send: (method, params = {}, sessionId) =>
      new Promise((resolve, reject) => {
        const mid = ++id;
        waiting.set(mid, { resolve, reject });
        ws.send(JSON.stringify({ id: mid, method, params, ...(sessionId ? { sessionId } : {}) }));
      }),
    close: () => ws.close(),
  };
}

const w = await startWorld('chromium');
try {
  const { net, ext } = w;
  const site = net.v2.origin;
  const r = await ext.call('sites.save', { site, mode: 'auto', paused: false, dayUsd: '10.00', perPaymentUsd: '0.05' });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const page = await ext.newPage();
  await page.goto(net.v2.url('/page'));
  const burst = (n: number) =>
    page.evaluate(
      async ({ n }) => {
        const t0 = performance.now();
        const s = await Promise.all(Array.from({ length: n }, () => fetch('/api/cheap').then(async (res) => (await res.text(), res.status), () => 0)));
        return { ms: performance.now() - t0, ok: s.filter((x) => x === 200).length };
      },
      { n },
    );
  await burst(5); // warm

  const c = await cdp();
  const { targetInfos } = await c.send('Target.getTargets');
  const sw = (targetInfos as { type: string; url: string; targetId: string }[]).find((t) => t.type === 'service_worker' && t.url.startsWith(ext.extensionOrigin));
  if (!sw) throw new Error('no service worker target');
  const { sessionId } = await c.send('Target.attachToTarget', { targetId: sw.targetId, flatten: true });
  await c.send('Profiler.enable', {}, sessionId);
  await c.send('Profiler.setSamplingInterval', { interval: 200 }, sessionId);
  await c.send('Profiler.start', {}, sessionId);
  const run = await burst(N);
  const { profile } = await c.send('Profiler.stop', {}, sessionId);
  // timings a temporarily instrumented build leaves on globalThis.__t (none in a normal build)
  const t = await c.send('Runtime.evaluate', { expression: 'JSON.stringify(globalThis.__t ?? null)', returnByValue: true }, sessionId);
  if (t?.result?.value && t.result.value !== 'null') console.log('instrumented timings (ms, summed):', t.result.value);
  c.close();

  // self time per node from the samples
  const dt = new Map<number, number>();
  const deltas: number[] = profile.timeDeltas;
  profile.samples.forEach((id: number, i: number) => dt.set(id, (dt.get(id) ?? 0) + (deltas[i + 1] ?? 0) / 1000));
  const byNode = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
  const bySource = new Map<string, number>();
  const byFn = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of dt) {
    const n = byNode.get(id);
    const f = n.callFrame;
    total += ms;
    let source = f.url ? 'other script' : `(${f.functionName || 'native'})`;
    let name = f.functionName || '(anonymous)';
    if (f.url.endsWith('/background.js')) {
      const pos = consumer.originalPositionFor({ line: f.lineNumber + 1, column: f.columnNumber });
      const s = pos.source ?? '?';
      const nm = s.lastIndexOf('node_modules/');
      source = nm >= 0 ? s.slice(nm).replace(/^(node_modules\/(@[^/]+\/)?[^/]+).*/, '$1') : s.replace(/^(\.\.\/)+/, '');
      name = `${pos.name ?? name} (${s.replace(/^.*node_modules\//, '').replace(/^(\.\.\/)+/, '')}:${pos.line})`;
    } else if (!f.url && ['(program)', '(idle)', '(garbage collector)', '(root)'].includes(f.functionName)) {
      name = f.functionName;
    }
    bySource.set(source, (bySource.get(source) ?? 0) + ms);
    byFn.set(name, (byFn.get(name) ?? 0) + ms);
  }
  const table = (m: Map<string, number>, k: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([s, ms]) => `${ms.toFixed(1).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${s}`).join('\n');
  console.log(`${N} concurrent auto-paid requests: ${run.ok}/${N} paid in ${run.ms.toFixed(0)} ms (${((N * 1000) / run.ms).toFixed(1)}/s); worker profile ${total.toFixed(0)} ms`);
  console.log('\nworker self time by source:\n' + table(bySource, 25));
  console.log('\nworker self time by function:\n' + table(byFn, 40));
} finally {
  await w.close();
}
