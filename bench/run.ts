/**
 * `npm run bench`: every benchmark suite, one after another, each in its own process —
 * payments (payments/s vs pgbench tpcb-like; bench/payments-run.ts) and relay (messages vs a bare
 * Fastify echo; bench/relay-run.ts) and analytics (1M events; bench/analytics.ts). `--suite payments|relay|analytics` runs one; other flags go to the suites.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const at = args.indexOf('--suite');
const only = at >= 0 ? args[at + 1] : undefined;
const rest = at >= 0 ? [...args.slice(0, at), ...args.slice(at + 2)] : args;
const suites = { payments: 'payments-run.ts', relay: 'relay-run.ts', analytics: 'analytics.ts' } as const;
if (only !== undefined && !(only in suites)) {
  console.error(`--suite must be one of: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}
let failed = false;
for (const [name, file] of Object.entries(suites)) {
  if (only !== undefined && name !== only) continue;
  console.log(`\n=== bench: ${name} ===`);
  const r = spawnSync(process.execPath, [path.join(here, file), ...rest], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
