/**
 * The trust boundary in the real browsers: a web page (MAIN world) tries every way it has
 * to reach the privileged API — window.postMessage on the page channel with privileged
 * kinds, raw envelopes, privileged envelopes smuggled inside the allowed '402'/'result'
 * kinds, and the runtime API if the page has one — while the wallet is unlocked (with a
 * real approval pending) and while it is locked. Nothing may change, and nothing secret
 * may ever reach the page. The same requests from an extension page work (positive control).
 */
import { mnemonicToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CHANNEL } from '../../lib/messaging/contract';
import { DEMO_MNEMONIC } from '../fixture/network';
import type { BrowserKind, ExtensionBrowser, TestPage } from './harness';
import { isApproval, PASSWORD, PAYER, startWorld, type World } from './world';

interface Attempt {
  type: string;
  payload: unknown;
}
interface AttackResult {
  /** ids of the messages whose kind was a privileged request name (the bridge must ignore them) */
  privilegedIds: string[];
  sent: number;
  /** what happened when the page looked for a runtime API of its own */
  runtime: string;
  /** the bridge's answer to a trailing well-formed '402' report: proves it processed everything before */
  barrier: { action: string; reason?: string };
}

async function ok<T>(ext: ExtensionBrowser, type: string, payload?: unknown): Promise<T> {
  const r = await ext.call<T>(type, payload);
  if (!r.ok) throw new Error(`${type} failed: ${r.error?.code} ${r.error?.message}`);
  return r.value as T;
}

async function until(fn: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Records every window message the page receives, from anyone. */
async function installRecorder(page: TestPage): Promise<void> {
  await page.evaluate(() => {
    const w = window as any;
    w.__seen = [];
    window.addEventListener('message', (e: MessageEvent) => {
      let s: string;
      try {
        s = JSON.stringify(e.data);
      } catch {
        s = String(e.data);
      }
      w.__seen.push(s);
    });
  });
}

/** What the page received, minus the messages the test's attacker posted itself. */
const seen = (page: TestPage) =>
  page.evaluate(() => {
    const w = window as any;
    const own = new Set<string>(w.__posted ?? []);
    return (w.__seen as string[]).filter((m) => !own.has(m));
  });

/** Everything a page can try, from its MAIN world. */
function attack(page: TestPage, attempts: Attempt[], extensionId: string): Promise<AttackResult> {
  return page.evaluate(
    async (a: { channel: string; attempts: Attempt[]; extensionId: string }) => {
      const rid = () => Math.random().toString(36).slice(2, 12);
      const privilegedIds: string[] = [];
      let sent = 0;
      const w = window as any;
      w.__posted ??= [];
      const post = (m: unknown) => {
        sent++;
        w.__posted.push(JSON.stringify(m));
        window.postMessage(m, '*');
        window.postMessage(m, location.origin);
      };
      for (const { type, payload } of a.attempts) {
        const envelope = { channel: 'x402.privileged', type, payload };
        const ids = [rid(), rid(), rid()];
        privilegedIds.push(...ids);
        // the page channel with a privileged kind, in several envelope shapes
        post({ channel: a.channel, dir: 'to-ext', id: ids[0], kind: type, payload });
        post({ channel: a.channel, dir: 'to-ext', id: ids[1], kind: type, type, payload });
        post({ ...envelope, channel: a.channel, dir: 'to-ext', id: ids[2], kind: type, envelope });
        // privileged envelopes smuggled through the allowed kinds
        post({ channel: a.channel, dir: 'to-ext', id: rid(), kind: '402', payload: envelope });
        post({ channel: a.channel, dir: 'to-ext', id: rid(), kind: 'result', payload: envelope });
        post({ channel: a.channel, dir: 'to-ext', id: rid(), kind: '402', type, payload, channel2: 'x402.privileged' });
        // raw runtime envelopes, as an extension page would send them
        post(envelope);
        post({ channel: 'x402.content', type, payload });
        post({ ...envelope, dir: 'to-ext', id: rid(), kind: type });
      }
      // the test-build hooks (extension pages only)
      post({ channel: 'x402.test', type: 'test.skewClock', payload: { ms: 10 * 60_000 } });
      post({ channel: 'x402.test', type: 'test.fireAlarm', payload: { name: 'x402-autolock' } });

      // a runtime API of the page's own (none is exposed to web pages without externally_connectable)
      let runtime = 'absent';
      const rt = (globalThis as any).chrome?.runtime ?? (globalThis as any).browser?.runtime;
      if (rt && typeof rt.sendMessage === 'function') {
        try {
          const r = await rt.sendMessage(a.extensionId, { channel: 'x402.privileged', type: 'wallet.status' });
          runtime = `answered ${JSON.stringify(r)}`;
        } catch {
          runtime = 'threw';
        }
      }

      // barrier: a well-formed (but empty) report; the bridge answers it after everything above
      const bid = `barrier${rid()}`;
      const barrier = await new Promise<{ action: string; reason?: string }>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('the bridge did not answer the barrier')), 10_000);
        window.addEventListener('message', (e: MessageEvent) => {
          const d = e.data as { channel?: string; dir?: string; id?: string; answer?: { action: string; reason?: string } };
          if (d?.channel === a.channel && d.dir === 'to-page' && d.id === bid && d.answer) {
            clearTimeout(t);
            resolve(d.answer);
          }
        });
        const m = { channel: a.channel, dir: 'to-ext', id: bid, kind: '402', payload: {} };
        w.__posted.push(JSON.stringify(m));
        window.postMessage(m, location.origin);
      });
      return { privilegedIds, sent, runtime, barrier };
    },
    { channel: PAGE_CHANNEL, attempts, extensionId },
  );
}

function attempts(o: { site: string; approvalId?: string; optionIndex?: number }): Attempt[] {
  return [
    { type: 'wallet.unlock', payload: { password: PASSWORD } },
    { type: 'wallet.reveal', payload: { password: PASSWORD, what: 'mnemonic' } },
    { type: 'wallet.reveal', payload: { password: PASSWORD, what: 'privateKey' } },
    { type: 'approvals.decide', payload: { id: o.approvalId ?? 'x', decision: { kind: 'pay-once', optionIndex: o.optionIndex ?? 0 } } },
    { type: 'approvals.decide', payload: { id: o.approvalId ?? 'x', decision: { kind: 'allow', optionIndex: o.optionIndex ?? 0, period: 'day', capUsd: '1000' } } },
    { type: 'sites.save', payload: { site: o.site, mode: 'auto', paused: false, perPaymentUsd: '1000', dayUsd: '1000' } },
    { type: 'settings.update', payload: { allowedSites: ['https://evil.example'], notifications: false, playgroundTokens: [] } },
    { type: 'wallet.lock', payload: undefined },
    { type: 'wallet.setAutoLock', payload: { autoLock: { kind: 'never' } } },
    { type: 'wallet.reset', payload: { confirm: 'RESET' } },
    { type: 'history.export', payload: { format: 'json' } },
  ];
}

/** Secrets that must never appear in anything the page receives. */
function secrets(): string[] {
  const out = [DEMO_MNEMONIC, PASSWORD];
  for (const i of [0, 1]) {
    const pk = mnemonicToAccount(DEMO_MNEMONIC, { addressIndex: i }).getHdKey().privateKey!;
    const hex = Buffer.from(pk).toString('hex');
    out.push(hex, hex.toUpperCase());
  }
  // any three consecutive words of the phrase
  const words = DEMO_MNEMONIC.split(' ');
  for (let i = 0; i + 3 <= words.length; i++) out.push(words.slice(i, i + 3).join(' '));
  return out;
}

/** Checks the page's received messages: no secret, and no bridge reply to a privileged kind. */
async function checkReceived(page: TestPage, r: AttackResult): Promise<void> {
  const all = await seen(page);
  expect(all.length).toBeGreaterThan(0); // at least the bridge's answers
  const needles = secrets();
  const leaks = all.filter((m) => needles.some((n) => m.includes(n) || m.toLowerCase().includes(n.toLowerCase())));
  expect(leaks.length, 'messages to the page that contain a secret').toBe(0);
  const replies = all
    .map((m) => {
      try {
        return JSON.parse(m) as { channel?: string; dir?: string; id?: string; answer?: unknown; ack?: unknown };
      } catch {
        return null;
      }
    })
    .filter((d) => d?.channel === PAGE_CHANNEL && d.dir === 'to-page');
  // the bridge answers only '402' reports: nothing for any privileged kind
  expect(replies.filter((d) => r.privilegedIds.includes(d!.id!))).toHaveLength(0);
  // and every reply it sent is an ack or a 'pass'/'retry' answer — never a wallet value
  for (const d of replies) {
    const keys = Object.keys(d!).sort();
    expect(keys.join(',')).toMatch(/^(ack,channel,dir,id|answer,channel,dir,id)$/);
    if ('answer' in d!) expect(['pass', 'retry']).toContain((d!.answer as { action: string }).action);
  }
}

for (const kind of ['chromium', 'firefox'] as BrowserKind[]) {
  describe(`trust boundary (${kind})`, () => {
    let w: World;
    let extensionId: string;
    beforeAll(async () => {
      w = await startWorld(kind);
      extensionId = new URL(w.ext.extensionOrigin).host;
    });
    afterAll(async () => {
      await w?.close();
    });

    it('unlocked, with an approval pending: a page cannot reveal, decide, save sites, change settings or lock', async () => {
      const { net, ext } = w;
      const site = net.v2.origin;
      const settings0 = await ok<unknown>(ext, 'settings.get');
      const sites0 = await ok<unknown[]>(ext, 'sites.list');
      const status0 = await ok<{ unlocked: boolean; autoLock: unknown }>(ext, 'wallet.status');
      expect(status0.unlocked).toBe(true);
      const payer0 = await net.usdcBalance('v2', PAYER);

      const page = await ext.newPage();
      try {
        await page.goto(net.v2.url('/page'));
        await installRecorder(page);
        // a real payment request waits for the user
        await page.evaluate(() => {
          (window as any).__pay = (window as any).demo.fetchGet();
        });
        let pending: { id: string; selectedIndex: number }[] = [];
        await until(async () => (pending = await ok(ext, 'approvals.list')).length === 1, 20_000, 'the approval');
        const [approval] = pending;

        const r = await attack(page, attempts({ site, approvalId: approval!.id, optionIndex: approval!.selectedIndex }), extensionId);
        expect(r.sent).toBeGreaterThan(90);
        expect(r.runtime).toBe('absent');
        expect(r.barrier).toEqual({ action: 'pass', reason: 'malformed report', code: 'malformed' });

        // nothing changed
        expect(await ok(ext, 'settings.get')).toEqual(settings0);
        expect(await ok(ext, 'sites.list')).toEqual(sites0);
        const status1 = await ok<{ unlocked: boolean; initialized: boolean; autoLock: unknown }>(ext, 'wallet.status');
        expect(status1).toMatchObject({ initialized: true, unlocked: true, autoLock: status0.autoLock });
        expect((await ok<{ id: string }[]>(ext, 'approvals.list')).map((a) => a.id)).toEqual([approval!.id]);
        expect(await net.usdcBalance('v2', PAYER)).toBe(payer0);
        await checkReceived(page, r);

        // positive control: an extension page can do all of it
        expect(await ok(ext, 'approvals.decide', { id: approval!.id, decision: { kind: 'reject' } })).toEqual({ done: true });
        expect(((await page.evaluate(() => (window as any).__pay)) as { status: number }).status).toBe(402);
        const changed = await ok<{ allowedSites: string[] }>(ext, 'settings.update', { allowedSites: ['https://example.com'] });
        expect(changed.allowedSites).toEqual(['https://example.com']);
        expect(await ok(ext, 'settings.update', { allowedSites: (settings0 as { allowedSites: string[] }).allowedSites })).toEqual(settings0);
        const saved = await ok<{ policy: { site: string; mode: string } }>(ext, 'sites.save', { site, mode: 'auto', paused: false, dayUsd: '1' });
        expect(saved.policy).toMatchObject({ site, mode: 'auto' });
        await ok(ext, 'sites.delete', { site });
        expect(await ok(ext, 'sites.list')).toEqual(sites0);
        const revealed = await ok<{ secret: string }>(ext, 'wallet.reveal', { password: PASSWORD, what: 'mnemonic' });
        expect(revealed.secret === DEMO_MNEMONIC).toBe(true);
        // …and none of that reached the page either
        await checkReceived(page, r);
        // answered from elsewhere, the approval window shows "no longer waiting": close it
        for (const p of await ext.pages(isApproval(ext))) await p.close();
      } finally {
        await page.close();
      }
    });

    it('locked: a page posting the right password does not unlock (nor count as a guess); an extension page does', async () => {
      const { net, ext } = w;
      expect((await ok<{ unlocked: boolean }>(ext, 'wallet.lock')).unlocked).toBe(false);
      const settings0 = await ok<unknown>(ext, 'settings.get');
      const page = await ext.newPage();
      try {
        await page.goto(net.v2.url('/page'));
        await installRecorder(page);
        const r = await attack(page, attempts({ site: net.v2.origin }), extensionId);
        expect(r.barrier.action).toBe('pass');
        const s = await ok<{ unlocked: boolean; initialized: boolean; lockoutUntil?: number }>(ext, 'wallet.status');
        expect(s).toMatchObject({ initialized: true, unlocked: false });
        expect(s.lockoutUntil).toBeUndefined();
        expect(await ok(ext, 'settings.get')).toEqual(settings0);
        await checkReceived(page, r);

        // positive control
        expect((await ok<{ unlocked: boolean }>(ext, 'wallet.unlock', { password: PASSWORD })).unlocked).toBe(true);
        await checkReceived(page, r);
      } finally {
        await page.close();
      }
    });
  });
}
