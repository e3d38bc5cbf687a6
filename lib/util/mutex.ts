/**
 * A promise-chain mutex: critical sections run one after another, in call order, and a
 * failing section does not break the chain. `sharedMutex(key)` returns one mutex per
 * storage key for this JS realm, so every Ledger over the same key is serialized.
 */
export type Mutex = <T>(fn: () => Promise<T> | T) => Promise<T>;

export function createMutex(): Mutex {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T> | T): Promise<T> => {
    const run = tail.then(fn, fn) as Promise<T>;
    tail = run.catch(() => undefined);
    return run;
  };
}

const shared = new Map<string, Mutex>();

export function sharedMutex(key: string): Mutex {
  let m = shared.get(key);
  if (!m) {
    m = createMutex();
    shared.set(key, m);
  }
  return m;
}
