import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describeOnBothDbs } from '../testing/harness.ts';
import { createAccount, createConsumer, createMerchant, type TestAccount } from '../testing/factories.ts';
import { startWechatMerchant, type WechatMerchant } from '../modules/simulator/testing-merchant.ts';

const CLI = fileURLToPath(new URL('./lianjie.ts', import.meta.url));
const SHIM = fileURLToPath(new URL('../../bin/lianjie.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const exec = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in a child process (the same Node that `npx node` runs) — never blocking this one. */
async function lianjie(args: string[], opts: { cwd?: string; file?: string } = {}): Promise<Run> {
  const env = { ...process.env, LIANJIE_URL: '', DATA_DIR: '' };
  try {
    const r = await exec(process.execPath, [opts.file ?? CLI, ...args], { cwd: opts.cwd ?? ROOT, env });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('lianjie CLI help', () => {
  it('documents every level with --help and exits 0', async () => {
    for (const [args, expect] of [
      [['--help'], /lianjie sim --help/],
      [['sim', '--help'], /consumer create[\s\S]*callback[\s\S]*thread/],
      [['sim', 'consumer', 'create', '-h'], /--nickname/],
      [['sim', 'event', '--help'], /scancode_push[\s\S]*location_select/],
      [['sim', 'callback', '--help'], /echostr/],
    ] as const) {
      const r = await lianjie([...args]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, expect);
    }
  });

  it('refuses unknown commands and options with exit 2', async () => {
    const unknown = await lianjie(['sim', 'dance']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command: sim dance/);
    const stray = await lianjie(['sim', 'follow', '--text', 'hi']);
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /does not take --text/);
  });

  it('is linked as `npx lianjie` through the bin shim', async () => {
    const viaShim = await lianjie(['--help'], { file: SHIM });
    assert.equal(viaShim.code, 0, viaShim.stderr);
    assert.match(viaShim.stdout, /sandbox simulator/);
    const { stdout } = await exec('npx', ['--no-install', 'lianjie', 'sim', '--help'], { cwd: ROOT });
    assert.match(stdout, /lianjie sim — the sandbox simulator/);
  });

  it('says so (exit 1) when Lianjie cannot be reached', async () => {
    const r = await lianjie(['sim', 'thread', '--consumer', '13800000000:x', '--account', 'wx1', '--url', 'http://127.0.0.1:9']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot reach Lianjie at http:\/\/127\.0\.0\.1:9/);
  });
});

describeOnBothDbs('lianjie sim against a running server', (env) => {
  let account: TestAccount;
  let merchant: WechatMerchant;
  before(async () => {
    account = await createAccount(env(), await createMerchant(env()));
    merchant = await startWechatMerchant({ token: account.token, appid: account.appid, encodingAESKey: account.encodingAESKey });
  });
  after(async () => merchant.close());
  const sim = (...args: string[]) => lianjie(['sim', ...args, '--url', env().baseUrl]);

  it('creates a consumer, sets the callback, follows, messages and taps a menu (--json)', async () => {
    const created = await sim('consumer', 'create', '--nickname', 'CLI Diner', '--json');
    assert.equal(created.code, 0, created.stderr);
    const c = JSON.parse(created.stdout) as { phone: string; password: string; nickname: string };
    assert.equal(c.nickname, 'CLI Diner');
    const who = ['--consumer', `${c.phone}:${c.password}`, '--account', account.appid, '--json'];

    const cb = await lianjie(['sim', 'callback', '--server', env().baseUrl, '--appid', account.appid, '--secret', account.appsecret, '--url', merchant.url, '--mode', 'safe', '--json']);
    assert.equal(cb.code, 0, cb.stderr);
    assert.deepEqual([JSON.parse(cb.stdout).callbackUrl, JSON.parse(cb.stdout).msgMode], [merchant.url, 'safe']);

    const followed = JSON.parse((await sim('follow', ...who)).stdout) as { replies: { content: { content: string } }[] };
    assert.deepEqual(followed.replies.map((r) => r.content.content), ['Welcome! Send "menu" for today\'s dishes.']);
    const echoed = JSON.parse((await sim('message', ...who, '--text', 'hi there')).stdout) as { replies: { content: unknown }[]; delivery: { status: string }[] };
    assert.deepEqual(echoed.replies.map((r) => r.content), [{ type: 'text', content: 'You said: hi there' }]);
    assert.deepEqual(echoed.delivery.map((d) => d.status), ['done']);
    const tapped = JSON.parse((await sim('event', ...who, '--event', 'CLICK', '--key', 'MENU_TODAY')).stdout) as { replies: { content: { content: string } }[] };
    assert.deepEqual(tapped.replies.map((r) => r.content.content), ['You tapped MENU_TODAY']);
    const located = await sim('message', ...who, '--location', '31.23,121.47,Bund');
    assert.equal(located.code, 0, located.stderr);
    const thread = JSON.parse((await sim('thread', ...who, '--limit', '3')).stdout) as { direction: string; content: { type: string; content?: string; label?: string } }[];
    assert.deepEqual(thread.map((m) => [m.direction, m.content.type, m.content.content ?? m.content.label]), [
      ['out', 'text', 'You said: hi there'],
      ['out', 'text', 'You tapped MENU_TODAY'],
      ['in', 'location', 'Bund'],
    ]);
  });

  it('prints the passive reply readably without --json', async () => {
    const c = await createConsumer(env());
    await env().platform.services.conversations.follow(c.ctx, account.id, { scene: 'ADD_SCENE_SEARCH' });
    const r = await sim('message', '--consumer', `${c.phone}:${c.password}`, '--account', account.appid, '--text', 'menu');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "→ [text] menu\n← [news] Today's menu — Mapo tofu ¥28 · Kung pao chicken ¥36 <https://example.com/menu>\n");
  });

  it('--demo takes the consumer and account from data/demo-credentials.json', async () => {
    const c = await createConsumer(env());
    await env().platform.services.conversations.follow(c.ctx, account.id, { scene: 'ADD_SCENE_SEARCH' });
    const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-cli-'));
    try {
      mkdirSync(path.join(dir, 'data'));
      const creds = { platform: env().baseUrl, account: { appid: account.appid, appsecret: account.appsecret }, consumer: { phone: c.phone, password: c.password } };
      writeFileSync(path.join(dir, 'data', 'demo-credentials.json'), JSON.stringify(creds));
      const r = await lianjie(['sim', 'message', '--demo', '--text', 'from the demo'], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /← \[text\] You said: from the demo/);
      const missing = await lianjie(['sim', 'message', '--demo', '--text', 'x'], { cwd: tmpdir() });
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /demo-credentials\.json not found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits 1 with the API's message: wrong password, wrong appsecret; exits 2 on bad usage", async () => {
    const c = await createConsumer(env());
    const wrong = await sim('thread', '--consumer', `${c.phone}:wrong-password`, '--account', account.appid, '--json');
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /wrong phone number or password/);
    assert.equal((JSON.parse(wrong.stdout) as { error: { code: string } }).error.code, 'unauthenticated');
    const other = await createAccount(env(), await createMerchant(env()));
    const secret = await lianjie(['sim', 'callback', '--server', env().baseUrl, '--appid', account.appid, '--secret', other.appsecret, '--url', merchant.url, '--mode', 'plain']);
    assert.equal(secret.code, 1);
    assert.match(secret.stderr, /invalid appsecret/);
    assert.equal((await env().platform.services.accounts.findById(account.id))?.msg_mode, 'safe', 'nothing changed');
    for (const args of [['message', '--consumer', `${c.phone}:${c.password}`, '--account', account.appid], ['message', '--consumer', 'nocolon', '--account', 'x', '--text', 'hi'], ['follow', '--account', account.appid]]) {
      const r = await sim(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    }
  });
}, { listen: true, background: true });
