import assert from 'node:assert/strict';
import { it } from 'node:test';
import OAuth from 'wechat-oauth';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createAccount, createConsumer, createMerchant, type TestAccount, type TestConsumer, type TestMerchant } from '../../testing/factories.ts';

/**
 * The unmodified community client `wechat-oauth` hard-codes WeChat's hosts and has no base-URL
 * option; every API call goes through its `request(url, opts, cb)` method, so the test wraps that one
 * method on the instance to swap the origin, and rewrites the origin of `getAuthorizeURL`'s answer.
 */
function sdkFor(baseUrl: string, a: TestAccount): OAuth {
  const client = new OAuth(a.appid, a.appsecret);
  const request = client.request.bind(client);
  client.request = (url, opts, cb) => request(url.replace(/^https:\/\/api\.weixin\.qq\.com/, baseUrl), opts, cb);
  return client;
}

const call = <T>(fn: (cb: OAuth.Callback<T>) => void) =>
  new Promise<T>((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result))));
const wxJson = async (url: string) => (await fetch(url).then((x) => x.json())) as { errcode?: number };
const errcodeOf = async (p: Promise<unknown>) => p.then(() => 0, (err: { code?: number }) => err.code);

async function tenant(e: TestEnv, domain = 'shop.test'): Promise<{ m: TestMerchant; a: TestAccount }> {
  const m = await createMerchant(e);
  const a = await createAccount(e, m);
  const res = await e.app.inject({ method: 'PUT', url: `/api/v1/merchant/accounts/${a.id}/domains`, headers: m.headers, payload: { webDomain: domain, jssdkDomain: domain } });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().webDomain, domain);
  return { m, a };
}

/** Follows the authorize URL as a browser with the consumer's cookie, without following the redirect. */
async function open(e: TestEnv, url: string, c?: TestConsumer, accept = 'text/html') {
  const res = await fetch(url, { redirect: 'manual', headers: { accept, ...(c ? { cookie: `lj_c=${c.token}` } : {}) } });
  return { status: res.status, location: res.headers.get('location') ?? '', body: await res.text(), type: res.headers.get('content-type') ?? '' };
}

const authorizeUrl = (e: TestEnv, client: OAuth, redirect: string, state: string, scope: string) =>
  client.getAuthorizeURL(redirect, state, scope).replace('https://open.weixin.qq.com', e.baseUrl);

/** Authorises with snsapi_base (no consent) and returns the code. */
async function baseCode(e: TestEnv, a: TestAccount, c: TestConsumer, redirect = 'http://shop.test/cb'): Promise<string> {
  const r = await open(e, authorizeUrl(e, sdkFor(e.baseUrl, a), redirect, 's', 'snsapi_base'), c);
  assert.equal(r.status, 302);
  return new URL(r.location).searchParams.get('code') ?? '';
}

describeOnBothDbs('OAuth2 web login', (env) => {
  it('snsapi_userinfo: sign-in redirect, consent, code → token → user → refresh → auth, driven by wechat-oauth', async () => {
    const e = env();
    const { a } = await tenant(e);
    const c = await createConsumer(e, 'Xiao Ming');
    const client = sdkFor(e.baseUrl, a);
    const url = authorizeUrl(e, client, 'http://shop.test/cb?from=menu', 'st_1-x', 'snsapi_userinfo');
    assert.ok(url.endsWith('#wechat_redirect'));

    const anonymous = await open(e, url);
    assert.equal(anonymous.status, 302);
    const signin = new URL(anonymous.location, e.baseUrl);
    assert.equal(signin.pathname, '/signin');
    assert.ok(signin.searchParams.get('next')?.startsWith('/connect/oauth2/authorize?appid='), 'next is the authorize URL');

    const asked = await open(e, url, c);
    assert.equal(asked.status, 302);
    const consent = new URL(asked.location, e.baseUrl);
    assert.equal(consent.pathname, '/oauth/consent');
    const requestId = consent.searchParams.get('request') ?? '';
    const view = await e.app.inject({ url: `/api/v1/oauth/requests/${requestId}`, headers: c.headers });
    assert.equal(view.statusCode, 200);
    const consentView = view.json() as { account: { id: string } };
    assert.deepEqual({ ...consentView, account: consentView.account.id }, { account: a.id, scope: 'snsapi_userinfo', redirectHost: 'shop.test', fields: ['nickname', 'avatar', 'sex', 'region'] });

    const approved = await e.app.inject({ method: 'POST', url: `/api/v1/oauth/requests/${requestId}/approve`, headers: c.headers });
    assert.equal(approved.statusCode, 200);
    const back = new URL(approved.json().redirect);
    assert.equal(back.host, 'shop.test');
    assert.equal(back.searchParams.get('from'), 'menu', 'the redirect_uri query is kept');
    assert.equal(back.searchParams.get('state'), 'st_1-x');
    const code = back.searchParams.get('code') ?? '';
    assert.equal(code.length, 32);

    const token = await call<OAuth.AccessToken>((cb) => client.getAccessToken(code, cb));
    assert.equal(token.data.expires_in, 7200);
    assert.equal(token.data.scope, 'snsapi_userinfo');
    assert.match(token.data.openid, /^o[A-Za-z0-9_-]{27}$/);
    assert.ok(token.data.unionid);
    const user = await call<OAuth.UserInfo>((cb) => client.getUser(token.data.openid, cb));
    assert.equal(user.nickname, 'Xiao Ming');
    assert.equal(user.openid, token.data.openid);
    assert.equal(user.unionid, token.data.unionid);
    assert.deepEqual(user.privilege, []);
    assert.equal(typeof user.sex, 'number');

    const ok = await call<{ errcode: number; errmsg: string }>((cb) => client.verifyToken(token.data.openid, token.data.access_token, cb));
    assert.deepEqual(ok, { errcode: 0, errmsg: 'ok' });
    const refreshed = await call<OAuth.AccessToken>((cb) => client.refreshAccessToken(token.data.refresh_token, cb));
    assert.notEqual(refreshed.data.access_token, token.data.access_token);
    assert.equal(refreshed.data.refresh_token, token.data.refresh_token);
    assert.equal(refreshed.data.openid, token.data.openid);
    assert.equal((await call<OAuth.UserInfo>((cb) => client.getUser(token.data.openid, cb))).nickname, 'Xiao Ming');

    assert.equal(await errcodeOf(call((cb) => client.getAccessToken(code, cb))), 40163, 'a code is single use');
    // The consent request is used up; the grant is remembered, so the next login is silent.
    assert.equal((await e.app.inject({ method: 'POST', url: `/api/v1/oauth/requests/${requestId}/approve`, headers: c.headers })).statusCode, 404);
    const again = await open(e, url, c);
    assert.equal(again.status, 302);
    assert.equal(new URL(again.location).host, 'shop.test');
    assert.ok(new URL(again.location).searchParams.get('code'));
  });

  it('snsapi_base: redirects at once; the token cannot read userinfo (48001) nor serve another openid (40003)', async () => {
    const e = env();
    const { a } = await tenant(e);
    const { a: b } = await tenant(e, 'other.test:8080');
    const c = await createConsumer(e);
    const client = sdkFor(e.baseUrl, a);
    const r = await open(e, authorizeUrl(e, client, 'http://shop.test/cb', 'abc', 'snsapi_base'), c);
    assert.equal(r.status, 302);
    const code = new URL(r.location).searchParams.get('code') ?? '';
    assert.equal(new URL(r.location).searchParams.get('state'), 'abc');
    assert.equal(await errcodeOf(call((cb) => sdkFor(e.baseUrl, b).getAccessToken(code, cb))), 40029, "another appid cannot use this account's code");
    const token = await call<OAuth.AccessToken>((cb) => client.getAccessToken(code, cb));
    assert.equal(token.data.scope, 'snsapi_base');
    assert.ok(token.data.unionid, 'unionid is returned for base scope too');
    assert.equal(await errcodeOf(call((cb) => client.getUser(token.data.openid, cb))), 48001);

    // The same consumer's openid at account B (same or other merchant) is not this token's.
    const bCode = await baseCode(e, b, c, 'http://other.test:8080/cb');
    const bToken = await call<OAuth.AccessToken>((cb) => sdkFor(e.baseUrl, b).getAccessToken(bCode, cb));
    assert.notEqual(bToken.data.openid, token.data.openid);
    const auth = await wxJson(`${e.baseUrl}/sns/auth?access_token=${token.data.access_token}&openid=${bToken.data.openid}`);
    assert.equal(auth.errcode, 40003);
    const info = await wxJson(`${e.baseUrl}/sns/userinfo?access_token=${bToken.data.access_token}&openid=${token.data.openid}`);
    assert.equal(info.errcode, 40003);
    assert.equal((await wxJson(`${e.baseUrl}/sns/auth?access_token=${'x'.repeat(86)}&openid=${token.data.openid}`)).errcode, 40001);
  });

  it('refuses bad authorize requests with a clear page and stores nothing', async () => {
    const e = env();
    const { a } = await tenant(e);
    const m2 = await createMerchant(e);
    const noDomain = await createAccount(e, m2);
    const c = await createConsumer(e);
    const q = (over: Record<string, string>) =>
      `${e.baseUrl}/connect/oauth2/authorize?${new URLSearchParams({ appid: a.appid, redirect_uri: 'http://shop.test/cb', response_type: 'code', scope: 'snsapi_userinfo', state: 's', ...over })}`;
    const cases: [Record<string, string>, RegExp][] = [
      [{ redirect_uri: 'http://evil.test/cb' }, /does not match the account's web-page domain shop\.test/],
      [{ redirect_uri: 'http://sub.shop.test/cb' }, /does not match/],
      [{ redirect_uri: 'http://shop.test:8443/cb' }, /does not match/],
      [{ redirect_uri: 'javascript:alert(1)' }, /http or https/],
      [{ state: 'a b<script>' }, /state must be/],
      [{ state: 'x'.repeat(129) }, /state must be/],
      [{ scope: 'snsapi_login' }, /scope must be/],
      [{ response_type: 'token' }, /response_type/],
      [{ appid: 'wx0000000000000000' }, /invalid appid/],
      [{ appid: noDomain.appid }, /no web-page domain/],
    ];
    for (const [over, message] of cases) {
      const r = await open(e, q(over), c);
      assert.equal(r.status, 400, JSON.stringify(over));
      assert.match(r.type, /text\/html/);
      assert.match(r.body.replace(/&#39;/g, "'"), message);
      assert.doesNotMatch(r.body, /<script>/, 'input is escaped');
    }
    const json = await open(e, q({ redirect_uri: 'https://evil.test/' }), c, 'application/json');
    assert.equal(json.status, 400);
    assert.equal(JSON.parse(json.body).error.details.errcode, 10003);
    const db = e.platform.handle.db;
    assert.equal((await db.selectFrom('oauth_requests').select('id').where('account_id', '=', a.id).execute()).length, 0);
    assert.equal((await db.selectFrom('oauth_codes').select('code_hash').where('account_id', '=', a.id).execute()).length, 0);
  });

  it("consent requests belong to their consumer and expire; refusal returns the state without a code", async () => {
    const e = env();
    const { a } = await tenant(e);
    const c = await createConsumer(e);
    const other = await createConsumer(e);
    const url = authorizeUrl(e, sdkFor(e.baseUrl, a), 'https://shop.test/p#/home', 'deny1', 'snsapi_userinfo');
    const id = () => open(e, url, c).then((r) => new URL(r.location, e.baseUrl).searchParams.get('request') ?? '');
    const first = await id();
    for (const path of ['', '/approve', '/deny']) {
      const res = await e.app.inject({ method: path ? 'POST' : 'GET', url: `/api/v1/oauth/requests/${first}${path}`, headers: other.headers });
      assert.equal(res.statusCode, 404, `another consumer: ${path || 'view'}`);
    }
    assert.equal((await e.app.inject({ url: `/api/v1/oauth/requests/${first}` })).statusCode, 401);
    const denied = await e.app.inject({ method: 'POST', url: `/api/v1/oauth/requests/${first}/deny`, headers: c.headers });
    const to = new URL(denied.json().redirect);
    assert.equal(to.searchParams.get('state'), 'deny1');
    assert.equal(to.searchParams.get('code'), null);
    assert.equal(to.hash, '#/home');
    assert.equal((await e.platform.handle.db.selectFrom('oauth_grants').select('scope').where('account_id', '=', a.id).execute()).length, 0, 'no grant after refusal');

    const second = await id();
    await e.platform.handle.db.updateTable('oauth_requests').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', second).execute();
    assert.equal((await e.app.inject({ method: 'POST', url: `/api/v1/oauth/requests/${second}/approve`, headers: c.headers })).statusCode, 404);
  });

  it('expired code (40029), refresh token (42002) and access token (42001)', async () => {
    const e = env();
    const { a } = await tenant(e);
    const c = await createConsumer(e);
    const client = sdkFor(e.baseUrl, a);
    const db = e.platform.handle.db;
    const stale = await baseCode(e, a, c);
    await db.updateTable('oauth_codes').set({ expires_at: new Date(Date.now() - 1000) }).where('account_id', '=', a.id).execute();
    assert.equal(await errcodeOf(call((cb) => client.getAccessToken(stale, cb))), 40029);
    assert.equal(await errcodeOf(call((cb) => client.getAccessToken('nonsense', cb))), 40029);

    const fresh = await baseCode(e, a, c);
    const token = await call<OAuth.AccessToken>((cb) => client.getAccessToken(fresh, cb));
    await db.updateTable('oauth_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('account_id', '=', a.id).execute();
    assert.equal(await errcodeOf(call((cb) => client.verifyToken(token.data.openid, token.data.access_token, cb))), 42001);
    assert.equal(await errcodeOf(call((cb) => client.refreshAccessToken(token.data.refresh_token, cb))), 42002);
    assert.equal(await errcodeOf(call((cb) => client.refreshAccessToken('x'.repeat(86), cb))), 40030);

    const sns = async (q: string) => (await wxJson(`${e.baseUrl}/sns/oauth2/access_token?${q}`)).errcode;
    assert.equal(await sns(`appid=wx0000000000000000&secret=${a.appsecret}&code=x&grant_type=authorization_code`), 40013);
    assert.equal(await sns(`appid=${a.appid}&secret=${'0'.repeat(32)}&code=x&grant_type=authorization_code`), 40125);
    assert.equal(await sns(`appid=${a.appid}&secret=${a.appsecret}&code=x&grant_type=client_credential`), 40002);
  });

  it('the consumer sees the profile grant on the account page and can withdraw it: tokens stop, consent is asked again', async () => {
    const e = env();
    const { a } = await tenant(e);
    const c = await createConsumer(e, 'Xiao Li');
    const other = await createConsumer(e);
    const client = sdkFor(e.baseUrl, a);
    const first = await open(e, authorizeUrl(e, client, 'http://shop.test/cb', 's', 'snsapi_userinfo'), c);
    const requestId = new URL(first.location, e.baseUrl).searchParams.get('request') ?? '';
    const approved = await e.app.inject({ method: 'POST', url: `/api/v1/oauth/requests/${requestId}/approve`, headers: c.headers });
    const code = new URL(approved.json().redirect).searchParams.get('code') ?? '';
    const token = await call<{ data: { access_token: string; openid: string } }>((cb) => client.getAccessToken(code, cb));
    const view = async (who: TestConsumer) => (await e.app.inject({ url: `/api/v1/accounts/${a.id}`, headers: who.headers })).json();
    assert.ok((await view(c)).profileSharedAt, 'the grant shows on the account page');
    assert.equal((await view(other)).profileSharedAt, null, "another consumer's view shows no grant");

    const revoked = await e.app.inject({ method: 'DELETE', url: `/api/v1/oauth/grants/${a.id}`, headers: c.headers });
    assert.equal(revoked.statusCode, 200);
    assert.equal((await view(c)).profileSharedAt, null);
    const userinfo = await wxJson(`${e.baseUrl}/sns/userinfo?access_token=${token.data.access_token}&openid=${token.data.openid}`);
    assert.equal(userinfo.errcode, 40001, 'a token issued before the withdrawal no longer reads the profile');
    const again = await open(e, authorizeUrl(e, client, 'http://shop.test/cb', 's', 'snsapi_userinfo'), c);
    assert.match(again.location, /\/oauth\/consent\?request=/, 'the next userinfo login asks again');
  });

  it("domains: validated, owner-only, and merchant B cannot set A's", async () => {
    const e = env();
    const { m, a } = await tenant(e);
    const { m: mb } = await tenant(e, 'b.test');
    const put = (headers: Record<string, string>, payload: unknown) => e.app.inject({ method: 'PUT', url: `/api/v1/merchant/accounts/${a.id}/domains`, headers, payload: payload as Record<string, unknown> });
    assert.equal((await put(mb.headers, { webDomain: 'evil.test' })).statusCode, 404);
    for (const bad of ['https://shop.test', 'shop.test/path', 'shop test', 'shop.test:port']) {
      assert.equal((await put(m.headers, { webDomain: bad })).statusCode, 400, bad);
    }
    const view = await e.app.inject({ url: `/api/v1/merchant/accounts/${a.id}`, headers: m.headers });
    assert.equal(view.json().webDomain, 'shop.test', 'nothing changed');
    const upper = await put(m.headers, { webDomain: 'Shop.Example.com:8080', jssdkDomain: null });
    assert.equal(upper.json().webDomain, 'shop.example.com:8080');
    assert.equal(upper.json().jssdkDomain, null);
  });
}, { listen: true });
