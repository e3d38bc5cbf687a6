/**
 * Agent mode and refusal codes in the payment flow (PaymentService with the operator's policy):
 * zero-click within the policy, a hard refusal with a stable code outside it, never an approval;
 * allowed networks; every decision audited with the policy version.
 */
import { encodePaymentRequiredHeader } from '@x402/core/http';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AuditStore } from '../../lib/audit/store';
import { ApprovalQueue } from '../../lib/background/approvals';
import { createHandlers } from '../../lib/background/handlers';
import { ManagedPolicySource } from '../../lib/background/managed';
import { PaymentService } from '../../lib/background/payments';
import { Settings } from '../../lib/background/settings';
import { createCustodyService } from '../../lib/custody/service';
import { Ledger } from '../../lib/ledger/ledger';
import { PolicyStore } from '../../lib/policy/store';
import { createVault } from '../../lib/custody/vault';

const TOKEN = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
const PAY_TO = '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720';
const PHRASE = 'test test test test test test test test test test test junk';
const SITE = 'https://shop.example';

async function setup(policy: Record<string, unknown>) {
  const settings = new Settings();
  await settings.update({ playgroundTokens: [{ chainId: 31337, address: TOKEN }] });
  const custody = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
  await custody.importMnemonic(PHRASE, 'correct horse battery staple');
  const ledger = new Ledger();
  const policies = new PolicyStore();
  const approvals = new ApprovalQueue();
  const request = vi.spyOn(approvals, 'request');
  let raw = policy;
  const managed = new ManagedPolicySource(async () => raw);
  const audit = new AuditStore();
  const deps = { custody, ledger, policies, approvals, settings, managed, audit, timeZone: () => 'UTC' };
  const payments = new PaymentService({ ...deps, watch: () => undefined });
  const handlers = createHandlers(deps);
  const pay = (amount: string, path = '/api', network = 'eip155:31337') =>
    payments.pay({
      kind: 'request',
      site: SITE,
      url: `${SITE}${path}`,
      method: 'GET',
      sources: {
        header: encodePaymentRequiredHeader({
          x402Version: 2,
          resource: { url: `${SITE}${path}` },
          accepts: [{ scheme: 'exact', network, amount, asset: TOKEN, payTo: PAY_TO, maxTimeoutSeconds: 60, extra: { name: 'USD Coin', version: '2' } }],
        } as never),
      },
    });
  return {
    pay,
    request,
    audit,
    handlers,
    policies,
    setPolicy: (p: Record<string, unknown>) => {
      raw = p;
      (managed as unknown as { cache: undefined }).cache = undefined;
    },
  };
}

const POLICY = {
  version: 'ops-1',
  agentMode: true,
  sites: [{ site: SITE, mode: 'auto', perPaymentUsd: '0.05', dayUsd: '0.03' }],
};

describe('agent mode', () => {
  beforeEach(() => fakeBrowser.reset());

  it('pays within the operator caps without asking; refuses beyond them with codes; never asks', async () => {
    const t = await setup(POLICY);
    expect((await t.pay('10000')).action).toBe('retry');
    expect((await t.pay('10000', '/b')).action).toBe('retry');
    const day = await t.pay('20000', '/c');
    expect(day).toMatchObject({ action: 'pass', code: 'period-cap-day', cap: 'day' });
    expect((day as { retryAfter?: number }).retryAfter).toBeGreaterThan(0);
    expect((day as { reason: string }).reason).toMatch(/Agent mode/);
    expect(await t.pay('60000', '/d')).toMatchObject({ action: 'pass', code: 'over-per-payment-cap', cap: 'per-payment' });
    expect(t.request).not.toHaveBeenCalled();
    const log = await t.audit.list();
    expect(log.map((r) => [r.outcome, r.code, r.policyVersion, r.agentMode])).toEqual([
      ['paid', 'paid', 'ops-1', true],
      ['paid', 'paid', 'ops-1', true],
      ['refused', 'period-cap-day', 'ops-1', true],
      ['refused', 'over-per-payment-cap', 'ops-1', true],
    ]);
    expect(log[0]).toMatchObject({ by: 'auto', amount: '10000', network: 'eip155:31337', site: SITE, resource: `${SITE}/api` });
  });

  it('a site without an operator budget is refused (no-budget), not asked', async () => {
    const t = await setup({ agentMode: true });
    expect(await t.pay('10000')).toMatchObject({ action: 'pass', code: 'no-budget' });
    expect(t.request).not.toHaveBeenCalled();
    expect((await t.audit.list())[0]!.policyVersion).toMatch(/^sha256:/);
  });

  it('an operator block refuses with blocked; a network outside allowedNetworks is refused unsigned', async () => {
    const t = await setup({ agentMode: true, sites: [{ site: SITE, mode: 'block' }] });
    expect(await t.pay('10000')).toMatchObject({ code: 'blocked' });
    t.setPolicy({ ...POLICY, allowedNetworks: ['eip155:8453'] });
    expect(await t.pay('10000')).toMatchObject({ code: 'network-not-allowed' });
  });

  it('a policy change applies to the next decision', async () => {
    const t = await setup(POLICY);
    expect(await t.pay('40000')).toMatchObject({ code: 'period-cap-day' });
    t.setPolicy({ ...POLICY, version: 'ops-2', sites: [{ site: SITE, mode: 'auto', perPaymentUsd: '0.05', dayUsd: '1' }] });
    expect((await t.pay('40000')).action).toBe('retry');
    expect((await t.audit.list()).map((r) => r.policyVersion)).toEqual(['ops-1', 'ops-2']);
  });

  it('without agent mode the same miss asks the user (and is audited as asked)', async () => {
    const t = await setup({ ...POLICY, agentMode: false });
    t.request.mockResolvedValue({ kind: 'reject', why: 'rejected' } as never);
    expect(await t.pay('40000')).toMatchObject({ code: 'user-rejected' });
    expect(t.request).toHaveBeenCalledTimes(1);
    expect((await t.audit.list()).map((r) => [r.outcome, r.by, r.code])).toEqual([
      ['asked', 'user', 'period-cap-day'],
      ['refused', 'user', 'user-rejected'],
    ]);
  });

  it('the user cannot loosen a managed cap through the privileged API; tightening is accepted and applies', async () => {
    const t = await setup({ ...POLICY, globalDailyUsd: '1.00' });
    const s = {} as never;
    await expect(t.handlers['sites.save']({ site: SITE, mode: 'auto', paused: false, perPaymentUsd: '0.05', dayUsd: '5.00' }, s)).rejects.toMatchObject({ code: 'managed' });
    await expect(t.handlers['sites.save']({ site: SITE, mode: 'auto', paused: false, dayUsd: '0.03' }, s)).rejects.toMatchObject({ code: 'managed' });
    await expect(t.handlers['sites.delete']({ site: SITE }, s)).rejects.toMatchObject({ code: 'managed' });
    await expect(t.handlers['settings.update']({ globalDailyUsd: '2.00' }, s)).rejects.toMatchObject({ code: 'managed' });
    await expect(t.handlers['settings.update']({ globalDailyUsd: '' }, s)).rejects.toMatchObject({ code: 'managed' });
    expect(await t.policies.get(SITE)).toBeUndefined();
    const saved = await t.handlers['sites.save']({ site: SITE, mode: 'auto', paused: false, perPaymentUsd: '0.05', dayUsd: '0.01' }, s);
    expect(saved.policy.dayUsd).toBe('0.01');
    expect(saved.managed).toEqual(['mode', 'perPaymentUsd', 'dayUsd']);
    expect((await t.pay('20000')).action).toBe('pass');
    const list = await t.handlers['sites.list'](undefined as never, s);
    expect(list.map((x) => x.policy.site)).toEqual([SITE]);
    const m = await t.handlers['managed.get'](undefined as never, s);
    expect(m).toMatchObject({ active: true, version: 'ops-1', agentMode: true, globalDailyUsd: '1.00' });
  });

  it('operator auto-lock and notifications cannot be changed by the user', async () => {
    const t = await setup({ ...POLICY, autoLockMinutes: 0, notifications: false });
    const s = {} as never;
    await expect(t.handlers['wallet.setAutoLock']({ autoLock: { kind: 'minutes', minutes: 5 } }, s)).rejects.toMatchObject({ code: 'managed' });
    expect((await t.handlers['wallet.setAutoLock']({ autoLock: { kind: 'never' } }, s)).autoLock).toEqual({ kind: 'never' });
    await expect(t.handlers['settings.update']({ notifications: true }, s)).rejects.toMatchObject({ code: 'managed' });
    expect((await t.handlers['settings.update']({ notifications: false }, s)).notifications).toBe(false);
  });

  it('a provisioned keystore becomes the wallet on the first unlock with the operator’s password; a wrong one changes nothing', async () => {
    const custody = createCustodyService({ vaultPolicy: { iterations: 2_000, minIterations: 1_000 } });
    const record = (await createVault({ kind: 'mnemonic', phrase: PHRASE }, 'operator secret pw 42', { iterations: 2_000, minIterations: 1_000 })).record;
    const managed = new ManagedPolicySource(async () => ({ agentMode: true, keystore: JSON.stringify(record) }));
    const h = createHandlers({ custody, ledger: new Ledger(), policies: new PolicyStore(), approvals: new ApprovalQueue(), settings: new Settings(), managed, timeZone: () => 'UTC' });
    const s = {} as never;
    await expect(h['wallet.unlock']({ password: 'wrong password 1234' }, s)).rejects.toMatchObject({ code: 'wrong-password' });
    expect((await custody.status()).initialized).toBe(false);
    const st = await h['wallet.unlock']({ password: 'operator secret pw 42' }, s);
    expect(st).toMatchObject({ initialized: true, unlocked: true, activeAddress: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266' });
    // never shown: managed.get says only that there is one
    const m = await h['managed.get'](undefined as never, s);
    expect(m.keystore).toBe(true);
    expect(record.kdf.salt.length).toBeGreaterThan(10);
    expect(JSON.stringify(m)).not.toContain(record.kdf.salt);
    expect(JSON.stringify(m)).not.toMatch(/"kdf"|"salt"/);
    // later unlocks are ordinary ones
    await h['wallet.lock'](undefined as never, s);
    expect((await h['wallet.unlock']({ password: 'operator secret pw 42' }, s)).unlocked).toBe(true);
  });

  it('a keystore that is not JSON is reported and ignored', async () => {
    const m = await new ManagedPolicySource(async () => ({ keystore: '{not json' })).get();
    expect(m!.keystore).toBeUndefined();
    expect(m!.errors.join()).toMatch(/keystore/);
  });

  it('audit export over the privileged API', async () => {
    const t = await setup(POLICY);
    await t.pay('10000');
    await t.pay('60000', '/x');
    const s = {} as never;
    const jsonl = await t.handlers['audit.export']({ format: 'jsonl' }, s);
    expect(jsonl.count).toBe(2);
    expect(jsonl.text.trim().split('\n').map((l) => JSON.parse(l).code)).toEqual(['paid', 'over-per-payment-cap']);
    const csv = await t.handlers['audit.export']({ format: 'csv' }, s);
    expect(csv.text.split('\r\n')[0]).toMatch(/^seq,time,outcome/);
    await expect(t.handlers['audit.export']({ format: 'xml' } as never, s)).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});
