/**
 * `npm run bench -- --suite relay`: the relay benchmark (consumer message → merchant push → passive reply on the
 * consumer's socket) against a bare Fastify echo route, in one process, same client, same load.
 * A throughput run at concurrency C and a latency run at concurrency 1. Reports numbers and
 * whether the targets are met; it never fails on numbers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBareEcho, runBareProxy, type RunSpec } from './bare.ts';
import type { LatencyStats, RunResult } from './load.ts';

const TARGET_RATIO = 0.5;
const TARGET_ADDED_P99_MS = 5;

const { values: flags } = parseArgs({
  options: {
    pg: { type: 'boolean', default: false },
    requests: { type: 'string', short: 'n', default: '2000' },
    concurrency: { type: 'string', short: 'c', default: '16' },
    'latency-requests': { type: 'string', short: 'l', default: '300' },
    warmup: { type: 'string', short: 'w', default: '200' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (flags.help) {
  console.log(`usage: npm run bench -- [--suite relay] [--pg] [-n requests] [-c concurrency] [-l latency-requests] [-w warmup] [--out file.json]
  --pg     the platform on PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test, in a
           schema of its own, dropped afterwards) instead of an in-memory PGlite; BENCH_DATABASE_URL alone implies --pg
  -n, -c   throughput run: requests (2000) with concurrent lanes (16)
  -l       latency run: requests one at a time (300; 0 skips it)
  -w       warm-up requests before measuring (200)
  --out    results file (default: bench/results/latest.json and a copy as bench/results/relay-<db>.json)`);
  process.exit(0);
}

const int = (name: string, v: string | undefined, min: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return n;
};
const throughputRun: RunSpec = { requests: int('requests', flags.requests, 1), concurrency: int('concurrency', flags.concurrency, 1) };
const latencyRequests = int('latency-requests', flags['latency-requests'], 0);
const runs: RunSpec[] = latencyRequests > 0 ? [throughputRun, { requests: latencyRequests, concurrency: 1 }] : [throughputRun];
const warmup = int('warmup', flags.warmup, 0);
const kind = flags.pg || process.env.BENCH_DATABASE_URL ? 'postgres' : 'pglite';
// The test harness reads DATABASE_URL when it is imported: point it at the bench database first.
if (process.env.BENCH_DATABASE_URL) process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
const { runRelay } = await import('./relay.ts');
const { TEST_POSTGRES_URL } = await import('../apps/server/src/testing/harness.ts');

const loadAtStart = os.loadavg()[0] ?? 0;
const dbLabel = kind === 'pglite' ? 'PGlite (in-memory)' : `PostgreSQL (${TEST_POSTGRES_URL.replace(/\/\/[^@/]*@/, '//')})`;
console.log(`Lianjie relay benchmark — ${dbLabel}; warm-up ${warmup}; ${os.cpus().length} CPUs (load average ${loadAtStart.toFixed(2)} before the run), Node ${process.version}`);

const started = performance.now();
const bare = await runBareEcho({ warmup, runs });
const proxy = await runBareProxy({ warmup, runs });
const relay = await runRelay({ kind, warmup, runs });

const ms = (v: number) => `${v.toFixed(2)} ms`.padStart(11);
const rate = (r: RunResult) => `${Math.round(r.throughput)}/s`;
const line = (label: string, tput: string, s: LatencyStats) => console.log(`${label.padEnd(44)}${tput.padStart(10)}${ms(s.p50)}${ms(s.p90)}${ms(s.p99)}${ms(s.max)}`);
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
const comparisons = runs.map((spec, i) => {
  const b = bare[i];
  const p = proxy[i];
  const r = relay.runs[i];
  if (!b || !p || !r) throw new Error('a run is missing');
  console.log(`\n${spec.requests} requests, concurrency ${spec.concurrency}`.padEnd(45) + `${'throughput'.padStart(10)}${'p50'.padStart(11)}${'p90'.padStart(11)}${'p99'.padStart(11)}${'max'.padStart(11)}`);
  line('bare Fastify echo (POST JSON → same JSON)', rate(b), b.latency);
  line('bare proxy (POST → stub over HTTP → reply)', rate(p), p.latency);
  line('relay, end to end', rate(r), r.latency);
  line('  send → 201 (stored, push queued)', '', r.segments.api);
  line('  send → merchant stub has the push', '', r.segments.toMerchant);
  line('  merchant reply → on consumer socket', '', r.segments.back);
  const c = {
    concurrency: spec.concurrency,
    ratio: r.throughput / b.throughput,
    ratioToProxy: r.throughput / p.throughput,
    addedP50: r.latency.p50 - b.latency.p50,
    addedP99: r.latency.p99 - b.latency.p99,
  };
  console.log(`throughput relay / bare: ${(c.ratio * 100).toFixed(1)} % (target ≥ ${TARGET_RATIO * 100} %: ${met(c.ratio >= TARGET_RATIO)}); relay / bare proxy: ${(c.ratioToProxy * 100).toFixed(1)} %`);
  console.log(`added latency: p50 +${c.addedP50.toFixed(2)} ms, p99 +${c.addedP99.toFixed(2)} ms (target added p99 ≤ ${TARGET_ADDED_P99_MS} ms: ${met(c.addedP99 <= TARGET_ADDED_P99_MS)})`);
  return { ...c, ratioMet: c.ratio >= TARGET_RATIO, addedP99Met: c.addedP99 <= TARGET_ADDED_P99_MS };
});
console.log(`\noutbox pushes: ${relay.outbox.done} done, ${relay.outbox.retried} retried, ${relay.outbox.dead} dead; bench took ${((performance.now() - started) / 1000).toFixed(1)} s`);

const result = {
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', loadAverage1mBefore: loadAtStart, node: process.version, os: `${os.platform()} ${os.release()}` },
  db: kind,
  params: { warmup, runs },
  targets: { ratio: TARGET_RATIO, addedP99Ms: TARGET_ADDED_P99_MS },
  comparisons,
  bare,
  bareProxy: proxy,
  relay,
};
const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(resultsDir, { recursive: true });
const out = flags.out ?? path.join(resultsDir, 'latest.json');
const json = `${JSON.stringify(result, null, 2)}\n`;
writeFileSync(out, json);
if (!flags.out) writeFileSync(path.join(resultsDir, `relay-${kind}.json`), json);
console.log(`results written to ${path.relative(process.cwd(), out)}`);
process.exit(0);
