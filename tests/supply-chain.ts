/**
 * Supply chain (issue 16): what the release bundle contains from node_modules. Reads the
 * per-file package lists a release build writes with X402_BUNDLE_REPORT=1 (wxt.config.ts),
 * prints them per part (background, extension pages, content scripts) and fails when a part
 * bundles a package that `tests/supply-chain.json` does not list, or when the content scripts
 * (which run in every web page) bundle any package at all beyond WXT's own runtime.
 * `npx tsx tests/supply-chain.ts [chrome|firefox]` after such a build; `npm test` runs it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
type Part = 'background' | 'pages' | 'content';
const partOf = (file: string): Part => (file === 'background.js' ? 'background' : file.startsWith('content-scripts/') || file === 'page-api.js' ? 'content' : 'pages');

export function checkSupplyChain(browser: string): { ok: boolean; lines: string[] } {
  const f = path.join(ROOT, '.output', `bundle-packages.${browser}.json`);
  if (!existsSync(f)) return { ok: false, lines: [`no ${path.relative(ROOT, f)}: build with X402_BUNDLE_REPORT=1 first`] };
  const report = JSON.parse(readFileSync(f, 'utf8')) as Record<string, string[]>;
  const allow = JSON.parse(readFileSync(path.join(ROOT, 'tests', 'supply-chain.json'), 'utf8')) as Record<Part, string[]>;
  const parts: Record<Part, Set<string>> = { background: new Set(), pages: new Set(), content: new Set() };
  for (const [file, pkgs] of Object.entries(report)) for (const p of pkgs) parts[partOf(file)].add(p);
  const lines: string[] = [];
  let ok = true;
  for (const part of ['background', 'pages', 'content'] as Part[]) {
    const got = [...parts[part]].sort();
    const extra = got.filter((p) => !allow[part]?.includes(p));
    lines.push(`${browser} ${part}: ${got.length} packages — ${got.join(', ') || '(none)'}`);
    if (extra.length) {
      ok = false;
      lines.push(`  NOT IN tests/supply-chain.json: ${extra.join(', ')}`);
    }
  }
  const foreign = [...parts.content].filter((p) => !['wxt', '@wxt-dev/browser'].includes(p));
  if (foreign.length) {
    ok = false;
    lines.push(`  content scripts (every web page) bundle ${foreign.join(', ')}`);
  }
  return { ok, lines };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const browsers = process.argv.slice(2).length ? process.argv.slice(2) : ['chrome', 'firefox'];
  let ok = true;
  for (const b of browsers) {
    const r = checkSupplyChain(b);
    for (const l of r.lines) console.log(`[supply-chain] ${l}`);
    ok &&= r.ok;
  }
  process.exit(ok ? 0 : 1);
}
