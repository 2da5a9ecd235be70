import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { accessToken, createAccount, createConsumer, createMerchant, wxGet, type TestAccount } from '../../testing/factories.ts';
import { call, errcodeOf, sdkFor } from '../../testing/wechat-sdk.ts';
import { jssdkSignature, TICKET_GRACE_MS } from './service.ts';

async function setJssdkDomain(env: TestEnv, account: TestAccount, domain: string | null): Promise<void> {
  await env.platform.handle.db.updateTable('official_accounts').set({ jssdk_domain: domain }).where('id', '=', account.id).execute();
  env.platform.caches.evict('account', account.id);
}

async function ticketOf(env: TestEnv, token: string): Promise<string> {
  const body = await wxGet(env, '/cgi-bin/ticket/getticket?type=jsapi', token);
  assert.equal(body.errcode, 0, JSON.stringify(body));
  return body.ticket as string;
}

describeOnBothDbs('JS-SDK tickets and wx.config verification', (env) => {
  it('getticket through wechat-api: a 7200 s ticket, the same one until it has < 5 min left', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    const api = sdkFor(e, a);
    const first = await call<{ ticket: string; expireTime: number }>((cb) => api.getTicket('jsapi', cb));
    assert.match(first.ticket, /^[A-Za-z0-9_-]{80,}$/);
    const left = first.expireTime - Date.now();
    assert.ok(left > 7100_000 && left <= 7200_000, `about 7200 s, got ${left} ms`);
    const token = await accessToken(e, a);
    const raw = await wxGet(e, '/cgi-bin/ticket/getticket?type=jsapi', token);
    assert.deepEqual({ errcode: raw.errcode, errmsg: raw.errmsg, ticket: raw.ticket }, { errcode: 0, errmsg: 'ok', ticket: first.ticket });
    assert.ok((raw.expires_in as number) > 7100 && (raw.expires_in as number) <= 7200);
    const card = (await wxGet(e, '/cgi-bin/ticket/getticket?type=wx_card', token)).ticket;
    assert.notEqual(card, first.ticket, 'wx_card tickets are a separate lineage');
  });

  it('reissues when < 5 min are left; the previous ticket still signs during its grace, then not', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    await setJssdkDomain(e, a, 'shop.example.com');
    const consumer = await createConsumer(e);
    const token = await accessToken(e, a);
    const old = await ticketOf(e, token);
    const db = e.platform.handle.db;
    await db.updateTable('jsapi_tickets').set({ expires_at: new Date(Date.now() + 4 * 60_000) }).where('ticket', '=', old).execute();
    const fresh = await ticketOf(e, token);
    assert.notEqual(fresh, old);
    assert.equal(await ticketOf(e, token), fresh, 'the new one is then stable');
    const oldRow = await db.selectFrom('jsapi_tickets').select('expires_at').where('ticket', '=', old).executeTakeFirstOrThrow();
    assert.ok(oldRow.expires_at.getTime() - Date.now() <= TICKET_GRACE_MS);
    const url = 'https://shop.example.com/page?x=1';
    const input = { appId: a.appid, url, timestamp: '1700000000', nonceStr: 'abc', jsApiList: ['getLocation'] };
    assert.deepEqual(await e.platform.services.jssdk.verify(consumer.ctx, { ...input, signature: jssdkSignature(old, 'abc', '1700000000', url) }), { ok: true, jsApiList: ['getLocation'] });
    await db.updateTable('jsapi_tickets').set({ expires_at: new Date(Date.now() - 1000) }).where('ticket', '=', old).execute();
    await assert.rejects(e.platform.services.jssdk.verify(consumer.ctx, { ...input, signature: jssdkSignature(old, 'abc', '1700000000', url) }), /invalid signature/);
  });

  it('refuses an unknown ticket type with 40097 and a bad token with 40001/41001, issuing nothing', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    const token = await accessToken(e, a);
    const bad = await wxGet(e, '/cgi-bin/ticket/getticket?type=oauth', token);
    assert.equal(bad.errcode, 40097);
    assert.equal((await wxGet(e, '/cgi-bin/ticket/getticket', token)).errcode, 40097);
    assert.equal((await wxGet(e, '/cgi-bin/ticket/getticket?type=jsapi', 'x'.repeat(128))).errcode, 40001);
    assert.equal((await e.app.inject({ url: '/cgi-bin/ticket/getticket?type=jsapi' })).json().errcode, 41001);
    const rows = await e.platform.handle.db.selectFrom('jsapi_tickets').select('ticket').where('account_id', '=', a.id).execute();
    assert.equal(rows.length, 0);
    assert.equal(await errcodeOf(call((cb) => sdkFor(e, a).getTicket('bogus', cb))), 40097);
  });

  it("cross-tenant: B's token gets B's ticket only, and A's ticket does not sign B's pages", async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    const b = await createAccount(e, await createMerchant(e));
    await setJssdkDomain(e, b, 'b.example.com');
    const ta = await ticketOf(e, await accessToken(e, a));
    const tb = await ticketOf(e, await accessToken(e, b));
    assert.notEqual(ta, tb);
    const owners = await e.platform.handle.db.selectFrom('jsapi_tickets').select(['ticket', 'account_id']).where('ticket', 'in', [ta, tb]).execute();
    assert.deepEqual(new Map(owners.map((o) => [o.ticket, o.account_id])), new Map([[ta, a.id], [tb, b.id]]));
    const consumer = await createConsumer(e);
    const url = 'https://b.example.com/';
    const res = await e.app.inject({ method: 'POST', url: '/api/v1/jssdk/verify', headers: consumer.headers, payload: { appId: b.appid, url, timestamp: 1, nonceStr: 'n', signature: jssdkSignature(ta, 'n', '1', url), jsApiList: [] } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.details.errMsg, 'config:invalid signature');
  });

  it('verify: a good signature grants the supported subset; wrong signature, domain, scheme and appid are typed errors', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    await setJssdkDomain(e, a, '127.0.0.1:8123');
    const unconfigured = await createAccount(e, await createMerchant(e));
    const consumer = await createConsumer(e);
    const ticket = await ticketOf(e, await accessToken(e, a));
    const url = 'http://127.0.0.1:8123/shop?item=1';
    const signed = (u: string, extra: Record<string, unknown> = {}) => ({ appId: a.appid, url: u, timestamp: '1700000000', nonceStr: 'Wm3WZYTPz0wzccnW', signature: jssdkSignature(ticket, 'Wm3WZYTPz0wzccnW', '1700000000', u.split('#')[0] ?? ''), jsApiList: ['getLocation', 'scanQRCode', 'openAddress', 'getLocation'], ...extra });
    const post = (payload: unknown, headers: Record<string, string> = consumer.headers) => e.app.inject({ method: 'POST', url: '/api/v1/jssdk/verify', headers, payload: payload as Record<string, unknown> });

    const ok = await post(signed(`${url}#frag`));
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json(), { ok: true, jsApiList: ['getLocation', 'scanQRCode'] });

    const errMsgOf = async (payload: unknown) => {
      const res = await post(payload);
      return `${res.statusCode} ${res.json().error?.details?.errMsg ?? res.json().error?.message}`;
    };
    assert.equal(await errMsgOf({ ...signed(url), signature: 'f'.repeat(40) }), '403 config:invalid signature');
    assert.equal(await errMsgOf({ ...signed(url), nonceStr: 'other' }), '403 config:invalid signature');
    assert.equal(await errMsgOf(signed('http://127.0.0.1:8124/shop')), '403 config:invalid url domain');
    assert.equal(await errMsgOf(signed('http://evil.example.com/shop')), '403 config:invalid url domain');
    assert.equal(await errMsgOf(signed('javascript://127.0.0.1:8123/x')), '403 config:invalid url domain');
    assert.equal(await errMsgOf(signed('not a url')), '403 config:invalid url domain');
    assert.equal(await errMsgOf({ ...signed(url), appId: 'wx0000000000000000' }), '404 config:invalid appid');
    assert.equal(await errMsgOf({ ...signed(url), appId: unconfigured.appid }), '403 config:invalid url domain');
    assert.equal(await errMsgOf({ ...signed(url), timestamp: 'soon' }), '400 config:invalid timestamp');
    assert.equal((await post({ appId: a.appid })).statusCode, 400, 'schema errors are 400');
    assert.equal((await post(signed(url), {})).statusCode, 401, 'a consumer session is required');
  });

  it('serves the JS-SDK script as application/javascript at both paths', async () => {
    const e = env();
    for (const path of ['/jssdk/jweixin-1.6.0.js', '/jssdk/jweixin.js']) {
      const res = await e.app.inject({ url: path });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/javascript/);
      assert.match(res.body, /window\.wx = wx/);
      assert.match(res.body, /WeixinJSBridgeReady/);
    }
  });
}, { listen: true });
