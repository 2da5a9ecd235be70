import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDbs } from '../../testing/harness.ts';
import { accessToken, createAccount, createMerchant, wxGet } from '../../testing/factories.ts';

describeOnBothDbs('OA access tokens', (env) => {
  it('issues a 7200 s token with a numeric expires_in', async () => {
    const m = await createMerchant(env());
    const a = await createAccount(env(), m);
    const res = await env().app.inject({ url: `/cgi-bin/token?grant_type=client_credential&appid=${a.appid}&secret=${a.appsecret}` });
    const body = res.json();
    assert.equal(res.statusCode, 200);
    assert.equal(body.expires_in, 7200);
    assert.equal(typeof body.access_token, 'string');
  });

  it('refuses a wrong appid (40013), wrong secret (40125) and wrong grant_type (40002)', async () => {
    const a = await createAccount(env(), await createMerchant(env()));
    const get = async (q: string) => (await env().app.inject({ url: `/cgi-bin/token?${q}` })).json();
    assert.equal((await get(`grant_type=client_credential&appid=wx0000000000000000&secret=${a.appsecret}`)).errcode, 40013);
    assert.equal((await get(`grant_type=client_credential&appid=${a.appid}&secret=${'0'.repeat(32)}`)).errcode, 40125);
    assert.equal((await get(`grant_type=password&appid=${a.appid}&secret=${a.appsecret}`)).errcode, 40002);
  });

  it('keeps the previous token valid for the grace period after a refresh, then 42001', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    const first = await accessToken(e, a);
    const second = await accessToken(e, a);
    assert.notEqual(first, second);
    const owner1 = await e.platform.services.tokens.authenticate(first);
    const owner2 = await e.platform.services.tokens.authenticate(second);
    assert.equal(owner1.accountId, a.id);
    assert.equal(owner2.accountId, a.id);
    const row = await e.platform.handle.db.selectFrom('access_tokens').select('expires_at').where('token', '=', first).executeTakeFirstOrThrow();
    const left = row.expires_at.getTime() - Date.now();
    assert.ok(left > 4 * 60_000 && left <= 5 * 60_000, `grace ≈ 5 min, got ${left} ms`);
    await e.platform.handle.db.updateTable('access_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('token', '=', first).execute();
    const body = await wxGet(e, '/cgi-bin/getcallbackip', first);
    assert.equal(body.errcode, 42001);
  });

  it('answers 40001 for an unknown token and 40014 for a malformed one', async () => {
    const e = env();
    const unknown = await e.platform.services.tokens.authenticate('x'.repeat(128)).catch((err: { wxErrcode: number }) => err.wxErrcode);
    assert.equal(unknown, 40001);
    const malformed = await e.platform.services.tokens.authenticate('short!').catch((err: { wxErrcode: number }) => err.wxErrcode);
    assert.equal(malformed, 40014);
  });

  it('stable_token returns the same token until force_refresh, which is limited to once per 30 s', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    const post = async (body: unknown) => (await e.app.inject({ method: 'POST', url: '/cgi-bin/stable_token', payload: JSON.stringify(body) })).json();
    const base = { grant_type: 'client_credential', appid: a.appid, secret: a.appsecret };
    const t1 = await post(base);
    const t2 = await post(base);
    assert.equal(t1.access_token, t2.access_token);
    assert.ok(t2.expires_in <= 7200 && t2.expires_in > 7000);
    const forced = await post({ ...base, force_refresh: true });
    assert.equal(forced.errcode, 45011, 'a force refresh right after issuing is too frequent');
    await e.platform.handle.db.updateTable('access_tokens').set({ issued_at: new Date(Date.now() - 60_000) }).where('token', '=', t1.access_token).execute();
    const t3 = await post({ ...base, force_refresh: true });
    assert.notEqual(t3.access_token, t1.access_token);
    // the normal client token lineage is untouched by stable_token
    assert.equal((await e.platform.services.tokens.authenticate(t1.access_token)).accountId, a.id);
  });

  it('enforces the 2000 calls/day token quota with 45009', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    await e.platform.handle.db.insertInto('api_quota_usage').values({ account_id: a.id, api: 'token', day: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10), count: 2000 }).execute();
    const body = (await e.app.inject({ url: `/cgi-bin/token?grant_type=client_credential&appid=${a.appid}&secret=${a.appsecret}` })).json();
    assert.equal(body.errcode, 45009);
  });

  it("another merchant's token cannot act on this account", async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    const b = await createAccount(e, await createMerchant(e));
    const tokenB = await accessToken(e, b);
    const owner = await e.platform.services.tokens.authenticate(tokenB);
    assert.equal(owner.accountId, b.id);
    assert.notEqual(owner.accountId, a.id);
  });

  it('answers malformed, oversize and non-JSON bodies with 47001 over HTTP 200', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    for (const [payload, headers] of [
      ['{"grant_type":"client_credential",', { 'content-type': 'application/json' }],
      ['<xml><a>1</a></xml>', { 'content-type': 'text/xml' }],
      [JSON.stringify({ grant_type: 'client_credential', appid: a.appid, secret: a.appsecret, pad: 'x'.repeat(2 * 1024 * 1024) }), { 'content-type': 'application/json' }],
      [JSON.stringify({ grant_type: 'client_credential', appid: a.appid, secret: a.appsecret, force_refresh: 'yes' }), {}],
    ] as const) {
      const res = await e.app.inject({ method: 'POST', url: '/cgi-bin/stable_token', payload, headers });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().errcode, 47001, res.body);
    }
    const tokens = await e.platform.handle.db.selectFrom('access_tokens').select('token').where('account_id', '=', a.id).execute();
    assert.equal(tokens.length, 0, 'no token was issued by a bad request');
  });

  it('answers an unknown OA path with a WeChat error, not our API error', async () => {
    const res = await env().app.inject({ url: '/cgi-bin/no/such/api?access_token=x' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().errcode, 48001);
  });
});
