/**
 * `npm test` after the type check: every *.test.ts under apps/ and examples/ with Node's test runner.
 * Says up front whether the PostgreSQL run will happen; REQUIRE_POSTGRES=1 makes its absence fatal.
 */
import { spawn } from 'node:child_process';
import { globSync } from 'node:fs';
import pg from 'pg';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresUp(): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

const up = await postgresUp();
if (up) {
  console.log(`test: integration suites run on PGlite and on PostgreSQL at ${url}`);
} else if (process.env.REQUIRE_POSTGRES === '1') {
  console.error(`test: REQUIRE_POSTGRES=1 but PostgreSQL at ${url} is not reachable — failing`);
  process.exit(1);
} else {
  console.log(`test: PostgreSQL at ${url} is not reachable — SKIPPING the PostgreSQL run of every integration suite (PGlite only)`);
}

const args = process.argv.slice(2);
const files = args.length > 0 ? args : globSync(['apps/*/src/**/*.test.ts', 'apps/client/tests/**/*.test.ts', 'apps/console/tests/**/*.test.ts', 'examples/**/*.test.ts'], { exclude: (f) => f.includes('node_modules') }).sort();
const concurrency = process.env.TEST_CONCURRENCY ?? '3';
const child = spawn(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', ...files], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
