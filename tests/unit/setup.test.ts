/**
 * `npm run setup` (scripts/browsers.ts): which browsers are missing → which command or message.
 * Pure: every fact about the machine is passed in; nothing here touches the real system except
 * `listDownloads`, which reads a temporary directory this test makes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBrowser, listDownloads, planSetup, type SystemFacts } from '../../scripts/browsers.ts';

const DL = '/home/u/.cache/x402-wallet-browsers';
function facts(over: Partial<SystemFacts> & { files?: string[] } = {}): SystemFacts {
  const files = new Set(over.files ?? []);
  return {
    osIds: ['debian'],
    isRoot: true,
    sudo: false,
    hasApt: true,
    env: {},
    downloadDir: DL,
    downloads: {},
    exists: (p) => files.has(p),
    ...over,
  };
}
const both = ['chromium', 'firefox'] as const;

describe('findBrowser', () => {
  it('uses the Debian binaries', () => {
    const f = facts({ files: ['/usr/bin/chromium', '/usr/bin/firefox-esr'] });
    expect(findBrowser('chromium', f)).toBe('/usr/bin/chromium');
    expect(findBrowser('firefox', f)).toBe('/usr/bin/firefox-esr');
  });
  it('a set env variable wins, and a wrong one is not silently replaced by the default', () => {
    const f = facts({ files: ['/usr/bin/chromium', '/opt/c/chrome'], env: { CHROMIUM_PATH: '/opt/c/chrome' } });
    expect(findBrowser('chromium', f)).toBe('/opt/c/chrome');
    expect(findBrowser('chromium', facts({ files: ['/usr/bin/chromium'], env: { CHROMIUM_PATH: '/nope' } }))).toBeUndefined();
  });
  it('falls back to a per-user download that exists', () => {
    const ff = `${DL}/firefox/linux-stable_140.5.0esr/firefox/firefox`;
    expect(findBrowser('firefox', facts({ files: [ff], downloads: { firefox: ff } }))).toBe(ff);
    expect(findBrowser('firefox', facts({ files: [], downloads: { firefox: ff } }))).toBeUndefined();
  });
});

describe('planSetup', () => {
  it('ready (no command) when both are present', () => {
    const p = planSetup([...both], facts({ files: ['/usr/bin/chromium', '/usr/bin/firefox-esr'] }));
    expect(p).toEqual({ kind: 'ready', paths: { chromium: '/usr/bin/chromium', firefox: '/usr/bin/firefox-esr' } });
  });
  it('Debian as root: apt-get update, then install only what is missing', () => {
    const p = planSetup([...both], facts({ files: ['/usr/bin/chromium'] }));
    expect(p.kind).toBe('install');
    if (p.kind !== 'install') return;
    expect(p.missing).toEqual(['firefox']);
    expect(p.commands).toEqual([
      ['apt-get', 'update', '-qq'],
      ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', 'firefox-esr'],
    ]);
    expect(p.display).toBe('apt-get update && apt-get install -y firefox-esr');
  });
  it('Debian with passwordless sudo: the same through sudo -n', () => {
    const p = planSetup([...both], facts({ isRoot: false, sudo: true }));
    expect(p.kind).toBe('install');
    if (p.kind !== 'install') return;
    expect(p.commands.every((c) => c[0] === 'sudo' && c[1] === '-n')).toBe(true);
    expect(p.commands[1]!.slice(-2)).toEqual(['chromium', 'firefox-esr']);
    expect(p.display).toBe('sudo apt-get update && sudo apt-get install -y chromium firefox-esr');
  });
  it('Debian without root or sudo: nothing runs, the exact command is printed', () => {
    const p = planSetup([...both], facts({ isRoot: false, sudo: false }));
    expect(p.kind).toBe('manual');
    if (p.kind !== 'manual') return;
    expect(p.message).toContain('sudo apt-get update && sudo apt-get install -y chromium firefox-esr');
  });
  it('Ubuntu (even as root): never apt (chromium is a snap), the user-level download is printed', () => {
    const p = planSetup([...both], facts({ osIds: ['ubuntu', 'debian'] }));
    expect(p.kind).toBe('manual');
    if (p.kind !== 'manual') return;
    expect(p.message).toContain(`npx @puppeteer/browsers install chromium@latest --path ${DL}`);
    expect(p.message).toContain(`npx @puppeteer/browsers install firefox@esr --path ${DL}`);
    expect(p.message).toContain('ppa:mozillateam/ppa');
    expect(p.message).toMatch(/snap/);
  });
  it('Ubuntu with only Firefox missing: only the Firefox download, and the PPA alternative', () => {
    const p = planSetup([...both], facts({ osIds: ['ubuntu', 'debian'], files: ['/opt/c'], env: { CHROMIUM_PATH: '/opt/c' } }));
    expect(p.kind).toBe('manual');
    if (p.kind !== 'manual') return;
    expect(p.missing).toEqual(['firefox']);
    expect(p.message).not.toContain('chromium@latest');
    expect(p.message).toContain('firefox@esr');
  });
  it('a wrong env path stops with its name, never falls through to an install', () => {
    const p = planSetup([...both], facts({ files: ['/usr/bin/firefox-esr'], env: { CHROMIUM_PATH: '/nope' } }));
    expect(p.kind).toBe('manual');
    if (p.kind === 'manual') expect(p.message).toContain('CHROMIUM_PATH=/nope does not exist');
  });
  it('the demo asks for Chromium only', () => {
    const p = planSetup(['chromium'], facts({ files: ['/usr/bin/chromium'] }));
    expect(p).toEqual({ kind: 'ready', paths: { chromium: '/usr/bin/chromium' } });
  });
  it('no apt (other distributions): the download, no apt command', () => {
    const p = planSetup([...both], facts({ osIds: ['fedora'], hasApt: false }));
    expect(p.kind).toBe('manual');
    if (p.kind === 'manual') expect(p.message).not.toContain('apt-get');
  });
});

describe('listDownloads', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'x402-setup-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('finds the executables @puppeteer/browsers lays out, newest build first; ignores half downloads', () => {
    const put = (...p: string[]) => {
      mkdirSync(path.join(dir, ...p.slice(0, -1)), { recursive: true });
      writeFileSync(path.join(dir, ...p), '');
    };
    put('firefox', 'linux-stable_128.0esr', 'firefox', 'firefox');
    put('firefox', 'linux-stable_140.5.0esr', 'firefox', 'firefox');
    put('chromium', 'linux-1500000', 'chrome-linux', 'chrome');
    mkdirSync(path.join(dir, 'chromium', 'linux-1600000'), { recursive: true }); // no binary
    expect(listDownloads(dir)).toEqual({
      firefox: path.join(dir, 'firefox', 'linux-stable_140.5.0esr', 'firefox', 'firefox'),
      chromium: path.join(dir, 'chromium', 'linux-1500000', 'chrome-linux', 'chrome'),
    });
    expect(listDownloads(path.join(dir, 'absent'))).toEqual({});
  });
});
