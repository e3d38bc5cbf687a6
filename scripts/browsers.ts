/**
 * Which browsers the tests and the demo drive, where they are, and how a newcomer's machine gets
 * them (`npm run setup`, called by `npm test` and `npm run demo` when one is missing).
 *
 * Split in two: `findBrowser`/`planSetup` are pure functions of `SystemFacts` (unit-tested in
 * tests/unit/setup.test.ts without touching the system); `probeSystem` gathers the facts.
 *
 * Lookup order for each browser: the env variable (CHROMIUM_PATH, FIREFOX_PATH), the Debian
 * package's binary (/usr/bin/chromium, /usr/bin/firefox-esr), then a per-user download made with
 * `@puppeteer/browsers` into ~/.cache/x402-wallet-browsers (the route for Ubuntu, where the
 * `chromium` package is a snap — strictly confined, it cannot be driven reliably with a profile in
 * /tmp — and firefox-esr is not in the archive).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type BrowserName = 'chromium' | 'firefox';

export const BROWSERS: Record<BrowserName, { env: string; debianPath: string; debianPackage: string; download: string }> = {
  chromium: { env: 'CHROMIUM_PATH', debianPath: '/usr/bin/chromium', debianPackage: 'chromium', download: 'chromium@latest' },
  firefox: { env: 'FIREFOX_PATH', debianPath: '/usr/bin/firefox-esr', debianPackage: 'firefox-esr', download: 'firefox@esr' },
};

export interface SystemFacts {
  /** /etc/os-release ID and ID_LIKE words, lower case ('debian', 'ubuntu', …) */
  osIds: string[];
  isRoot: boolean;
  /** `sudo -n true` succeeds (sudo without a password prompt) */
  sudo: boolean;
  hasApt: boolean;
  env: Partial<Record<string, string>>;
  /** the per-user download directory (~/.cache/x402-wallet-browsers) */
  downloadDir: string;
  /** executables found under downloadDir, by browser (from `listDownloads`) */
  downloads: Partial<Record<BrowserName, string>>;
  exists(p: string): boolean;
}

/** Where `name` is on this machine, or undefined. A set env variable wins (and must exist). */
export function findBrowser(name: BrowserName, f: Pick<SystemFacts, 'env' | 'exists' | 'downloads'>): string | undefined {
  const b = BROWSERS[name];
  const fromEnv = f.env[b.env];
  if (fromEnv) return f.exists(fromEnv) ? fromEnv : undefined;
  if (f.exists(b.debianPath)) return b.debianPath;
  const dl = f.downloads[name];
  return dl && f.exists(dl) ? dl : undefined;
}

export type SetupPlan =
  | { kind: 'ready'; paths: Partial<Record<BrowserName, string>> }
  /** run `argv` lists in order (apt), then look again */
  | { kind: 'install'; missing: BrowserName[]; commands: string[][]; display: string }
  /** nothing this script may do: print `message` and stop */
  | { kind: 'manual'; missing: BrowserName[]; message: string };

const isDebian = (ids: string[]) => ids.includes('debian') && !ids.includes('ubuntu');

/** The one-line command that installs `missing` from Debian's archive, as root or with sudo. */
export function aptCommands(missing: BrowserName[], f: Pick<SystemFacts, 'isRoot'>): string[][] {
  const pre = f.isRoot ? [] : ['sudo', '-n'];
  const pkgs = missing.map((m) => BROWSERS[m].debianPackage);
  return [
    [...pre, 'apt-get', 'update', '-qq'],
    [...pre, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', ...pkgs],
  ];
}

/** The user-level download (no root): the route for Ubuntu and other non-Debian systems. */
export function downloadCommands(missing: BrowserName[], f: Pick<SystemFacts, 'downloadDir'>): string[] {
  return missing.map((m) => `npx @puppeteer/browsers install ${BROWSERS[m].download} --path ${f.downloadDir}`);
}

/** Decide what to do for the browsers in `need`. Pure: every input is in `f`. */
export function planSetup(need: BrowserName[], f: SystemFacts): SetupPlan {
  const paths: Partial<Record<BrowserName, string>> = {};
  const missing: BrowserName[] = [];
  for (const n of need) {
    const p = findBrowser(n, f);
    if (p) paths[n] = p;
    else missing.push(n);
  }
  if (missing.length === 0) return { kind: 'ready', paths };

  const envSet = missing.filter((m) => f.env[BROWSERS[m].env]);
  if (envSet.length > 0) {
    const lines = envSet.map((m) => `  ${BROWSERS[m].env}=${f.env[BROWSERS[m].env]} does not exist.`);
    return {
      kind: 'manual',
      missing,
      message: ['Browser path from the environment not found:', ...lines, 'Fix or unset the variable, then run npm run setup again.'].join('\n'),
    };
  }

  const names = missing.map((m) => BROWSERS[m].debianPackage).join(' ');
  if (isDebian(f.osIds) && f.hasApt) {
    const commands = aptCommands(missing, f);
    const display = `${f.isRoot ? '' : 'sudo '}apt-get update && ${f.isRoot ? '' : 'sudo '}apt-get install -y ${names}`;
    if (f.isRoot || f.sudo) return { kind: 'install', missing, commands, display };
    return {
      kind: 'manual',
      missing,
      message: [
        `Missing browsers for the tests and the demo: ${names}.`,
        'Install them from Debian (needs root), then run the command again:',
        `  ${display}`,
      ].join('\n'),
    };
  }

  const dl = downloadCommands(missing, f);
  const ubuntu = f.osIds.includes('ubuntu');
  const lines = [
    `Missing browsers for the tests and the demo: ${missing.map((m) => (m === 'chromium' ? 'Chromium' : 'Firefox ESR')).join(', ')}.`,
    ubuntu
      ? 'On Ubuntu, Chromium comes as a snap (confined, with its own /tmp: the tests cannot drive it reliably) and Firefox ESR is not in the archive, so download them for your user (no root):'
      : 'Download them for your user (no root):',
    ...dl.map((c) => `  ${c}`),
    `They land in ${f.downloadDir}, where npm test and npm run demo find them.`,
  ];
  if (ubuntu && missing.includes('firefox'))
    lines.push(
      'Alternatively, Firefox ESR as a package: sudo add-apt-repository -y ppa:mozillateam/ppa && sudo apt-get install -y firefox-esr',
    );
  lines.push('Or point CHROMIUM_PATH / FIREFOX_PATH at binaries you already have.');
  return { kind: 'manual', missing, message: lines.join('\n') };
}

// ------------------------------------------------------------------ the real system

export const DOWNLOAD_DIR = path.join(os.homedir(), '.cache', 'x402-wallet-browsers');

/** Executables @puppeteer/browsers left in `dir` (`<browser>/linux-<build>/…`), newest build first. */
export function listDownloads(dir: string): Partial<Record<BrowserName, string>> {
  const rel: Record<BrowserName, string[][]> = {
    chromium: [['chrome-linux', 'chrome'], ['chrome-linux64', 'chrome']],
    firefox: [['firefox', 'firefox']],
  };
  const out: Partial<Record<BrowserName, string>> = {};
  for (const name of Object.keys(rel) as BrowserName[]) {
    const root = path.join(dir, name);
    let builds: string[] = [];
    try {
      builds = readdirSync(root).filter((d) => d.startsWith('linux')).sort().reverse();
    } catch {
      continue;
    }
    for (const b of builds) {
      const hit = rel[name].map((r) => path.join(root, b, ...r)).find((p) => existsSync(p));
      if (hit) {
        out[name] = hit;
        break;
      }
    }
  }
  return out;
}

function osIds(): string[] {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const get = (k: string) => new RegExp(`^${k}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1] ?? '';
    return `${get('ID')} ${get('ID_LIKE')}`.toLowerCase().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}

const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** Facts about this machine. `sudo -n true` is only tried when `askSudo` (it may log). */
export function probeSystem(askSudo = false): SystemFacts {
  const isRoot = process.getuid?.() === 0;
  return {
    osIds: osIds(),
    isRoot,
    sudo: !isRoot && askSudo && which('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0,
    hasApt: which('apt-get'),
    env: { CHROMIUM_PATH: process.env.CHROMIUM_PATH, FIREFOX_PATH: process.env.FIREFOX_PATH },
    downloadDir: DOWNLOAD_DIR,
    downloads: listDownloads(DOWNLOAD_DIR),
    exists: existsSync,
  };
}

/** The browser the harness and the demo launch: found path, else the Debian default (fails clearly at launch). */
export function browserPath(name: BrowserName): string {
  const f = probeSystem();
  return findBrowser(name, f) ?? f.env[BROWSERS[name].env] ?? BROWSERS[name].debianPath;
}

/**
 * Make sure `need` is present: return at once when it is, install with apt when allowed, else
 * print the exact manual step. Returns the paths, or undefined after printing why not.
 */
export function ensureBrowsers(need: BrowserName[], log: (s: string) => void = console.log): Partial<Record<BrowserName, string>> | undefined {
  let plan = planSetup(need, probeSystem());
  if (plan.kind === 'ready') return plan.paths;
  plan = planSetup(need, probeSystem(true));
  if (plan.kind === 'install') {
    log(`Installing ${plan.missing.map((m) => BROWSERS[m].debianPackage).join(' ')}: ${plan.display}`);
    for (const argv of plan.commands) {
      const r = spawnSync(argv[0]!, argv.slice(1), { stdio: 'inherit' });
      if (r.status !== 0) {
        log(`\n${argv.join(' ')} failed (exit ${r.status ?? r.signal}). Run it by hand: ${plan.display}`);
        return undefined;
      }
    }
    plan = planSetup(need, probeSystem());
  }
  if (plan.kind === 'ready') return plan.paths;
  if (plan.kind === 'manual') log(plan.message);
  else log(`Still missing after apt-get: ${plan.missing.join(', ')}`);
  return undefined;
}
