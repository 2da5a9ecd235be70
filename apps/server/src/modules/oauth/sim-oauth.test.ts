import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describeOnBothDbs } from '../../testing/harness.ts';
import { createAccount, createConsumer, createMerchant } from '../../testing/factories.ts';

const CLI = fileURLToPath(new URL('../../cli/lianjie.ts', import.meta.url));
const exec = promisify(execFile);

async function lianjie(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, [CLI, ...args], { env: { ...process.env, LIANJIE_URL: '', DATA_DIR: '' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describeOnBothDbs('sandbox simulator: OAuth web login', (env) => {
  it('`lianjie sim oauth` prints the redirect with a code the merchant can exchange; bad input is refused', async () => {
    const e = env();
    const m = await createMerchant(e);
    const a = await createAccount(e, m);
    await e.platform.services.accounts.setDomains(m.ctx, a.id, { webDomain: 'shop.test' });
    const c = await createConsumer(e, 'Sim Diner');
    const who = ['--consumer', `${c.phone}:${c.password}`, '--account', a.appid, '--url', e.baseUrl];

    const r = await lianjie(['sim', 'oauth', ...who, '--redirect-uri', 'https://shop.test/menu?t=1', '--scope', 'snsapi_userinfo', '--state', 'sim1', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { redirect: string; code: string };
    const back = new URL(out.redirect);
    assert.deepEqual([back.host, back.searchParams.get('t'), back.searchParams.get('state'), back.searchParams.get('code')], ['shop.test', '1', 'sim1', out.code]);
    const token = (await fetch(`${e.baseUrl}/sns/oauth2/access_token?appid=${a.appid}&secret=${a.appsecret}&code=${out.code}&grant_type=authorization_code`).then((x) => x.json())) as { access_token: string; openid: string; scope: string };
    assert.equal(token.scope, 'snsapi_userinfo');
    const user = (await fetch(`${e.baseUrl}/sns/userinfo?access_token=${token.access_token}&openid=${token.openid}&lang=zh_CN`).then((x) => x.json())) as { nickname: string };
    assert.equal(user.nickname, 'Sim Diner');

    const text = await lianjie(['sim', 'oauth', ...who, '--redirect-uri', 'https://shop.test/']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^→ https:\/\/shop\.test\/\?code=[A-Za-z0-9]{32}&state=\n {2}code {2}[A-Za-z0-9]{32}/);

    const forged = await lianjie(['sim', 'oauth', ...who, '--redirect-uri', 'https://evil.test/']);
    assert.equal(forged.code, 1);
    assert.match(forged.stderr, /does not match the account's web-page domain/);
    const wrongPassword = await e.app.inject({ method: 'POST', url: '/api/v1/sim/oauth/authorize', payload: { consumer: { phone: c.phone, password: 'nope-nope' }, appid: a.appid, redirectUri: 'https://shop.test/', scope: 'snsapi_base' } });
    assert.equal(wrongPassword.statusCode, 401);
    assert.equal((await lianjie(['sim', 'oauth', ...who, '--redirect-uri', 'https://shop.test/', '--scope', 'snsapi_login'])).code, 2);
    assert.equal((await lianjie(['sim', 'oauth', '--help'])).code, 0);
  });
}, { listen: true });
