import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from './db.ts';

/**
 * The embedded database is durable: a child process commits a row, reports it, and is killed
 * with SIGKILL straight away; a new process opening the same data dir finds the row.
 */
const CHILD = `
import { openDatabase, migrateToLatest } from ${JSON.stringify(new URL('./db.ts', import.meta.url).href)};
import { sql } from 'kysely';
const handle = await openDatabase({ pgliteDir: process.argv[1] });
await migrateToLatest(handle);
await sql\`create table if not exists durability_probe (id text primary key)\`.execute(handle.db);
await handle.db.transaction().execute(async (tx) => { await sql\`insert into durability_probe (id) values (\${process.argv[2]})\`.execute(tx); });
process.stdout.write('committed\\n');
setInterval(() => {}, 1000);
`;

it('a row committed on PGlite before kill -9 is there after restart', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-durability-'));
  try {
    const marker = `row-${Date.now()}`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, path.join(dir, 'db'), marker], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('committed')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}`))));
    });
    await new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.on('exit', () => r())));
    assert.equal(child.signalCode, 'SIGKILL');
    const handle = await openDatabase({ pgliteDir: path.join(dir, 'db') });
    try {
      await migrateToLatest(handle);
      const rows = await sql<{ id: string }>`select id from durability_probe`.execute(handle.db);
      assert.deepEqual(rows.rows.map((r) => r.id), [marker]);
      const fsync = await sql<{ fsync: string }>`show fsync`.execute(handle.db);
      assert.equal(fsync.rows[0]?.fsync, 'on');
    } finally {
      await handle.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
