import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createServer, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { buildServer, createPlatform, startBackground, stopPlatform, type Platform } from '../app.ts';
import { loadConfig, type Config } from '../config.ts';
import { openDatabase, type DbKind } from '../platform/db.ts';

export const TEST_POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgReachable: Promise<boolean> | undefined;

/** Whether the test PostgreSQL answers (checked once per process, 2 s timeout). */
export function postgresReachable(): Promise<boolean> {
  pgReachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return pgReachable;
}

export interface TestEnv {
  kind: DbKind;
  /** The PostgreSQL schema (or `public` on PGlite). */
  schema: string;
  platform: Platform;
  app: FastifyInstance;
  /** Set when the suite asked for a listening server (SDK clients, callbacks). */
  baseUrl: string;
  config: Config;
}

export interface TestEnvOptions {
  /** Listen on a loopback port (for SDK clients and WebSockets). */
  listen?: boolean;
  /** Run the outbox worker and real-time hub in the background. */
  background?: boolean;
  env?: Record<string, string>;
  /** PostgreSQL only: connections in the pool (default 5; production defaults to 10). */
  poolSize?: number;
  /** PostgreSQL only: join this existing schema (a second instance of the same platform) and leave it on close. */
  schema?: string;
  /** PGlite only: a data directory on disk (durable, reopened by a later env) instead of memory. */
  pgliteDir?: string;
}

/** A port nobody listens on right now (the kernel's choice for an ephemeral bind). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh platform on its own database: an in-memory PGlite or a new PostgreSQL schema. */
export async function startTestEnv(kind: DbKind, opts: TestEnvOptions = {}): Promise<TestEnv & { close(): Promise<void> }> {
  const schema = opts.schema ?? `t_${randomBytes(6).toString('hex')}`;
  // A listening env knows its port up front, so PUBLIC_URL (QR contents, media links) is reachable.
  const port = opts.listen ? await freePort() : 0;
  const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'off', MERCHANT_REVIEW: 'off', PORT: String(port), ...opts.env });
  const handle = await openDatabase(kind === 'postgres' ? { databaseUrl: TEST_POSTGRES_URL, schema, poolSize: opts.poolSize ?? 5 } : { pgliteDir: opts.pgliteDir ?? 'memory://' });
  const platform = await createPlatform(config, { handle, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  const app = await buildServer(platform);
  let baseUrl = '';
  if (opts.listen) {
    await app.listen({ port, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  } else {
    await app.ready();
  }
  if (opts.background) await startBackground(platform);
  return {
    kind,
    schema: handle.schema,
    platform,
    app,
    baseUrl,
    config,
    async close() {
      await stopPlatform(platform, app);
      if (kind === 'postgres' && !opts.schema) {
        const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
        await c.connect();
        await c.query(`drop schema if exists ${schema} cascade`);
        await c.end();
      }
    },
  };
}

/** Checked once when the harness is imported, so suites can be skipped at definition time. */
export const POSTGRES_AVAILABLE = await postgresReachable();

/**
 * Runs a suite on PGlite and, when reachable, on PostgreSQL — each on its own database so suites
 * never collide. Without PostgreSQL the run says so; with REQUIRE_POSTGRES=1 that is a failure.
 */
export function describeOnBothDbs(name: string, suite: (env: () => TestEnv) => void, opts: TestEnvOptions = {}): void {
  for (const kind of ['pglite', 'postgres'] as const) {
    const missing = kind === 'postgres' && !POSTGRES_AVAILABLE;
    if (missing && process.env.REQUIRE_POSTGRES === '1') {
      it(`${name} [postgres]`, () => {
        throw new Error(`PostgreSQL is required (REQUIRE_POSTGRES=1) but ${TEST_POSTGRES_URL} is not reachable`);
      });
      continue;
    }
    const skip = missing ? `PostgreSQL not reachable at ${TEST_POSTGRES_URL}: skipping the PostgreSQL run` : false;
    describe(`${name} [${kind}]`, { skip }, () => {
      let env: (TestEnv & { close(): Promise<void> }) | undefined;
      before(async () => {
        env = await startTestEnv(kind, opts);
      });
      after(async () => {
        await env?.close();
      });
      suite(() => {
        if (!env) throw new Error('test environment failed to start');
        return env;
      });
    });
  }
}
