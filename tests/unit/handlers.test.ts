import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ApprovalQueue } from '../../lib/background/approvals';
import { createHandlers } from '../../lib/background/handlers';
import { Settings } from '../../lib/background/settings';
import { createCustodyService } from '../../lib/custody/service';
import { Ledger } from '../../lib/ledger/ledger';
import { PolicyStore } from '../../lib/policy/store';

const PHRASE = 'test test test test test test test test test test test junk';
const USDC_LOCAL = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';

function setup() {
  const custody = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
  const policies = new PolicyStore();
  const settings = new Settings();
  const approvals = new ApprovalQueue();
  const unlocked: number[] = [];
  const h = createHandlers({ custody, ledger: new Ledger(), policies, approvals, settings, timeZone: () => 'UTC', onUnlocked: () => unlocked.push(Date.now()) });
  const sender = {} as never;
  return { h, custody, policies, settings, sender, unlocked };
}

describe('privileged handlers', () => {
  beforeEach(() => fakeBrowser.reset());

  it('a successful unlock triggers reconciliation with the chain; a wrong password does not', async () => {
    const { h, sender, unlocked } = setup();
    await h['wallet.create']({ mnemonic: PHRASE, password: 'a long enough password 1' } as never, sender);
    await h['wallet.lock'](undefined as never, sender);
    await expect(h['wallet.unlock']({ password: 'wrong password here' } as never, sender)).rejects.toBeTruthy();
    expect(unlocked).toHaveLength(0);
    await h['wallet.unlock']({ password: 'a long enough password 1' } as never, sender);
    expect(unlocked).toHaveLength(1);
  });

  it('the global daily cap is saved as the global policy, shown back in dollars, and cleared with an empty value', async () => {
    const { h, policies, sender } = setup();
    const out = await h['settings.update']({ globalDailyUsd: '2.50' } as never, sender);
    expect(out.globalDailyUsd).toBe('2.50');
    expect((await policies.getGlobal()).dailyCap).toEqual({ unit: 'usd', amount: 2_500_000n });
    const cleared = await h['settings.update']({ globalDailyUsd: '' } as never, sender);
    expect(cleared.globalDailyUsd).toBeUndefined();
    expect((await policies.getGlobal()).dailyCap).toBeUndefined();
  });

  it('a bad global cap is refused with a clear message and changes nothing', async () => {
    const { h, policies, sender } = setup();
    await h['settings.update']({ globalDailyUsd: '1' } as never, sender);
    await expect(h['settings.update']({ globalDailyUsd: '-3', notifications: false } as never, sender)).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/daily cap across all sites/i),
    });
    expect((await policies.getGlobal()).dailyCap).toEqual({ unit: 'usd', amount: 1_000_000n });
    expect((await h['settings.get'](undefined as never, sender)).notifications).toBe(true);
  });

  it('status lists the networks the wallet can pay on, playground tokens included once added', async () => {
    const { h, sender } = setup();
    const before = await h['wallet.status'](undefined as never, sender);
    expect(before.networks.length).toBeGreaterThan(3);
    expect(before.networks.some((n) => /playground/i.test(n))).toBe(false);
    await h['settings.update']({ playgroundTokens: [{ chainId: 31337, address: USDC_LOCAL, label: 'Local playground' }] } as never, sender);
    const after = await h['wallet.status'](undefined as never, sender);
    expect(after.networks).toContain('Local playground');
  });

  it('sites.save validates the site and the amounts', async () => {
    const { h, sender } = setup();
    await expect(h['sites.save']({ site: 'javascript:alert(1)', mode: 'auto', paused: false }, sender)).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(h['sites.save']({ site: 'https://a.example', mode: 'auto', paused: false, dayUsd: '1e3' }, sender)).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/daily cap/i),
    });
    const saved = await h['sites.save']({ site: 'https://a.example/some/path', mode: 'auto', paused: false, dayUsd: '1.5' }, sender);
    expect(saved.policy).toMatchObject({ site: 'https://a.example', mode: 'auto', dayUsd: '1.50' });
  });

  it('large caps come back in a form the editor can save again (no thousands separators)', async () => {
    const { h, sender } = setup();
    const saved = await h['sites.save']({ site: 'https://a.example', mode: 'auto', paused: false, monthUsd: '1500' }, sender);
    expect(saved.policy.monthUsd).toBe('1500.00');
    const again = await h['sites.save'](saved.policy, sender);
    expect(again.policy.monthUsd).toBe('1500.00');
    expect(again.usage.find((u) => u.period === 'month')?.capUsd).toBe('$1,500.00');
  });

  it('approvals.decide refuses to pay while the wallet is locked', async () => {
    const { h, custody, sender } = setup();
    await custody.importMnemonic(PHRASE, 'a long password');
    await custody.lock();
    await expect(
      h['approvals.decide']({ id: 'x', decision: { kind: 'pay-once', optionIndex: 0 } }, sender),
    ).rejects.toMatchObject({ code: 'locked' });
    // rejecting needs no unlock (and an unknown id says so)
    await expect(h['approvals.decide']({ id: 'x', decision: { kind: 'reject' } }, sender)).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('server text kept in history', () => {
  it('drops signatures, long hex and base64 blobs, and bounds the length', async () => {
    const { serverText } = await import('../../lib/background/payments');
    const sig = `0x${'ab'.repeat(65)}`;
    const blob = 'eyJ'.padEnd(300, 'A');
    const out = serverText(`transaction failed: {"signature":"${sig}","payload":"${blob}"} reverted`);
    expect(out).not.toContain('abab');
    expect(out).not.toContain('AAAA');
    expect(out).toContain('transaction failed');
    expect(serverText('x'.repeat(1000)).length).toBeLessThanOrEqual(160);
  });
});
