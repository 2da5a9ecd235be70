import type { Logger } from 'pino';
import type { DbOrTx } from './database.ts';
import type { DatabaseHandle } from './db.ts';

const CHANNEL = 'lianjie_cache';

/**
 * A small read-through cache of rows that are read on every request and rarely change (accounts,
 * sessions). Writers invalidate a key with NOTIFY in their transaction, so every instance drops it
 * after commit; a per-key version stops a read that raced with an invalidation from re-caching the old
 * value. The TTL bounds staleness should a notification ever be missed.
 */
export class SharedCache<V> {
  readonly name: string;
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #entries = new Map<string, { value: V; at: number }>();
  readonly #versions = new Map<string, number>();
  readonly #bus: CacheBus;

  constructor(bus: CacheBus, name: string, ttlMs: number, max = 10_000) {
    this.#bus = bus;
    this.name = name;
    this.#ttlMs = ttlMs;
    this.#max = max;
  }

  async getOrLoad(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const hit = this.#entries.get(key);
    if (hit && Date.now() - hit.at < this.#ttlMs) return hit.value;
    const version = this.#versions.get(key) ?? 0;
    const value = await load();
    if (value !== undefined && (this.#versions.get(key) ?? 0) === version) {
      if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
      this.#entries.set(key, { value, at: Date.now() });
    }
    return value;
  }

  /** Drops the key here now, and in every instance once the caller's transaction commits. */
  async invalidate(executor: DbOrTx, key: string): Promise<void> {
    this.evict(key);
    await this.#bus.announce(executor, this.name, key);
  }

  evict(key: string): void {
    this.#entries.delete(key);
    if (this.#versions.size >= this.#max) {
      // Forget everything rather than let the version map grow: the next reads simply load again.
      this.#entries.clear();
      this.#versions.clear();
    }
    this.#versions.set(key, (this.#versions.get(key) ?? 0) + 1);
  }
}

export class CacheBus {
  readonly #handle: DatabaseHandle;
  readonly #log: Logger;
  readonly #caches = new Map<string, SharedCache<unknown>>();
  #unlisten: (() => Promise<void>) | undefined;

  constructor(handle: DatabaseHandle, log: Logger) {
    this.#handle = handle;
    this.#log = log;
  }

  get #channel(): string {
    return `${this.#handle.schema}_${CHANNEL}`;
  }

  cache<V>(name: string, ttlMs: number): SharedCache<V> {
    const c = new SharedCache<V>(this, name, ttlMs);
    this.#caches.set(name, c as SharedCache<unknown>);
    return c;
  }

  /** Drops a key in this instance only (tests that change a cached row behind the service's back). */
  evict(name: string, key: string): void {
    this.#caches.get(name)?.evict(key);
  }

  async announce(executor: DbOrTx, name: string, key: string): Promise<void> {
    await this.#handle.notify(executor, this.#channel, JSON.stringify([name, key]));
  }

  async start(): Promise<void> {
    this.#unlisten = await this.#handle.listen(this.#channel, (payload) => {
      try {
        const [name, key] = JSON.parse(payload) as [string, string];
        this.#caches.get(name)?.evict(key);
      } catch (err) {
        this.#log.warn({ err }, 'cache invalidation dropped');
      }
    });
  }

  async stop(): Promise<void> {
    await this.#unlisten?.();
  }
}
