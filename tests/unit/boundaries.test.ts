/**
 * Module boundaries the design depends on, enforced on the source tree:
 *  - only the background (lib/background) and custody itself import lib/custody: keys and the
 *    vault never reach extension pages or content scripts;
 *  - the page wrapper (runs in every page) imports nothing but the message contract;
 *  - extension pages talk to the background only through lib/messaging/client.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...files(rel));
    else if (/\.(ts|tsx)$/.test(name)) out.push(rel);
  }
  return out;
}

/** Import specifiers of a file, resolved to repo-relative paths where they are relative. */
function imports(file: string): string[] {
  const src = readFileSync(path.join(ROOT, file), 'utf8');
  const specs = [...src.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => (m[1] ?? m[2])!,
  );
  return specs.map((s) =>
    s.startsWith('.') ? path.normalize(path.join(path.dirname(file), s)) : s.startsWith('@/') ? s.slice(2) : s,
  );
}

const SOURCE = [...files('lib'), ...files('components'), ...files('entrypoints')];

describe('module boundaries', () => {
  it('finds the source tree (a check over nothing proves nothing)', () => {
    expect(SOURCE.length).toBeGreaterThan(50);
    expect(SOURCE).toContain(path.normalize('lib/page/wrapper.ts'));
  });

  it('only lib/background and lib/custody import lib/custody', () => {
    const offenders = SOURCE.filter((f) => !f.startsWith('lib/background/') && !f.startsWith('lib/custody/')).flatMap((f) =>
      imports(f)
        .filter((i) => i.startsWith('lib/custody'))
        .map((i) => `${f} → ${i}`),
    );
    expect(offenders).toEqual([]);
    // and the background really does (so the rule above is not vacuous)
    expect(imports('lib/background/main.ts').some((i) => i.startsWith('lib/custody'))).toBe(true);
  });

  it('key derivation and raw-key signing (every rail) are used only by lib/custody', () => {
    const KEY_FNS = /\b(deriveAccountFromSeed|deriveSolanaKey|signEd25519|privateKeyToAccount|HDKey)\b/;
    const allowed = (f: string) => f.startsWith('lib/custody/') || /^lib\/rails\/[a-z]+\/accounts\.ts$/.test(f);
    const offenders = SOURCE.filter((f) => !allowed(f) && KEY_FNS.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
    // not vacuous: custody does use them for both rails
    const service = readFileSync(path.join(ROOT, 'lib/custody/service.ts'), 'utf8');
    expect(service).toMatch(/signEd25519/);
    expect(service).toMatch(/deriveSolanaKey|svmKeyFor/);
  });

  it('the page wrapper depends on nothing but the message contract', () => {
    expect(imports('lib/page/wrapper.ts')).toEqual([path.normalize('lib/messaging/contract')]);
    // its handler (injected on the first 402): the contract and the loader's types only
    expect(imports('lib/page/handler.ts').sort()).toEqual([path.normalize('lib/messaging/contract'), path.normalize('lib/page/wrapper')].sort());
  });

  it('lib/history (shared by the history page and the background) is pure: no browser, storage, background, ledger or UI code', () => {
    const mods = SOURCE.filter((f) => f.startsWith('lib/history/'));
    expect(mods.length).toBeGreaterThan(3);
    const offenders = mods.flatMap((f) =>
      imports(f)
        .filter((i) => /^wxt|^lib\/(background|ledger|custody|ui|page)\b/.test(i))
        .map((i) => `${f} → ${i}`),
    );
    expect(offenders).toEqual([]);
    // and both sides really use it (so the rule is about shared code)
    expect(imports('lib/background/handlers.ts')).toContain(path.normalize('lib/history/filter'));
    expect(imports('components/options/HistorySection.tsx')).toContain(path.normalize('lib/history/filter'));
  });

  it('extension pages reach the background only through the messaging client', () => {
    const pageFiles = SOURCE.filter((f) => f.startsWith('components/') || f.startsWith('lib/ui/') || /^entrypoints\/(popup|onboarding|approval|options)\//.test(f));
    expect(pageFiles.length).toBeGreaterThan(10);
    const offenders = pageFiles.flatMap((f) =>
      imports(f)
        .filter((i) => i.startsWith('lib/background') || i.startsWith('lib/ledger') || i.startsWith('lib/policy/store'))
        .map((i) => `${f} → ${i}`),
    );
    expect(offenders).toEqual([]);
  });
});
