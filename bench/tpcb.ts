import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../apps/server/src/platform/database.ts';
import { closedLoop, type RunResult } from './load.ts';

/** pgbench's scale 1: one branch, 10 tellers, 100 000 accounts. */
const TELLERS = 10;
const ACCOUNTS = 100_000;

/**
 * pgbench's built-in `tpcb-like` transaction run in this process through Kysely on the platform's own
 * database handle (so on PGlite too): update an account, read it back, update its teller and branch,
 * insert a history row — five statements in one transaction, as `pgbench -b tpcb-like` does.
 */
export async function runTpcbInProcess(db: Db, spec: { warmup: number; requests: number; concurrency: number }): Promise<RunResult> {
  await sql`create table bench_branches (bid int primary key, bbalance int not null, filler char(88))`.execute(db);
  await sql`create table bench_tellers (tid int primary key, bid int not null, tbalance int not null, filler char(84))`.execute(db);
  await sql`create table bench_accounts (aid int primary key, bid int not null, abalance int not null, filler char(84))`.execute(db);
  await sql`create table bench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22))`.execute(db);
  await sql`insert into bench_branches values (1, 0, '')`.execute(db);
  await sql`insert into bench_tellers select g, 1, 0, '' from generate_series(1, ${TELLERS}) g`.execute(db);
  await sql`insert into bench_accounts select g, 1, 0, '' from generate_series(1, ${ACCOUNTS}) g`.execute(db);
  const once = async (): Promise<number> => {
    const t0 = performance.now();
    const aid = randomInt(1, ACCOUNTS + 1);
    const tid = randomInt(1, TELLERS + 1);
    const delta = randomInt(-5000, 5001);
    await db.transaction().execute(async (tx) => {
      await sql`update bench_accounts set abalance = abalance + ${delta} where aid = ${aid}`.execute(tx);
      await sql`select abalance from bench_accounts where aid = ${aid}`.execute(tx);
      await sql`update bench_tellers set tbalance = tbalance + ${delta} where tid = ${tid}`.execute(tx);
      await sql`update bench_branches set bbalance = bbalance + ${delta} where bid = 1`.execute(tx);
      await sql`insert into bench_history (tid, bid, aid, delta, mtime) values (${tid}, 1, ${aid}, ${delta}, current_timestamp)`.execute(tx);
    });
    return performance.now() - t0;
  };
  if (spec.warmup > 0) await closedLoop(spec.warmup, spec.concurrency, once);
  return closedLoop(spec.requests, spec.concurrency, once);
}

export interface PgbenchResult {
  tps: number;
  clients: number;
  seconds: number;
  /** pgbench's own latency average, ms. */
  latencyAvgMs: number | null;
  command: string;
}

/**
 * The real `pgbench -b tpcb-like` against the same PostgreSQL, in a schema of its own (dropped after):
 * `pgbench -i -s 1`, then a timed run with `clients` connections and 2 threads.
 */
export function runPgbench(url: string, opts: { clients: number; seconds: number }): PgbenchResult {
  const schema = `bench_pgbench_${randomBytes(4).toString('hex')}`;
  const env = { ...process.env, PGOPTIONS: `-c search_path=${schema}` };
  const psql = (q: string) => {
    const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qc', q], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`psql failed: ${r.stderr || r.error?.message}`);
  };
  psql(`create schema ${schema}`);
  try {
    const init = spawnSync('pgbench', ['-i', '-s', '1', '-q', url], { env, encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr || init.error?.message}`);
    const args = ['-b', 'tpcb-like', '-c', String(opts.clients), '-j', '2', '-T', String(opts.seconds), url];
    const run = spawnSync('pgbench', args, { env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`pgbench failed: ${run.stderr || run.error?.message}`);
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(run.stdout) ?? /tps = ([\d.]+)/.exec(run.stdout);
    if (!tps?.[1]) throw new Error(`pgbench printed no tps:\n${run.stdout}`);
    const lat = /latency average = ([\d.]+) ms/.exec(run.stdout);
    return { tps: Number(tps[1]), clients: opts.clients, seconds: opts.seconds, latencyAvgMs: lat?.[1] ? Number(lat[1]) : null, command: `pgbench ${args.slice(0, -1).join(' ')}` };
  } finally {
    psql(`drop schema ${schema} cascade`);
  }
}
