/**
 * `npx tsx scripts/size-report.ts [dir]`: what the release build ships, and from where.
 * Prints every file's raw and gzip size, the Chrome zip's size, and — when the build was made
 * with `X402_SOURCEMAP=1` (hidden source maps) — the bytes of background.js and the largest
 * chunks attributed to their source package or folder.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { SourceMapConsumer } from 'source-map-js';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface SizeRow {
  file: string;
  bytes: number;
  gzip: number;
}

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p, base) : [path.relative(base, p)];
  });
}

/** Every shipped file of a build directory (source maps left out), largest first. */
export function buildSizes(dir: string): SizeRow[] {
  return walk(dir)
    .filter((f) => !f.endsWith('.map'))
    .map((file) => {
      const buf = readFileSync(path.join(dir, file));
      return { file, bytes: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
    })
    .sort((a, b) => b.bytes - a.bytes);
}

/** Bytes of a minified file per source package (node_modules) or project folder. */
export function attribute(file: string): { source: string; bytes: number }[] {
  const code = readFileSync(file, 'utf8');
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
  const lines = code.split('\n');
  const all: { line: number; col: number; source: string }[] = [];
  new SourceMapConsumer(map).eachMapping((m) =>
    all.push({ line: m.generatedLine, col: m.generatedColumn, source: m.source ?? '?' }),
  );
  all.sort((a, b) => a.line - b.line || a.col - b.col);
  const by = new Map<string, number>();
  for (let i = 0; i < all.length; i++) {
    const m = all[i]!;
    const n = all[i + 1];
    const len = n && n.line === m.line ? n.col - m.col : (lines[m.line - 1] ?? '').length - m.col;
    const nm = m.source.lastIndexOf('node_modules/');
    const key =
      nm >= 0
        ? m.source.slice(nm).replace(/^(node_modules\/(@[^/]+\/)?[^/]+).*/, '$1')
        : m.source.replace(/^(\.\.\/)+/, '').replace(/\/[^/]+$/, '/');
    by.set(key, (by.get(key) ?? 0) + len);
  }
  return [...by].map(([source, bytes]) => ({ source, bytes })).sort((a, b) => b.bytes - a.bytes);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const dir = path.resolve(process.argv[2] ?? path.join(ROOT, '.output/chrome-mv3'));
  if (!existsSync(dir)) throw new Error(`no build at ${dir}: run \`npx wxt build\` first`);
  const rows = buildSizes(dir);
  let raw = 0;
  let gz = 0;
  for (const r of rows) {
    raw += r.bytes;
    gz += r.gzip;
    console.log(`${String(r.bytes).padStart(9)} ${String(r.gzip).padStart(8)}  ${r.file}`);
  }
  console.log(`${String(raw).padStart(9)} ${String(gz).padStart(8)}  total (raw, gzip -9 per file)`);
  for (const f of ['background.js', ...rows.filter((r) => r.file.startsWith('chunks/') && r.bytes > 20_000).map((r) => r.file)]) {
    const p = path.join(dir, f);
    if (!existsSync(`${p}.map`)) continue;
    console.log(`\n${f} by source:`);
    for (const a of attribute(p).slice(0, 30)) console.log(`${String(a.bytes).padStart(9)}  ${a.source}`);
  }
}
