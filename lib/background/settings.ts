/**
 * Wallet settings and the activity list (the in-extension fallback for OS notifications).
 * Owned by the background; extension pages read and change them through the router.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { ActivityDto, SettingsDto } from '../messaging/contract';
import { siteKey } from '../policy/units';
import { createMutex } from '../util/mutex';
import { railOfNetwork, type TrustedAsset } from '../rails';
import { SOLANA_NAMES, TRON_NAMES } from '../rails/networks';
import { createRegistry, type Registry } from '../x402';

/** A token the user (or the local playground) added to the trusted table by hand. */
export type PlaygroundToken = SettingsDto['playgroundTokens'][number];
export type StoredSettings = SettingsDto;

const DEFAULTS: StoredSettings = { notifications: true, allowedSites: [], playgroundTokens: [], rpcUrls: {} };

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

/** An RPC endpoint: an absolute http(s) URL without credentials. Returns it normalized. */
export function validRpcUrl(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw settingsError(`${what}: enter an http:// or https:// URL.`);
  const text = value.trim();
  if (text.length > 2048) throw settingsError(`${what}: the URL is too long.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw settingsError(`${what}: "${text.slice(0, 100)}" is not a URL (expected e.g. https://mainnet.base.org).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw settingsError(`${what}: only http:// and https:// URLs are allowed, not ${url.protocol}//.`);
  if (url.username || url.password) throw settingsError(`${what}: the URL must not contain a user name or password.`);
  return url.toString();
}

function validRpcUrls(map: unknown): Record<string, string> {
  if (!map || typeof map !== 'object' || Array.isArray(map)) throw settingsError('RPC endpoints must map networks to URLs.');
  const entries = Object.entries(map as Record<string, unknown>);
  if (entries.length > 50) throw settingsError('Too many RPC endpoints (at most 50).');
  const out: Record<string, string> = {};
  for (const [key, value] of entries) {
    const id = Number(key);
    const chainId = /^[1-9][0-9]{0,15}$/.test(key) && Number.isSafeInteger(id);
    const other = !chainId && key.includes(':') && railOfNetwork(key) !== undefined && !key.startsWith('eip155:');
    if (!chainId && !other)
      throw settingsError(`"${key.slice(0, 60)}" is not a chain id (a whole number like 8453) or a Solana network id (solana:…).`);
    // an empty URL keeps the wallet from asking any RPC about this network (overrides the default)
    out[key] = value === '' ? '' : validRpcUrl(value, `RPC endpoint for ${chainId ? `chain ${key}` : key}`);
  }
  return out;
}

/** The CAIP-2 network of a playground token (EVM tokens are stored by chain id). */
export function tokenNetwork(t: Pick<PlaygroundToken, 'chainId' | 'network'>): string {
  return t.network ?? `eip155:${t.chainId}`;
}

/** The trusted-table entry of a playground token (throws on a malformed one). */
export function playgroundAsset(t: PlaygroundToken): TrustedAsset {
  const network = tokenNetwork(t);
  const rail = railOfNetwork(network);
  if (!rail) throw new Error(`${network} is not a network the wallet speaks`);
  const label = t.label ?? (t.chainId !== undefined ? `Local chain ${t.chainId}` : network.startsWith('tron:') ? 'Local TRON' : 'Local Solana');
  return rail.playgroundAsset({ network, address: t.address, label });
}

function validTokens(list: unknown): PlaygroundToken[] {
  if (!Array.isArray(list) || list.length > 20) throw settingsError('Playground tokens must be a short list.');
  return list.map((t) => {
    const tok = t as Partial<PlaygroundToken>;
    const evm = tok.chainId !== undefined;
    if (typeof tok.address !== 'string' || evm === (tok.network !== undefined))
      throw settingsError('A playground token needs an address and either a chain id (EVM) or a network id (Solana).');
    if (evm && (!Number.isInteger(tok.chainId) || (tok.chainId as number) <= 0))
      throw settingsError('A playground token needs a chain id and an address.');
    if (!evm && (typeof tok.network !== 'string' || (!SOLANA_NAMES[tok.network] && !TRON_NAMES[tok.network])))
      throw settingsError(
        'A Solana playground token needs the network id of mainnet, devnet or testnet (the official Solana client builds only for those), e.g. solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1; a TRON one tron:mainnet, tron:shasta or tron:nile.',
      );
    const base = evm ? { chainId: tok.chainId as number } : { network: tok.network as string };
    let asset: TrustedAsset;
    try {
      asset = playgroundAsset({ ...base, address: tok.address });
    } catch (e) {
      throw settingsError(`Playground token ${tok.address.slice(0, 64)}: ${(e as Error).message}`);
    }
    const rpcUrl =
      tok.rpcUrl === undefined || tok.rpcUrl === '' ? undefined : validRpcUrl(tok.rpcUrl, `RPC URL of test token ${asset.address}`);
    return {
      ...base,
      address: asset.address,
      label: typeof tok.label === 'string' ? tok.label.slice(0, 60) : undefined,
      ...(rpcUrl ? { rpcUrl } : {}),
    };
  });
}

export class Settings {
  private mutex = createMutex();

  /** The stored settings, with defaults for fields added after they were saved (e.g. rpcUrls). */
  async get(): Promise<StoredSettings> {
    return { ...DEFAULTS, ...(await settingsItem.getValue()) };
  }

  async update(patch: Partial<StoredSettings>): Promise<StoredSettings> {
    return this.mutex(async () => {
      const cur = await settingsItem.getValue();
      const next: StoredSettings = { ...DEFAULTS, ...cur };
      if (patch.notifications !== undefined) next.notifications = patch.notifications === true;
      if (patch.allowedSites !== undefined) next.allowedSites = validSites(patch.allowedSites);
      if (patch.playgroundTokens !== undefined) {
        next.playgroundTokens = validTokens(patch.playgroundTokens);
        // together with the built-in table: a token that redefines a known one is refused here, not at the next payment
        try {
          createRegistry(next.playgroundTokens.map(playgroundAsset));
        } catch (e) {
          throw settingsError(`Playground tokens: ${(e as Error).message} (it is already a built-in token with other facts).`);
        }
      }
      if (patch.rpcUrls !== undefined) next.rpcUrls = validRpcUrls(patch.rpcUrls);
      await settingsItem.setValue(next);
      return next;
    });
  }

  private async trustedExtras(): Promise<TrustedAsset[]> {
    const s = await this.get();
    return s.playgroundTokens.map(playgroundAsset);
  }

  /** The trusted network/asset table: the built-in assets plus the user's playground tokens. */
  async registry(): Promise<Registry> {
    return createRegistry(await this.trustedExtras());
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
