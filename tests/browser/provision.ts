/**
 * Operator provisioning for browser tests and `scripts/agent.ts`: a managed policy written the
 * way each browser loads it, without touching anything another engineer's browser reads.
 *  - Chromium (Linux) reads /etc/chromium/policies/managed/*.json; the policy is keyed by the
 *    extension id, which for an unpacked extension is derived from its directory path, so a
 *    uniquely named file keyed by this build's id affects this build only.
 *  - Firefox reads distribution/policies.json next to its binary — global to an install. We
 *    make a private install (hard-link copy, no disk used) with its own policies.json.
 */
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIREFOX_ID } from './harness';
import { browserPath } from '../../scripts/browsers.ts';

export const CHROMIUM_POLICY_DIR = process.env.CHROMIUM_POLICY_DIR ?? '/etc/chromium/policies/managed';

/**
 * Why Chromium cannot be given a managed policy here, or null when it can: Linux Chromium reads
 * managed policies only from a system folder (root's), so a normal user's `npm test` skips the
 * Chromium agent tests with this reason (Firefox's policy goes into a private copy of Firefox).
 */
export function chromiumPolicyUnavailable(): string | null {
  try {
    mkdirSync(CHROMIUM_POLICY_DIR, { recursive: true });
    accessSync(CHROMIUM_POLICY_DIR, constants.W_OK);
    return null;
  } catch {
    return `Chromium reads managed policies only from ${CHROMIUM_POLICY_DIR}, which this user cannot write (run as root, or set CHROMIUM_POLICY_DIR to a folder Chromium reads)`;
  }
}

/** The id Chromium gives an unpacked extension loaded from `dir`: sha256(path) → 32 hex digits, 0-f → a-p. */
export function chromiumExtensionId(dir: string): string {
  const hex = createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode('a'.charCodeAt(0) + parseInt(c, 16))).join('');
}

export interface ChromiumPolicy {
  file: string;
  id: string;
  /** replace the policy (Chromium notices the change within seconds, no restart) */
  write(policy: object): void;
  remove(): void;
}

/** Writes a uniquely named Chromium policy file for the extension in `extDir`. */
export function chromiumPolicy(extDir: string, policy: object): ChromiumPolicy {
  const id = chromiumExtensionId(extDir);
  mkdirSync(CHROMIUM_POLICY_DIR, { recursive: true });
  const file = path.join(CHROMIUM_POLICY_DIR, `x402-wallet-test-${id.slice(0, 8)}-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  const write = (p: object) => writeFileSync(file, JSON.stringify({ '3rdparty': { extensions: { [id]: p } } }, null, 2));
  write(policy);
  return { file, id, write, remove: () => rmSync(file, { force: true }) };
}

export interface FirefoxInstall {
  /** the private firefox binary to launch */
  executablePath: string;
  write(policy: object): void;
  remove(): void;
}

/** The real Firefox install directory (the one /usr/bin/firefox-esr points into). */
function firefoxHome(): string {
  const bin = realpathSync(browserPath('firefox'));
  return path.dirname(bin);
}

/**
 * A private copy of the Firefox install (hard links: instant, no disk) whose
 * distribution/policies.json carries `policy` for the wallet. Never writes the real install.
 */
export function firefoxWithPolicy(policy: object): FirefoxInstall {
  const home = firefoxHome();
  const root = mkdtempSync(path.join(tmpdir(), 'x402-firefox-'));
  const copy = path.join(root, 'firefox');
  let r = spawnSync('cp', ['-al', home, copy]);
  if (r.status !== 0) {
    // hard links cannot cross file systems (a separate /tmp): a real copy then (~250 MB, a few seconds)
    rmSync(copy, { recursive: true, force: true });
    r = spawnSync('cp', ['-a', home, copy]);
  }
  if (r.status !== 0) throw new Error(`copying ${home} failed: ${r.stderr.toString()}`);
  const dist = path.join(copy, 'distribution');
  // Debian links distribution/ to a shared folder: the copy gets a real one (with the same contents)
  if (lstatSync(dist, { throwIfNoEntry: false })?.isSymbolicLink()) {
    const target = realpathSync(path.join(home, 'distribution'));
    unlinkSync(dist);
    cpSync(target, dist, { recursive: true, dereference: true });
  }
  mkdirSync(dist, { recursive: true });
  // other relative links (browser/defaults → ../../share/…) would point nowhere from the copy
  for (const sub of ['', 'browser']) {
    for (const name of readdirSync(path.join(copy, sub))) {
      const p = path.join(copy, sub, name);
      if (!lstatSync(p).isSymbolicLink()) continue;
      const target = readlinkSync(p);
      if (path.isAbsolute(target)) continue;
      unlinkSync(p);
      symlinkSync(path.resolve(path.join(home, sub), target), p);
    }
  }
  const file = path.join(dist, 'policies.json');
  // a fresh file (rm first): writing through a hard link would change the real install
  const write = (p: object) => {
    rmSync(file, { force: true });
    writeFileSync(file, JSON.stringify({ policies: { '3rdparty': { Extensions: { [FIREFOX_ID]: p } } } }, null, 2));
  };
  write(policy);
  const exe = path.join(copy, path.basename(realpathSync(browserPath('firefox'))));
  if (!existsSync(exe)) throw new Error(`no firefox binary in ${copy}`);
  return { executablePath: exe, write, remove: () => rmSync(root, { recursive: true, force: true }) };
}
