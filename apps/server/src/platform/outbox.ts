import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { DbOrTx, Tx } from './database.ts';
import type { DatabaseHandle } from './db.ts';
import './outbox-tables.ts';

/** A row as a handler sees it. */
export interface OutboxRow {
  id: bigint;
  kind: string;
  tenantId: string | null;
  payload: unknown;
  attempts: number;
}

export interface AttemptRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface DeliveryOutcome {
  ok: boolean;
  request: AttemptRequest;
  responseStatus?: number;
  responseBody?: string;
  error?: string;
  /** false: a permanent failure, do not retry. */
  retryable?: boolean;
  /** Runs in the same transaction that marks the row done (idempotent follow-up work). */
  onSuccess?: (tx: Tx) => Promise<void>;
}

export interface OutboxHandler {
  kind: string;
  /** Delay in ms before attempt n+2 after attempt n+1 failed; attempts = schedule.length + 1. */
  schedule: readonly number[];
  deliver(row: OutboxRow): Promise<DeliveryOutcome>;
  /** Runs in the transaction that marks the row dead after its last attempt. */
  onDead?(tx: Tx, row: OutboxRow, lastError: string): Promise<void>;
}

export interface Enqueue {
  kind: string;
  tenantId: string | null;
  payload: unknown;
  dedupeKey?: string;
  /** Rows with the same key are delivered one at a time, in insertion order (e.g. one consumer's thread). */
  orderingKey?: string;
  runAt?: Date;
}


/** Writes outbox rows inside the caller's transaction; nothing leaves the process before commit. */
export async function enqueue(tx: DbOrTx, item: Enqueue): Promise<bigint | undefined> {
  const row = await tx
    .insertInto('outbox')
    .values({
      kind: item.kind,
      tenant_id: item.tenantId,
      payload: JSON.stringify(item.payload),
      dedupe_key: item.dedupeKey ?? null,
      ordering_key: item.orderingKey ?? null,
      next_attempt_at: item.runAt ?? new Date(),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

const LEASE_MS = 60_000;
const MAX_BODY_LOG = 64 * 1024;

/**
 * Delivers outbox rows. Safe to run in every instance: rows are claimed with FOR UPDATE SKIP LOCKED
 * and a lease, so a crashed worker's rows become due again when the lease expires.
 */
export class OutboxWorker {
  readonly #handle: DatabaseHandle;
  readonly #handlers = new Map<string, OutboxHandler>();
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #stopped = true;
  #wake = false;
  readonly #inflight = new Set<Promise<void>>();
  readonly pollMs: number;

  constructor(handle: DatabaseHandle, log: Logger, pollMs = 1000) {
    this.#handle = handle;
    this.#log = log;
    this.pollMs = pollMs;
  }

  register(handler: OutboxHandler): void {
    this.#handlers.set(handler.kind, handler);
  }

  async start(): Promise<void> {
    this.#stopped = false;
    this.poke();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await Promise.allSettled([...this.#inflight]);
  }

  /** Try to deliver specific rows right away (after their transaction committed). */
  kick(ids: readonly (bigint | undefined)[]): void {
    const wanted = ids.filter((i): i is bigint => i !== undefined);
    if (wanted.length === 0 || this.#stopped) return;
    this.#track(this.#claimAndRun(wanted).then(() => undefined));
  }

  poke(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#wake = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#loop(), 0);
  }

  /** Deliver everything due now, repeatedly, until nothing is due (tests and CLI). */
  async drain(maxRounds = 100): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      await Promise.allSettled([...this.#inflight]);
      const n = await this.#claimAndRun();
      total += n;
      if (n === 0 && this.#inflight.size === 0) break;
    }
    return total;
  }

  /**
   * Waits until none of these rows is pending (done or dead) or the timeout passes, polling every
   * ~20 ms; returns their state. A stopped worker (tests, CLI) is drained instead of waited on.
   */
  async waitFor(ids: readonly (bigint | undefined)[], timeoutMs = 20_000): Promise<OutboxRowState[]> {
    const wanted = ids.filter((i): i is bigint => i !== undefined);
    if (wanted.length === 0) return [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.#stopped) await this.drain();
      const rows = await this.#handle.db
        .selectFrom('outbox')
        .select(['id', 'status', 'attempts', 'last_error'])
        .where('id', 'in', wanted)
        .orderBy('id')
        .execute();
      if (rows.every((r) => r.status !== 'pending') || Date.now() >= deadline) {
        return rows.map((r) => ({ id: r.id, status: r.status, attempts: r.attempts, lastError: r.last_error }));
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async #loop(): Promise<void> {
    this.#running = true;
    try {
      do {
        this.#wake = false;
        while (!this.#stopped && (await this.#claimTracked()) > 0) {
          /* keep going while rows are due */
        }
      } while (this.#wake && !this.#stopped);
    } catch (err) {
      this.#log.error({ err }, 'outbox loop failed');
    } finally {
      this.#running = false;
      if (!this.#stopped) this.#timer = setTimeout(() => this.#loop(), this.pollMs);
    }
  }

  /** A claim-and-deliver round that `drain()` waits for, so a test never races the background loop. */
  #claimTracked(): Promise<number> {
    const run = this.#claimAndRun();
    this.#track(run.then(() => undefined, () => undefined));
    return run;
  }

  #track(p: Promise<void>): void {
    this.#inflight.add(p);
    void p.finally(() => this.#inflight.delete(p));
  }

  async #claimAndRun(ids?: readonly bigint[]): Promise<number> {
    const kinds = [...this.#handlers.keys()];
    if (kinds.length === 0) return 0;
    const leaseUntil = new Date(Date.now() + LEASE_MS);
    const rows = await this.#handle.db
      .updateTable('outbox')
      .set({ locked_until: leaseUntil })
      .where('id', 'in', (qb) => {
        let q = qb
          .selectFrom('outbox')
          .select('id')
          .where('status', '=', 'pending')
          .where('kind', 'in', kinds)
          .where('next_attempt_at', '<=', sql<Date>`now()`)
          .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
          .where(({ eb, or, not, exists, selectFrom }) =>
            or([
              eb('outbox.ordering_key', 'is', null),
              not(
                exists(
                  selectFrom('outbox as earlier')
                    .select('earlier.id')
                    .whereRef('earlier.ordering_key', '=', 'outbox.ordering_key')
                    .whereRef('earlier.id', '<', 'outbox.id')
                    .where('earlier.status', '=', 'pending'),
                ),
              ),
            ]),
          );
        if (ids) q = q.where('id', 'in', ids);
        return q.orderBy('next_attempt_at').limit(16).forUpdate().skipLocked();
      })
      .returningAll()
      .execute();
    await Promise.all(rows.map((r) => this.#deliver(r)));
    return rows.length;
  }

  async #deliver(r: RowShape): Promise<void> {
    const handler = this.#handlers.get(r.kind);
    if (!handler) return;
    const row: OutboxRow = { id: r.id, kind: r.kind, tenantId: r.tenant_id, payload: r.payload, attempts: r.attempts };
    const attempt = r.attempts + 1;
    const started = performance.now();
    let outcome: DeliveryOutcome;
    try {
      outcome = await handler.deliver(row);
    } catch (err) {
      outcome = { ok: false, request: { method: 'INTERNAL', url: r.kind }, error: err instanceof Error ? err.message : String(err) };
    }
    const latency = Math.round(performance.now() - started);
    const exhausted = attempt > handler.schedule.length || outcome.retryable === false;
    try {
      await this.#handle.db.transaction().execute(async (tx) => {
        // Losing this commit in a crash only means the row is delivered again when its lease ends
        // (at least once, and follow-up work is idempotent), so it need not wait for the WAL flush
        // (PGlite has no flush to wait for).
        if (this.#handle.kind === 'postgres') await sql`set local synchronous_commit = off`.execute(tx);
        await tx
          .insertInto('delivery_attempts')
          .values({
            outbox_id: r.id,
            tenant_id: r.tenant_id,
            kind: r.kind,
            attempt,
            request: JSON.stringify(outcome.request),
            response_status: outcome.responseStatus ?? null,
            response_body: outcome.responseBody?.slice(0, MAX_BODY_LOG) ?? null,
            latency_ms: latency,
            outcome: outcome.ok ? 'success' : 'failure',
            error: outcome.error ?? null,
          })
          .execute();
        if (outcome.ok) {
          await outcome.onSuccess?.(tx);
          await tx
            .updateTable('outbox')
            .set({ status: 'done', attempts: attempt, locked_until: null, finished_at: new Date(), last_error: null })
            .where('id', '=', r.id)
            .execute();
        } else if (exhausted) {
          const lastError = outcome.error ?? `HTTP ${outcome.responseStatus ?? '?'}`;
          await handler.onDead?.(tx, row, lastError);
          await tx
            .updateTable('outbox')
            .set({ status: 'dead', attempts: attempt, locked_until: null, finished_at: new Date(), last_error: lastError })
            .where('id', '=', r.id)
            .execute();
        } else {
          const delay = handler.schedule[attempt - 1] ?? 0;
          await tx
            .updateTable('outbox')
            .set({
              attempts: attempt,
              locked_until: null,
              next_attempt_at: new Date(Date.now() + delay),
              last_error: outcome.error ?? `HTTP ${outcome.responseStatus ?? '?'}`,
            })
            .where('id', '=', r.id)
            .execute();
          if (delay === 0) this.poke();
          else if (delay < this.pollMs) setTimeout(() => this.poke(), delay).unref();
        }
      });
    } catch (err) {
      this.#log.error({ err, outboxId: String(r.id) }, 'recording an outbox attempt failed');
    }
  }
}

interface RowShape {
  id: bigint;
  kind: string;
  tenant_id: string | null;
  payload: unknown;
  attempts: number;
}

/** Where an outbox row stands (for callers waiting on their side effects). */
export interface OutboxRowState {
  id: bigint;
  status: 'pending' | 'done' | 'dead';
  attempts: number;
  lastError: string | null;
}
