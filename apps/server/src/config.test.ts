import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

it('defaults: port 3000, ./data, embedded database, sandbox mode', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.dataDir, './data');
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.mode, 'sandbox');
  assert.equal(c.publicUrl, 'http://127.0.0.1:3000');
});

it('a bad value names the variable', () => {
  for (const [env, name] of [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ LIANJIE_MODE: 'prod' }, 'LIANJIE_MODE'],
  ] as const) {
    assert.throws(() => loadConfig(env), (err: unknown) => err instanceof ConfigError && err.message.includes(name), name);
  }
});

it('start-up stops with the message and exit code 2 on a bad value', () => {
  const res = spawnSync(process.execPath, [new URL('./main.ts', import.meta.url).pathname], { env: { ...process.env, PORT: 'eighty' }, encoding: 'utf8', timeout: 30_000 });
  assert.equal(res.status, 2);
  assert.match(res.stderr, /PORT/);
});
