/**
 * Wallet settings and the activity list (the in-extension fallback for OS notifications).
 * Owned by the background; extension pages read and change them through the router.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { ActivityDto, CustomNetworkDto, CustomTokenDto, SettingsDto, SettingsPatch } from '../messaging/contract';
import { siteKey } from '../policy/units';
import { createMutex } from '../util/mutex';
import { railOfNetwork, type EvmAsset, type TrustedAsset } from '../rails';
import { customEvmAsset } from '../rails/evm/assets';
import { SOLANA_NAMES, TRON_NAMES } from '../rails/networks';
import { createRegistry, type Registry, type UserNetwork } from '../x402';
import { WarmItem } from '../util/warm-item';

/** A token the user (or the local playground) added to the trusted table by hand. */
export type PlaygroundToken = SettingsDto['playgroundTokens'][number];
/** Fields added after the first stored version: absent in settings saved before them. */
type LaterFields = 'showTestnets' | 'customNetworks' | 'customTokens' | 'activation';
/** Settings as stored (older versions lack the later fields); `Settings.get()` fills them in. */
export type StoredSettings = Omit<SettingsDto, LaterFields> & Partial<Pick<SettingsDto, LaterFields>>;

/** Fields added later get their default here, so settings stored by older versions still load. */
const DEFAULTS: SettingsDto = {
  notifications: true,
  activation: 'all',
  allowedSites: [],
  playgroundTokens: [],
  rpcUrls: {},
  showTestnets: false,
  customNetworks: [],
  customTokens: [],
};

/**
 * Stored settings with the defaults of fields added later. Settings saved before `activation`
 * existed meant "only these sites" by a non-empty `allowedSites`: that stays their meaning.
 */
function withDefaults(stored: StoredSettings): SettingsDto {
  return { ...DEFAULTS, activation: stored.allowedSites?.length ? 'allowed' : 'all', ...stored };
}

export const MAX_CUSTOM_NETWORKS = 20;
export const MAX_CUSTOM_TOKENS = 50;

const settingsItem = storage.defineItem<StoredSettings>('local:settings', { fallback: DEFAULTS, version: 1 });
/** Read once, then from memory until storage reports a change (lib/util/warm-item.ts). */
const warmSettings = new WarmItem(settingsItem);
const activityItem = storage.defineItem<ActivityDto[]>('local:activity', { fallback: [] });
const MAX_ACTIVITY = 100;
/** the same activity line again within this time is not recorded again */
const REPEAT_MS = 3_000;

export function settingsError(message: string, code = 'invalid-settings'): Error {
  return Object.assign(new Error(message), { code });
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The playground's demo page: an http(s) URL on this machine (the playground only runs locally),
 * at most 300 characters, without credentials; '' clears it. Anything else is refused.
 */
export function validPlaygroundPage(value: unknown): string | undefined {
  if (value === '') return undefined;
  const refuse = () => settingsError('The playground page must be an http(s) address on this machine (localhost or 127.0.0.1).');
  if (typeof value !== 'string' || value.length > 300) throw refuse();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse();
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK.has(url.hostname) || url.username || url.password)
    throw refuse();
  return url.href;
}

function validSites(list: unknown): string[] {
  if (!Array.isArray(list) || list.length > 500) throw settingsError('The allowed sites must be a list of web origins.');
  return [...new Set(list.map((s) => {
    if (typeof s !== 'string' || !/^https?:\/\//i.test(s)) throw settingsError(`"${String(s)}" is not an http(s) site.`);
    return siteKey(s);
  }))];
}

/** An RPC endpoint (or explorer): an absolute http(s) URL without credentials. Returns it normalized. */
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

/** The CAIP-2 id of a custom network. */
export const customNetworkId = (n: Pick<CustomNetworkDto, 'chainId'>): string => `eip155:${n.chainId}`;

/** The trusted-table entry of a custom token (throws on a malformed one). */
export function customAsset(t: CustomTokenDto, networks: readonly CustomNetworkDto[]): EvmAsset {
  const net = networks.find((n) => n.chainId === t.chainId);
  return customEvmAsset({
    chainId: t.chainId,
    address: t.address,
    symbol: t.symbol,
    decimals: t.decimals,
    eip712: t.eip712,
    usdPegged: t.usdPegged === true,
    permit2Only: t.eip3009 === false,
    ...(net ? { networkLabel: net.name } : {}),
  });
}

/** Custom networks as the registry sees them (names and testnet flags). */
export function userNetworks(s: Pick<StoredSettings, 'customNetworks'>): UserNetwork[] {
  return (s.customNetworks ?? []).map((n) => ({ network: customNetworkId(n), name: n.name, testnet: n.testnet === true }));
}

/** Every user-added asset: playground tokens, then custom tokens. Malformed stored entries are left out. */
export function userAssets(s: Pick<StoredSettings, 'playgroundTokens' | 'customTokens' | 'customNetworks'>): TrustedAsset[] {
  const out: TrustedAsset[] = s.playgroundTokens.map(playgroundAsset);
  for (const t of s.customTokens ?? []) {
    try {
      out.push(customAsset(t, s.customNetworks ?? []));
    } catch {
      // written only by the background after checks; a damaged entry must not stop every payment
      console.warn('[x402] a stored custom token is malformed and was ignored');
    }
  }
  return out;
}

/**
 * The trusted network/asset table of these settings: the built-in assets plus the user's
 * playground and custom tokens, the custom networks' names, and the "Show test networks" setting.
 */
function buildRegistry(stored: StoredSettings): Registry {
  const s = withDefaults(stored);
  const opts = { networks: userNetworks(s), showTestnets: s.showTestnets };
  const assets = userAssets(s);
  try {
    return createRegistry(assets, opts);
  } catch {
    // A stored token that now conflicts with the built-in table (e.g. a wallet update made it
    // built-in with other facts) must not stop every payment: the built-in entry wins, the
    // conflicting user entry is left out.
    const kept: TrustedAsset[] = [];
    for (const a of assets) {
      try {
        createRegistry([...kept, a], opts);
        kept.push(a);
      } catch {
        console.warn('[x402] a stored token conflicts with a built-in one and was ignored');
      }
    }
    return createRegistry(kept, opts);
  }
}

export class Settings {
  private mutex = createMutex();

  /** The stored settings, with defaults for fields added after they were saved (e.g. rpcUrls). */
  async get(): Promise<SettingsDto> {
    return withDefaults(await warmSettings.get());
  }

  async update(patch: SettingsPatch): Promise<SettingsDto> {
    const p = patch as SettingsPatch & Partial<Pick<StoredSettings, 'customNetworks' | 'customTokens'>>;
    if (p.customNetworks !== undefined || p.customTokens !== undefined)
      throw settingsError('Custom networks and tokens are added under Networks & tokens, where the wallet checks them on chain.');
    return this.mutex(async () => {
      const next = withDefaults(await warmSettings.get());
      if (patch.notifications !== undefined) next.notifications = patch.notifications === true;
      if (patch.activation !== undefined) {
        if (patch.activation !== 'all' && patch.activation !== 'allowed')
          throw settingsError('The wallet works either on all sites or only on the sites you allow.');
        next.activation = patch.activation;
      }
      if (patch.showTestnets !== undefined) {
        if (typeof patch.showTestnets !== 'boolean') throw settingsError('"Show test networks" is on or off.');
        next.showTestnets = patch.showTestnets;
      }
      if (patch.theme !== undefined) {
        if (patch.theme !== 'system' && patch.theme !== 'light' && patch.theme !== 'dark')
          throw settingsError('The theme is System, Light or Dark.');
        next.theme = patch.theme;
      }
      if (patch.allowedSites !== undefined) next.allowedSites = validSites(patch.allowedSites);
      if (patch.playgroundPage !== undefined) {
        const page = validPlaygroundPage(patch.playgroundPage);
        if (page) next.playgroundPage = page;
        else delete next.playgroundPage;
      }
      if (patch.playgroundTokens !== undefined) {
        next.playgroundTokens = validTokens(patch.playgroundTokens);
        // together with the built-in table: a token that redefines a known one is refused here, not at the next payment
        try {
          createRegistry(next.playgroundTokens.map(playgroundAsset));
        } catch (e) {
          throw settingsError(`Playground tokens: ${(e as Error).message} (it is already a built-in token with other facts).`);
        }
        const custom = next.playgroundTokens.find((t) =>
          (next.customTokens ?? []).some((c) => t.chainId === c.chainId && t.address.toLowerCase() === c.address.toLowerCase()),
        );
        if (custom)
          throw settingsError(`Playground tokens: ${custom.address} on chain ${custom.chainId} is already one of your custom tokens (remove it there first).`);
      }
      if (patch.rpcUrls !== undefined) next.rpcUrls = validRpcUrls(patch.rpcUrls);
      await warmSettings.set(next);
      return next;
    });
  }

  /**
   * Change the stored settings with `fn` in one serialized step (custom networks and tokens,
   * whose checks on chain ran before). `fn` throws to change nothing.
   */
  async mutate(fn: (cur: SettingsDto) => SettingsDto): Promise<SettingsDto> {
    return this.mutex(async () => {
      const next = fn(withDefaults(await warmSettings.get()));
      // the whole table must still build: a user asset never redefines another one
      createRegistry(userAssets(next), { networks: userNetworks(next) });
      await warmSettings.set(next);
      return next;
    });
  }

  /**
   * The trusted network/asset table: the built-in assets plus the user's playground and custom
   * tokens, the custom networks' names, and the "Show test networks" setting.
   */
  registry(): Promise<Registry> {
    // built once per stored settings value, not per payment
    return warmSettings.derive(buildRegistry);
  }

  async siteAllowed(site: string): Promise<boolean> {
    const s = await this.get();
    return s.activation === 'all' || s.allowedSites.includes(siteKey(site));
  }

  activity(): Promise<ActivityDto[]> {
    return activityItem.getValue();
  }

  private lastLine: { text: string; at: number } | undefined;

  /** Records an activity line and, when enabled, shows an OS notification. */
  async notify(text: string, level: ActivityDto['level'] = 'info', os = true): Promise<void> {
    const fresh = await this.mutex(async () => {
      // a flood of the same event (a page sending 1,000 bad 402s a second) is one notice, not a
      // storm: the same line again within REPEAT_MS of its last occurrence is not recorded again
      const now = Date.now();
      const repeat = this.lastLine?.text === text && now - this.lastLine.at < REPEAT_MS;
      this.lastLine = { text, at: now };
      if (repeat) return false;
      const list = [...(await activityItem.getValue())]; // a copy: never the shared fallback
      list.unshift({ id: crypto.randomUUID(), at: Date.now(), level, text });
      await activityItem.setValue(list.slice(0, MAX_ACTIVITY));
      return true;
    });
    if (!fresh || !os || !(await this.get()).notifications) return;
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
