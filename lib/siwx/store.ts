/**
 * What sign-in-with-x keeps (background only; `storage.local`, key `siwx`):
 *  - per site (the tab's top-level origin): `remember` — sign in without asking next time;
 *  - per origin that asked: the nonces this wallet signed (at most 200 per origin, kept a day),
 *    so a challenge seen again is refused as a replay.
 */
import { storage } from 'wxt/utils/storage';
import { createMutex } from '../util/mutex';
import { siteKey } from '../policy/units';

interface SiwxState {
  remember: Record<string, boolean>;
  nonces: Record<string, { nonce: string; at: number }[]>;
}

const item = storage.defineItem<SiwxState>('local:siwx', { fallback: { remember: {}, nonces: {} } });
const KEEP_MS = 24 * 60 * 60_000;
const MAX_PER_ORIGIN = 200;

export class SiwxStore {
  private mutex = createMutex();

  async remember(site: string): Promise<boolean> {
    return (await item.getValue()).remember[siteKey(site)] === true;
  }

  /** sites with "remember" on */
  async remembered(): Promise<string[]> {
    return Object.keys((await item.getValue()).remember).sort();
  }

  async setRemember(site: string, on: boolean): Promise<void> {
    await this.mutex(async () => {
      const s = await item.getValue();
      if (on) s.remember[siteKey(site)] = true;
      else delete s.remember[siteKey(site)];
      await item.setValue(s);
    });
  }

  async usedNonce(origin: string, nonce: string, now = Date.now()): Promise<boolean> {
    return ((await item.getValue()).nonces[origin] ?? []).some((n) => n.nonce === nonce && n.at > now - KEEP_MS);
  }

  /**
   * Records a nonce as signed; false when it already was (two flows racing for one challenge:
   * only the first signs).
   */
  async claimNonce(origin: string, nonce: string, now = Date.now()): Promise<boolean> {
    return this.mutex(async () => {
      const s = await item.getValue();
      const list = (s.nonces[origin] ?? []).filter((n) => n.at > now - KEEP_MS);
      if (list.some((n) => n.nonce === nonce)) return false;
      list.push({ nonce, at: now });
      s.nonces[origin] = list.slice(-MAX_PER_ORIGIN);
      await item.setValue(s);
      return true;
    });
  }
}

/** The one store of this worker (one mutex for every writer). */
export const siwxStore = new SiwxStore();
