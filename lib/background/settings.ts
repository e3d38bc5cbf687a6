/**
 * Wallet settings and the activity list (the in-extension fallback for OS notifications).
 * Owned by the background; extension pages read and change them through the router.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { ActivityDto, SettingsDto } from '../messaging/contract';
import { siteKey } from '../policy/units';
import { createMutex } from '../util/mutex';
import { localPlaygroundAsset, type TrustedAsset } from '../x402';

/** A token the user (or the local playground) added to the trusted table by hand. */
export type PlaygroundToken = SettingsDto['playgroundTokens'][number];
export type StoredSettings = SettingsDto;

const DEFAULTS: StoredSettings = { notifications: true, allowedSites: [], playgroundTokens: [] };

const settingsItem = storage.defineItem<StoredSettings>('local:settings', { fallback: DEFAULTS, version: 1 });
const activityItem = storage.defineItem<ActivityDto[]>('local:activity', { fallback: [] });
const MAX_ACTIVITY = 100;

function settingsError(message: string): Error {
  return Object.assign(new Error(message), { code: 'invalid-settings' });
}

function validSites(list: unknown): string[] {
  if (!Array.isArray(list) || list.length > 500) throw settingsError('The allowed sites must be a list of web origins.');
  return [...new Set(list.map((s) => {
    if (typeof s !== 'string' || !/^https?:\/\//i.test(s)) throw settingsError(`"${String(s)}" is not an http(s) site.`);
    return siteKey(s);
  }))];
}

function validTokens(list: unknown): PlaygroundToken[] {
  if (!Array.isArray(list) || list.length > 20) throw settingsError('Playground tokens must be a short list.');
  return list.map((t) => {
    const tok = t as Partial<PlaygroundToken>;
    if (!Number.isInteger(tok.chainId) || (tok.chainId as number) <= 0 || typeof tok.address !== 'string')
      throw settingsError('A playground token needs a chain id and an address.');
    try {
      localPlaygroundAsset({ chainId: tok.chainId as number, address: tok.address });
    } catch (e) {
      throw settingsError(`Playground token ${tok.address}: ${(e as Error).message}`);
    }
    return { chainId: tok.chainId as number, address: tok.address as `0x${string}`, label: tok.label?.slice(0, 60) };
  });
}

export class Settings {
  private mutex = createMutex();

  get(): Promise<StoredSettings> {
    return settingsItem.getValue();
  }

  async update(patch: Partial<StoredSettings>): Promise<StoredSettings> {
    return this.mutex(async () => {
      const cur = await settingsItem.getValue();
      const next: StoredSettings = { ...DEFAULTS, ...cur };
      if (patch.notifications !== undefined) next.notifications = patch.notifications === true;
      if (patch.allowedSites !== undefined) next.allowedSites = validSites(patch.allowedSites);
      if (patch.playgroundTokens !== undefined) next.playgroundTokens = validTokens(patch.playgroundTokens);
      await settingsItem.setValue(next);
      return next;
    });
  }

  async trustedExtras(): Promise<TrustedAsset[]> {
    const s = await this.get();
    return s.playgroundTokens.map((t) =>
      localPlaygroundAsset({ chainId: t.chainId, address: t.address, networkLabel: t.label ?? `Local chain ${t.chainId}` }),
    );
  }

  async siteAllowed(site: string): Promise<boolean> {
    const s = await this.get();
    return s.allowedSites.length === 0 || s.allowedSites.includes(siteKey(site));
  }

  activity(): Promise<ActivityDto[]> {
    return activityItem.getValue();
  }

  /** Records an activity line and, when enabled, shows an OS notification. */
  async notify(text: string, level: ActivityDto['level'] = 'info', os = true): Promise<void> {
    await this.mutex(async () => {
      const list = await activityItem.getValue();
      list.unshift({ id: crypto.randomUUID(), at: Date.now(), level, text });
      await activityItem.setValue(list.slice(0, MAX_ACTIVITY));
    });
    if (!os || !(await this.get()).notifications) return;
    try {
      await browser.notifications.create({
        type: 'basic',
        iconUrl: browser.runtime.getURL('/icon/128.png' as '/popup.html'),
        title: 'x402 Wallet',
        message: text,
      });
    } catch {
      /* the activity list is the fallback */
    }
  }
}
