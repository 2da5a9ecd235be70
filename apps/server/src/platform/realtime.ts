import type { Logger } from 'pino';
import type { DbOrTx } from './database.ts';
import type { DatabaseHandle } from './db.ts';

/** What a signed-in consumer's socket receives. */
export interface RealtimeEvent {
  type: string;
  [key: string]: unknown;
}

export interface RealtimeSocket {
  send(data: string): void;
  close(): void;
}

/** Loads the full event for a reference sent over NOTIFY (payloads are kept small). */
export type RealtimeLoader = (consumerId: string, ref: { type: string; id: string }) => Promise<RealtimeEvent | undefined>;

const CHANNEL = 'lianjie_rt';
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_INLINE_BYTES = 7000;

/**
 * Real-time fan-out between instances: publishers NOTIFY inside their transaction (delivered only
 * after commit), every instance LISTENs and pushes to the sockets it holds for that consumer.
 */
export class RealtimeHub {
  readonly #handle: DatabaseHandle;
  readonly #log: Logger;
  readonly #sockets = new Map<string, Set<RealtimeSocket>>();
  readonly #loaders = new Map<string, RealtimeLoader>();
  #unlisten: (() => Promise<void>) | undefined;

  constructor(handle: DatabaseHandle, log: Logger) {
    this.#handle = handle;
    this.#log = log;
  }

  get channel(): string {
    return `${this.#handle.schema}_${CHANNEL}`;
  }

  registerLoader(type: string, loader: RealtimeLoader): void {
    this.#loaders.set(type, loader);
  }

  async start(): Promise<void> {
    this.#unlisten = await this.#handle.listen(this.channel, (payload) => void this.#onNotify(payload));
  }

  async stop(): Promise<void> {
    await this.#unlisten?.();
    for (const set of this.#sockets.values()) for (const s of set) s.close();
    this.#sockets.clear();
  }

  /**
   * Publish an event for a consumer, in the caller's transaction. Small events travel inside the
   * NOTIFY payload (no query on the receiving side); large ones as a reference the loader resolves.
   */
  async publish(executor: DbOrTx, consumerId: string, event: RealtimeEvent, ref: { type: string; id: string }): Promise<void> {
    await this.publishMany(executor, [{ consumerId, event, ref }]);
  }

  /** Several events in one NOTIFY statement (one round trip), in the caller's transaction. */
  async publishMany(executor: DbOrTx, items: readonly { consumerId: string; event: RealtimeEvent; ref: { type: string; id: string } }[]): Promise<void> {
    const payloads = items.map(({ consumerId, event, ref }) => {
      const inline = JSON.stringify({ c: consumerId, e: event });
      return Buffer.byteLength(inline) <= MAX_INLINE_BYTES ? inline : JSON.stringify({ c: consumerId, t: ref.type, id: ref.id });
    });
    await this.#handle.notify(executor, this.channel, payloads);
  }

  attach(consumerId: string, socket: RealtimeSocket): () => void {
    let set = this.#sockets.get(consumerId);
    if (!set) this.#sockets.set(consumerId, (set = new Set()));
    set.add(socket);
    return () => {
      set.delete(socket);
      if (set.size === 0) this.#sockets.delete(consumerId);
    };
  }

  connectedCount(): number {
    let n = 0;
    for (const s of this.#sockets.values()) n += s.size;
    return n;
  }

  async #onNotify(payload: string): Promise<void> {
    try {
      const msg = JSON.parse(payload) as { c: string; e?: RealtimeEvent; t?: string; id?: string };
      const sockets = this.#sockets.get(msg.c);
      if (!sockets || sockets.size === 0) return;
      const event = msg.e ?? (msg.t && msg.id ? await this.#loaders.get(msg.t)?.(msg.c, { type: msg.t, id: msg.id }) : undefined);
      if (!event) return;
      const data = JSON.stringify(event);
      for (const s of sockets) s.send(data);
    } catch (err) {
      this.#log.warn({ err }, 'realtime notification dropped');
    }
  }
}
