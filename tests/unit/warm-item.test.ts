import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from 'wxt/utils/storage';
import { WarmItem } from '../../lib/util/warm-item';
import { createPoliciesItem, PolicyStore } from '../../lib/policy/store';
import { Settings } from '../../lib/background/settings';

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
});

/** A real WXT item over fake storage, counting reads. */
function counted<T>(key: `local:${string}`, fallback: T) {
  const item = storage.defineItem<T>(key, { fallback });
  const reads = { n: 0 };
  const wrapped = {
    key: item.key,
    getValue: () => {
      reads.n++;
      return item.getValue();
    },
    setValue: (v: T) => item.setValue(v),
  };
  return { item: wrapped, reads };
}

describe('WarmItem', () => {
  it('reads storage once, then answers from memory; its own write keeps memory warm', async () => {
    const { item, reads } = counted('local:w1', { n: 1 });
    const w = new WarmItem(item);
    expect(await w.get()).toEqual({ n: 1 });
    expect(await w.get()).toEqual({ n: 1 });
    expect(reads.n).toBe(1);
    await w.set({ n: 2 });
    expect(await w.get()).toEqual({ n: 2 });
    expect(reads.n).toBe(1);
    expect(await fakeBrowser.storage.local.get('w1')).toEqual({ w1: { n: 2 } });
  });

  it('a change written by another context is seen by the next read', async () => {
    const { item, reads } = counted('local:w2', { n: 1 });
    const w = new WarmItem(item);
    await w.get();
    await fakeBrowser.storage.local.set({ w2: { n: 7 } });
    expect(await w.get()).toEqual({ n: 7 });
    expect(reads.n).toBe(2);
  });

  it('a write storage refused leaves memory not ahead of storage', async () => {
    const { item } = counted('local:w3', { n: 1 });
    const w = new WarmItem({ ...item, setValue: () => Promise.reject(new Error('QUOTA_BYTES quota exceeded')) });
    await w.get();
    await expect(w.set({ n: 9 })).rejects.toThrow(/quota/);
    expect(await w.get()).toEqual({ n: 1 });
  });

  it('a read that overlapped a reported change does not keep its older value', async () => {
    const { item, reads } = counted('local:w4', { n: 1 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let first = true;
    const slow = {
      ...item,
      getValue: async () => {
        const v = await item.getValue(); // reads the old value …
        if (first) {
          first = false;
          await gate; // … and answers only after another context changed storage
        }
        return v;
      },
    };
    const w = new WarmItem(slow);
    const pending = w.get();
    await new Promise((r) => setTimeout(r, 0));
    await fakeBrowser.storage.local.set({ w4: { n: 5 } });
    release();
    expect(await pending).toEqual({ n: 1 });
    expect(await w.get()).toEqual({ n: 5 });
    expect(reads.n).toBe(2);
  });

  it('hands out copies: a caller mutating its result does not change memory', async () => {
    const { item } = counted('local:w5', { list: [1] });
    const w = new WarmItem(item);
    (await w.get()).list.push(2);
    expect(await w.get()).toEqual({ list: [1] });
  });

  it('drops memory when the storage event source was reset (its listener is gone)', async () => {
    const { item } = counted('local:w6', { n: 1 });
    const w = new WarmItem(item);
    await w.get();
    fakeBrowser.reset(); // clears storage silently and removes every listener
    await fakeBrowser.storage.local.set({ w6: { n: 3 } });
    expect(await w.get()).toEqual({ n: 3 });
  });
});

describe('warm policies and settings', () => {
  const site = 'https://news.example';

  it("a site policy changed in storage by another context decides the next payment's mode", async () => {
    const store = new PolicyStore(createPoliciesItem(), () => 1);
    await store.setMode(site, 'auto');
    expect((await store.get(site))?.mode).toBe('auto');
    const raw = (await fakeBrowser.storage.local.get('policies')) as { policies: { sites: Record<string, { mode: string }> } };
    raw.policies.sites[site]!.mode = 'block';
    await fakeBrowser.storage.local.set(raw);
    expect((await store.get(site))?.mode).toBe('block');
  });

  it('a policy write storage refused is not seen by the next decision', async () => {
    const store = new PolicyStore(createPoliciesItem(), () => 1);
    await store.setMode(site, 'ask');
    const spy = vi.spyOn(fakeBrowser.storage.local, 'set').mockRejectedValueOnce(new Error('QUOTA_BYTES quota exceeded'));
    await expect(store.setMode(site, 'auto')).rejects.toThrow(/quota/);
    expect(spy).toHaveBeenCalled();
    expect((await store.get(site))?.mode).toBe('ask');
  });

  it('settings changed in storage elsewhere: the activation decision and the registry follow at once', async () => {
    const settings = new Settings();
    await settings.update({ activation: 'allowed', allowedSites: ['https://a.example'] });
    expect(await settings.siteAllowed('https://b.example')).toBe(false);
    const r1 = await settings.registry();
    expect(await settings.registry()).toBe(r1); // built once per stored value
    const raw = (await fakeBrowser.storage.local.get('settings')) as { settings: Record<string, unknown> };
    await fakeBrowser.storage.local.set({
      settings: {
        ...raw.settings,
        allowedSites: ['https://a.example', 'https://b.example'],
        playgroundTokens: [{ chainId: 31337, address: '0x5FbDB2315678afecb367f032d93F642f64180aa3', label: 'Local' }],
      },
    });
    expect(await settings.siteAllowed('https://b.example')).toBe(true);
    const r2 = await settings.registry();
    expect(r2).not.toBe(r1);
    expect(r2.lookup('eip155:31337', '0x5FbDB2315678afecb367f032d93F642f64180aa3')).toBeDefined();
    expect(r1.lookup('eip155:31337', '0x5FbDB2315678afecb367f032d93F642f64180aa3')).toBeUndefined();
  });
});
