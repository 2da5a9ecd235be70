import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promises as fs } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { FileMigrationProvider, Kysely, Migrator, sql } from 'kysely';
import pg from 'pg';
import type { Database, Db, DbOrTx } from './database.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { SchemaScopedPostgresDialect } from './pg-dialect.ts';

pg.types.setTypeParser(20, (v: string) => BigInt(v));

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export type DbKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Db;
  kind: DbKind;
  /** Postgres schema holding our tables (per-test schemas isolate suites). */
  schema: string;
  /** Subscribe to a NOTIFY channel; returns an unsubscribe function. */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  /** NOTIFY on the given executor: inside a transaction it is delivered only after commit. */
  /** NOTIFY in the caller's transaction; several payloads go in one statement. */
  notify(executor: DbOrTx, channel: string, payload: string | readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` for an ephemeral database. */
  pgliteDir?: string;
  /** PostgreSQL only: a schema to create and use (tests). Defaults to `public`. */
  schema?: string;
  poolSize?: number;
}

/** PGlite start parameters: PGlite's defaults minus `-F` (fsync off), with fsync and synchronous commit on. */
const PGLITE_START_PARAMS = [
  '--single', '-O', '-j',
  '-c', 'search_path=public',
  '-c', 'exit_on_error=false',
  '-c', 'log_checkpoints=false',
  '-c', 'max_worker_processes=0',
  '-c', 'max_parallel_workers=0',
  '-c', 'max_parallel_workers_per_gather=0',
  '-c', 'max_parallel_maintenance_workers=0',
  '-c', 'io_method=sync',
  '-c', 'fsync=on',
  '-c', 'synchronous_commit=on',
];

export async function openDatabase(opts: OpenDatabaseOptions): Promise<DatabaseHandle> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts) : openPGlite(opts.pgliteDir ?? 'memory://');
}

async function openPGlite(dir: string): Promise<DatabaseHandle> {
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create(dir, {
    relaxedDurability: false,
    startParams: PGLITE_START_PARAMS,
    parsers: { [pgliteTypes.INT8]: (v: string) => BigInt(v) },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    schema: 'public',
    async listen(channel, handler) {
      // Run LISTEN under the dialect's lease so it never lands inside another caller's transaction.
      const unlisten = await db.connection().execute(() => pglite.listen(channel, handler));
      return async () => {
        if (!pglite.closed) await db.connection().execute(() => unlisten());
      };
    },
    async notify(executor, channel, payload) {
      await notifyAll(executor, channel, payload);
    },
    async close() {
      await db.destroy();
    },
  };
}

async function openPostgres(url: string, opts: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const schema = opts.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const options = `-c search_path=${schema}`;
  if (schema !== 'public') {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, options });
  const db = new Kysely<Database>({ dialect: new SchemaScopedPostgresDialect({ pool }, schema) });
  const listener = new PgListener(url, options);
  return {
    db,
    kind: 'postgres',
    schema,
    listen: (channel, handler) => listener.listen(channel, handler),
    async notify(executor, channel, payload) {
      await notifyAll(executor, channel, payload);
    },
    async close() {
      await listener.close();
      await db.destroy();
    },
  };
}

/** One dedicated connection for LISTEN, re-established (with its channels) if it drops. */
class PgListener {
  readonly #url: string;
  readonly #options: string;
  readonly #handlers = new Map<string, Set<(payload: string) => void>>();
  #client: pg.Client | undefined;
  #connecting: Promise<pg.Client> | undefined;
  #closed = false;

  constructor(url: string, options: string) {
    this.#url = url;
    this.#options = options;
  }

  async listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>> {
    const client = await this.#connect();
    let set = this.#handlers.get(channel);
    if (!set) {
      set = new Set();
      this.#handlers.set(channel, set);
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    }
    set.add(handler);
    return async () => {
      set.delete(handler);
      if (set.size === 0 && this.#handlers.get(channel) === set) {
        this.#handlers.delete(channel);
        if (this.#client && !this.#closed) await this.#client.query(`unlisten ${pg.escapeIdentifier(channel)}`);
      }
    };
  }

  #connect(): Promise<pg.Client> {
    if (this.#client) return Promise.resolve(this.#client);
    this.#connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.#url, options: this.#options });
      client.on('notification', (msg) => {
        for (const h of this.#handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
      });
      client.on('error', () => this.#reconnect());
      await client.connect();
      for (const channel of this.#handlers.keys()) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      this.#client = client;
      this.#connecting = undefined;
      return client;
    })();
    return this.#connecting;
  }

  #reconnect(): void {
    const old = this.#client;
    this.#client = undefined;
    old?.end().catch(() => {});
    if (this.#closed) return;
    setTimeout(() => {
      if (!this.#closed) this.#connect().catch(() => this.#reconnect());
    }, 500).unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client ?? (this.#connecting ? await this.#connecting.catch(() => undefined) : undefined);
    this.#client = undefined;
    await client?.end();
  }
}

export async function migrateToLatest(handle: DatabaseHandle): Promise<void> {
  const migrator = new Migrator({
    db: handle.db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }),
    migrationTableSchema: handle.schema,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`migration failed${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `select pg_notify(c, p1), pg_notify(c, p2), …`: one round trip for every payload. */
async function notifyAll(executor: DbOrTx, channel: string, payload: string | readonly string[]): Promise<void> {
  const payloads = typeof payload === 'string' ? [payload] : payload;
  if (payloads.length === 0) return;
  await sql`select ${sql.join(payloads.map((p) => sql`pg_notify(${channel}, ${p})`))}`.execute(executor);
}
