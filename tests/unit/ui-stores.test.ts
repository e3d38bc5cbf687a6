/**
 * The UI stores against a fake background answering the privileged contract through
 * fakeBrowser's runtime messaging (the same path `call()` uses in the extension pages).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { WalletApiError } from '../../lib/messaging/client';
import type { ApprovalDto, Envelope, Result, SiteDto, WalletStatusDto } from '../../lib/messaging/contract';
import { useApprovalsStore } from '../../lib/ui/stores/approvals';
import { useHistoryStore } from '../../lib/ui/stores/history';
import { useSitesStore } from '../../lib/ui/stores/sites';
import { useWalletStore } from '../../lib/ui/stores/wallet';

type Handler = (payload: unknown) => Result<unknown>;
let handlers: Record<string, Handler>;
let calls: { type: string; payload: unknown }[];

const ok = <T>(value: T): Result<T> => ({ ok: true, value });

const status = (over: Partial<WalletStatusDto> = {}): WalletStatusDto => ({
  initialized: true,
  networks: [],
  unlocked: false,
  kind: 'mnemonic',
  accounts: [{ index: 0, name: 'Account 1', address: '0x1111111111111111111111111111111111111111' }],
  activeIndex: 0,
  autoLock: { kind: 'minutes', minutes: 15 },
  pendingApprovals: 0,
  ...over,
});

const approval = (id: string): ApprovalDto => ({
  id,
  createdAt: 0,
  expiresAt: Date.now() + 60_000,
  site: 'https://a.example',
  requestOrigin: 'https://a.example',
  resourceUrl: 'https://a.example/article',
  method: 'GET',
  kind: 'request',
  x402Version: 2,
  options: [],
  rejected: [],
  selectedIndex: 0,
});

const site = (name: string, paused = false): SiteDto => ({
  policy: { site: name, mode: 'auto', paused, dayUsd: '1.00' },
  usage: [],
  timeZone: 'UTC',
});

beforeEach(() => {
  fakeBrowser.reset();
  handlers = {};
  calls = [];
  fakeBrowser.runtime.onMessage.addListener((msg: unknown) => {
    const env = msg as Envelope;
    if (env.channel !== 'x402.privileged') return undefined;
    calls.push({ type: env.type, payload: env.payload });
    const h = handlers[env.type];
    return Promise.resolve(h ? h(env.payload) : { ok: false, error: { code: 'unknown-type', message: env.type } });
  });
  useWalletStore.setState({ status: null, error: null, loading: false });
  useApprovalsStore.setState({ items: [], loaded: false, error: null });
  useSitesStore.setState({ sites: [], loaded: false, error: null, current: null, currentError: null });
  useHistoryStore.setState({ items: [], site: '', limit: undefined, loaded: false, error: null });
});

describe('wallet store', () => {
  it('loads the status, and records a failure in error', async () => {
    handlers['wallet.status'] = () => ok(status());
    await useWalletStore.getState().load();
    expect(useWalletStore.getState().status?.initialized).toBe(true);
    expect(useWalletStore.getState().error).toBeNull();

    handlers['wallet.status'] = () => ({ ok: false, error: { code: 'storage', message: 'Storage unavailable' } });
    await useWalletStore.getState().load();
    expect(useWalletStore.getState().error).toEqual({ code: 'storage', message: 'Storage unavailable' });
    expect(useWalletStore.getState().status?.initialized).toBe(true); // last good status kept
  });

  it('unlock sends the password and stores the new status; failures throw with retryAfterMs', async () => {
    handlers['wallet.unlock'] = (p) =>
      (p as { password: string }).password === 'right password'
        ? ok(status({ unlocked: true }))
        : { ok: false, error: { code: 'bad-password', message: 'Wrong password', retryAfterMs: 2000 } };

    const err = await useWalletStore.getState().unlock('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WalletApiError);
    expect((err as WalletApiError).code).toBe('bad-password');
    expect((err as WalletApiError).retryAfterMs).toBe(2000);
    expect(useWalletStore.getState().status).toBeNull();

    await useWalletStore.getState().unlock('right password');
    expect(useWalletStore.getState().status?.unlocked).toBe(true);
    expect(calls.map((c) => c.type)).toEqual(['wallet.unlock', 'wallet.unlock']);
  });

  it('sends auto-lock and reset requests in the contract shape', async () => {
    handlers['wallet.setAutoLock'] = () => ok(status({ autoLock: { kind: 'never' } }));
    handlers['wallet.reset'] = () => ok(status({ initialized: false, accounts: [] }));
    await useWalletStore.getState().setAutoLock({ kind: 'never' });
    expect(useWalletStore.getState().status?.autoLock).toEqual({ kind: 'never' });
    await useWalletStore.getState().reset();
    expect(calls).toEqual([
      { type: 'wallet.setAutoLock', payload: { autoLock: { kind: 'never' } } },
      { type: 'wallet.reset', payload: { confirm: 'RESET' } },
    ]);
    expect(useWalletStore.getState().status?.initialized).toBe(false);
  });
});

describe('approvals store', () => {
  it('decide() sends the decision and returns the refreshed queue', async () => {
    let queue = [approval('a'), approval('b')];
    handlers['approvals.list'] = () => ok(queue);
    handlers['approvals.decide'] = (p) => {
      const { id } = p as { id: string };
      queue = queue.filter((a) => a.id !== id);
      return ok({ done: true });
    };
    await useApprovalsStore.getState().load();
    expect(useApprovalsStore.getState().items.map((a) => a.id)).toEqual(['a', 'b']);

    const rest = await useApprovalsStore.getState().decide('a', { kind: 'pay-once', optionIndex: 1 });
    expect(rest.map((a) => a.id)).toEqual(['b']);
    expect(calls.find((c) => c.type === 'approvals.decide')?.payload).toEqual({
      id: 'a',
      decision: { kind: 'pay-once', optionIndex: 1 },
    });
  });

  it('a failed decision throws and leaves the queue alone', async () => {
    useApprovalsStore.setState({ items: [approval('a')], loaded: true });
    handlers['approvals.decide'] = () => ({ ok: false, error: { code: 'expired', message: 'This request expired.' } });
    await expect(useApprovalsStore.getState().decide('a', { kind: 'reject' })).rejects.toThrow('This request expired.');
    expect(useApprovalsStore.getState().items.map((a) => a.id)).toEqual(['a']);
  });
});

describe('sites store', () => {
  it('save() merges the answer into the list and the current site', async () => {
    handlers['sites.list'] = () => ok([site('https://a.example'), site('https://b.example')]);
    handlers['sites.current'] = () => ok({ site: 'https://a.example', entry: site('https://a.example') });
    handlers['sites.save'] = (p) => ok({ ...site('x'), policy: p as SiteDto['policy'] });
    await useSitesStore.getState().load();
    await useSitesStore.getState().loadCurrent();

    await useSitesStore.getState().save({ ...site('https://a.example').policy, paused: true });
    const s = useSitesStore.getState();
    expect(s.sites.find((x) => x.policy.site === 'https://a.example')?.policy.paused).toBe(true);
    expect(s.current?.entry?.policy.paused).toBe(true);
    expect(s.sites).toHaveLength(2);

    await useSitesStore.getState().save(site('https://c.example').policy);
    expect(useSitesStore.getState().sites.map((x) => x.policy.site)).toEqual([
      'https://a.example',
      'https://b.example',
      'https://c.example',
    ]);
  });

  it('remove() deletes the site locally only after the background agreed', async () => {
    useSitesStore.setState({ sites: [site('https://a.example')], loaded: true });
    handlers['sites.delete'] = () => ({ ok: false, error: { code: 'locked', message: 'Unlock first' } });
    await expect(useSitesStore.getState().remove('https://a.example')).rejects.toThrow('Unlock first');
    expect(useSitesStore.getState().sites).toHaveLength(1);
    handlers['sites.delete'] = () => ok({ done: true });
    await useSitesStore.getState().remove('https://a.example');
    expect(useSitesStore.getState().sites).toHaveLength(0);
  });
});

describe('history store', () => {
  it('passes the site filter and limit, and remembers the filter', async () => {
    handlers['history.list'] = () => ok([]);
    await useHistoryStore.getState().load({ site: 'https://a.example', limit: 5 });
    await useHistoryStore.getState().load();
    await useHistoryStore.getState().load({ site: '' });
    expect(calls.map((c) => c.payload)).toEqual([
      { site: 'https://a.example', limit: 5 },
      { site: 'https://a.example', limit: 5 },
      { limit: 5 },
    ]);
    expect(useHistoryStore.getState().loaded).toBe(true);
  });
});
