/**
 * A storage item kept warm in memory: storage stays the durable copy, the background reads it
 * once and then answers from memory until `storage.onChanged` reports a change of the key from
 * anywhere (an extension page, another context, a test hook) — the next read then goes to
 * storage again.
 *
 * Rules that keep memory from running ahead of storage:
 *  - a write goes to storage first; memory takes the new value only after storage accepted it,
 *    and only if no change of the key was reported meanwhile (else memory is dropped);
 *  - a failed write drops memory (the next read asks storage what it really holds);
 *  - a read that overlapped a reported change answers its value but does not keep it;
 *  - a change event whose value differs from memory and from every write in flight drops
 *    memory (our own write's event keeps it).
 * Every read hands out a copy, so a caller mutating its result never changes memory.
 *
 * Serialization of read-modify-write steps stays the owner's job (PolicyStore's lock,
 * Settings' mutex): this only makes their reads cheap.
 */
import { browser } from 'wxt/browser';

/** The part of a WXT storage item this needs. */
export interface StorageItemLike<T> {
  key: string;
  getValue(): Promise<T>;
  setValue(value: T): Promise<void>;
  removeValue?(): Promise<void>;
}

type ChangeListener = (changes: Record<string, { newValue?: unknown }>, area: string) => void;

export class WarmItem<T> {
  private readonly area: string;
  private readonly name: string;
  private value: { v: T; json: string } | undefined;
  /** bumped whenever memory changes: a reported change of the key, a write (failed or not) */
  private gen = 0;
  private readonly listener: ChangeListener = (changes, area) => {
    if (area !== this.area || !(this.name in changes)) return;
    const next = changes[this.name]?.newValue;
    if (next !== undefined) {
      const json = safeJson(next);
      // our own write (its event may come before or after storage answered the write)
      if (this.writing.has(json) || json === this.value?.json) return;
    }
    this.drop();
  };
  /** JSON of writes storage has not answered yet: their change events are ours */
  private readonly writing = new Map<string, number>();
  private readonly derived = new Map<(v: T) => unknown, { gen: number; value: unknown }>();

  constructor(private readonly item: StorageItemLike<T>) {
    const i = item.key.indexOf(':');
    this.area = item.key.slice(0, i);
    this.name = item.key.slice(i + 1);
  }

  /** Memory is only trusted while the change listener is installed (a restarted or reset event source drops it). */
  private listening(): boolean {
    const ev = browser.storage?.onChanged;
    if (!ev) return false;
    if (ev.hasListener(this.listener as never)) return true;
    this.value = undefined;
    this.gen++;
    ev.addListener(this.listener as never);
    return true;
  }

  private drop(): void {
    this.value = undefined;
    this.gen++;
  }

  /** The current value (a copy). */
  async get(): Promise<T> {
    const listening = this.listening();
    if (listening && this.value) return structuredClone(this.value.v);
    const gen = this.gen;
    const v = await this.item.getValue();
    if (listening && gen === this.gen) this.value = { v: structuredClone(v), json: safeJson(v) };
    return v;
  }

  /** Write through: storage first, memory after storage accepted it. */
  set(v: T): Promise<void> {
    return this.writeVia(v, () => this.item.setValue(v));
  }

  /**
   * `set`, where `write` stores `v` under this key as part of a larger storage call (e.g. the
   * ledger's, so a record and its ticket are one write). `write` must store exactly `v`.
   */
  async writeVia(v: T, write: () => Promise<unknown>): Promise<void> {
    const listening = this.listening();
    const gen = this.gen;
    const copy = structuredClone(v);
    const json = safeJson(copy);
    this.writing.set(json, (this.writing.get(json) ?? 0) + 1);
    try {
      await write();
    } catch (e) {
      this.drop();
      throw e;
    } finally {
      const n = (this.writing.get(json) ?? 1) - 1;
      if (n > 0) this.writing.set(json, n);
      else this.writing.delete(json);
    }
    // a read that started before this write must not keep its older value: bump the generation
    const changed = gen !== this.gen;
    this.gen++;
    this.value = listening && !changed ? { v: copy, json } : undefined;
  }

  /**
   * `fn` of the current value, computed once per stored value (e.g. the trusted registry
   * built from the settings). `fn` must be pure; its result is shared, not copied.
   */
  async derive<R>(fn: (v: T) => R): Promise<R> {
    const v = await this.get();
    const hit = this.derived.get(fn);
    if (hit && hit.gen === this.gen && this.value) return hit.value as R;
    const gen = this.gen;
    const value = fn(v);
    if (this.value && gen === this.gen) this.derived.set(fn, { gen, value });
    return value;
  }

  /**
   * Remove the key. Memory is dropped before (a read meanwhile goes to storage) and again after
   * (a read that overlapped the removal is not kept): the next read takes storage's answer.
   */
  async remove(): Promise<void> {
    if (!this.item.removeValue) throw new Error(`${this.item.key} cannot be removed`);
    this.listening();
    this.drop();
    try {
      await this.item.removeValue();
    } finally {
      this.drop();
    }
  }

  /** Forget memory (tests; a caller that knows storage was changed behind the event source). */
  invalidate(): void {
    this.drop();
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'undefined';
  } catch {
    return `unserializable:${Math.random()}`;
  }
}
