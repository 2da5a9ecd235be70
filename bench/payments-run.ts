/**
 * The payments benchmark: JSAPI-equivalent payments per second (create + pay + ledger + outbox, no
 * network to the merchant) as a ratio of pgbench's tpcb-like on the same database in the same run.
 * PostgreSQL (when reachable): ratio to the real `pgbench -b tpcb-like`; PGlite: ratio to the same
 * tpcb-like transaction run in this process on the same PGlite. Reports; never fails on numbers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { RunResult } from './load.ts';

const TARGET = { postgres: 0.5, pglite: 0.25 } as const;

const { values: flags } = parseArgs({
  strict: false,
  options: {
    requests: { type: 'string', short: 'n', default: '2000' },
    concurrency: { type: 'string', short: 'c', default: '16' },
    warmup: { type: 'string', short: 'w', default: '200' },
    'pin-requests': { type: 'string', default: '200' },
    'pgbench-seconds': { type: 'string', default: '15' },
    db: { type: 'string', default: 'both' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  console.log(`usage: npm run bench -- --suite payments [-n 2000] [-c 16] [-w 200] [--pin-requests 200] [--pgbench-seconds 15] [--db both|postgres|pglite]
  PostgreSQL is BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test (the platform in a schema of its own).`);
  process.exit(0);
}
const int = (name: string, v: unknown, min: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return n;
};
const spec = { requests: int('requests', flags.requests, 1), concurrency: int('concurrency', flags.concurrency, 1), warmup: int('warmup', flags.warmup, 0), pinRequests: int('pin-requests', flags['pin-requests'], 0) };
const pgbenchSeconds = int('pgbench-seconds', flags['pgbench-seconds'], 1);
if (process.env.BENCH_DATABASE_URL) process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
const { runPayments } = await import('./payments.ts');
const { runPgbench } = await import('./tpcb.ts');
const { TEST_POSTGRES_URL, POSTGRES_AVAILABLE } = await import('../apps/server/src/testing/harness.ts');

const kinds = (flags.db === 'both' ? ['postgres', 'pglite'] : [flags.db]) as ('postgres' | 'pglite')[];
console.log(`Lianjie payments benchmark — ${spec.requests} payments at concurrency ${spec.concurrency} (warm-up ${spec.warmup}); ${os.cpus().length} CPUs (load ${os.loadavg()[0]?.toFixed(2)}), Node ${process.version}`);
const rate = (r: RunResult) => `${Math.round(r.throughput)}/s`.padStart(8);
const lat = (r: RunResult) => `p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms`;
const results: Record<string, unknown> = {};
for (const kind of kinds) {
  if (kind === 'postgres' && !POSTGRES_AVAILABLE) {
    console.log(`\nPostgreSQL at ${TEST_POSTGRES_URL} is not reachable: skipped`);
    continue;
  }
  const r = await runPayments({ kind, ...spec });
  const pgbench = kind === 'postgres' ? runPgbench(TEST_POSTGRES_URL, { clients: spec.concurrency, seconds: pgbenchSeconds }) : null;
  const baseline = pgbench ? pgbench.tps : r.tpcbInProcess.throughput;
  const ratio = r.payments.throughput / baseline;
  console.log(`\n${kind === 'postgres' ? `PostgreSQL (${TEST_POSTGRES_URL.replace(/\/\/[^@/]*@/, '//')})` : 'PGlite (in-memory, in this process)'}`);
  if (pgbench) console.log(`  ${pgbench.command}`.padEnd(60) + `${`${Math.round(pgbench.tps)}/s`.padStart(8)}  latency avg ${pgbench.latencyAvgMs ?? '?'} ms`);
  console.log(`  tpcb-like in this process (Kysely, same handle)`.padEnd(60) + `${rate(r.tpcbInProcess)}  ${lat(r.tpcbInProcess)}`);
  console.log(`  payments: create + pay + ledger + outbox`.padEnd(60) + `${rate(r.payments)}  ${lat(r.payments)}`);
  if (r.paymentsWithPin) console.log(`  payments with the consumer's PIN (scrypt) checked`.padEnd(60) + `${rate(r.paymentsWithPin)}  ${lat(r.paymentsWithPin)}`);
  console.log(`  ratio payments / ${pgbench ? 'pgbench' : 'tpcb-like in process'}: ${(ratio * 100).toFixed(1)} % (target ≥ ${TARGET[kind] * 100} %: ${ratio >= TARGET[kind] ? 'met' : 'NOT met'}); payments / in-process tpcb-like: ${((r.payments.throughput / r.tpcbInProcess.throughput) * 100).toFixed(1)} %`);
  console.log(`  outbox notification rows: ${r.outboxRows}; ledger verify: ${r.ledgerClean ? 'clean' : 'NOT CLEAN'}`);
  results[kind] = { ...r, pgbench, baseline, ratio, target: TARGET[kind], met: ratio >= TARGET[kind] };
}
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(dir, { recursive: true });
const out = path.join(dir, 'payments.json');
writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), machine: { cpus: os.cpus().length, node: process.version }, spec, results }, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
console.log(`\nresults written to ${path.relative(process.cwd(), out)}`);
process.exit(0);
