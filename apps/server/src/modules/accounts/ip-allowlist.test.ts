import assert from 'node:assert/strict';
import { it } from 'node:test';
import { accessToken, createAccount, createMerchant, wxGet } from '../../testing/factories.ts';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { call, errcodeOf, sdkFor } from '../../testing/wechat-sdk.ts';
import { ipAllowed, parseIpAllowlist } from './ip-allowlist.ts';

const put = (e: TestEnv, id: string, headers: Record<string, string>, ips: unknown) =>
  e.app.inject({ method: 'PUT', url: `/api/v1/merchant/accounts/${id}/ip-allowlist`, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify({ ips }) });

it('ipAllowed: exact IPv4/IPv6, IPv4 CIDR, IPv4-mapped IPv6; an empty list allows all', () => {
  assert.equal(ipAllowed([], '203.0.113.9'), true);
  assert.equal(ipAllowed(['203.0.113.9'], '203.0.113.9'), true);
  assert.equal(ipAllowed(['203.0.113.9'], '::ffff:203.0.113.9'), true);
  assert.equal(ipAllowed(['203.0.113.0/24'], '203.0.113.200'), true);
  assert.equal(ipAllowed(['203.0.113.0/24'], '203.0.114.1'), false);
  assert.equal(ipAllowed(['2001:db8::1'], '2001:db8::1'), true);
  assert.equal(ipAllowed(['2001:db8::1'], '2001:db8::2'), false);
  assert.equal(ipAllowed(['10.0.0.1'], 'garbage'), false);
  assert.deepEqual(parseIpAllowlist([' 10.0.0.1 ', '10.0.0.1', '', '2001:DB8::1', '192.168.0.0/16']), ['10.0.0.1', '2001:db8::1', '192.168.0.0/16']);
});

describeOnBothDbs('IP allowlist of OA API calls', (env) => {
  it('wechat-api from an address outside the list gets 40164 (token and access_token calls); inside, or an empty list, works', async () => {
    const e = env();
    const m = await createMerchant(e);
    const a = await createAccount(e, m);
    const earlier = await accessToken(e, a);
    const api = sdkFor(e, a);

    const set = await put(e, a.id, m.headers, ['10.9.8.7', '192.168.0.0/16']);
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(set.json().ipAllowlist, ['10.9.8.7', '192.168.0.0/16']);
    assert.equal(await errcodeOf(call((cb) => api.getMenu(cb))), 40164, 'the SDK cannot get a token');
    const refused = await wxGet(e, '/cgi-bin/getcallbackip', earlier);
    assert.equal(refused.errcode, 40164);
    assert.match(refused.errmsg ?? '', /^invalid ip 127\.0\.0\.1 ipv6 ::ffff:127\.0\.0\.1, not in whitelist rid: /);
    const stable = await e.app.inject({ method: 'POST', url: '/cgi-bin/stable_token', payload: { grant_type: 'client_credential', appid: a.appid, secret: a.appsecret } });
    assert.equal(stable.json().errcode, 40164);

    assert.equal((await put(e, a.id, m.headers, ['127.0.0.0/8'])).statusCode, 200);
    assert.equal(await errcodeOf(call((cb) => api.getMenu(cb))), 46003, 'token fetched; the account just has no menu');
    assert.equal((await wxGet(e, '/cgi-bin/getcallbackip', earlier)).errcode, undefined);

    assert.deepEqual((await put(e, a.id, m.headers, [])).json().ipAllowlist, []);
    assert.equal(await errcodeOf(call((cb) => api.getMenu(cb))), 46003);
  });

  it('bad input is a typed 400 and changes nothing; another org gets 404, a cs member 403', async () => {
    const e = env();
    const m = await createMerchant(e);
    const a = await createAccount(e, m);
    assert.equal((await put(e, a.id, m.headers, ['10.0.0.1'])).statusCode, 200);
    for (const ips of [['not-an-ip'], ['10.0.0.0/33'], ['1.2.3.4/8/1'], ['2001:db8::/32'], 'x', Array.from({ length: 201 }, (_, i) => `10.0.0.${i % 250}`)]) {
      const r = await put(e, a.id, m.headers, ips);
      assert.equal(r.statusCode, 400, `${JSON.stringify(ips).slice(0, 40)} → ${r.body}`);
      assert.equal(r.json().error.code, 'invalid_argument');
    }
    const other = await createMerchant(e);
    assert.equal((await put(e, a.id, other.headers, [])).statusCode, 404);
    const email = `cs${Date.now()}@ip.test`;
    await e.platform.services.team.invite(m.ctx, { email, name: 'cs', role: 'cs', password: 'cs-pass-123' });
    const signin = await e.app.inject({ method: 'POST', url: '/api/v1/merchant/signin', payload: { email, password: 'cs-pass-123' } });
    const cs = { authorization: `Bearer ${signin.json().token as string}`, 'x-lianjie-session-kind': 'merchant' };
    assert.equal((await put(e, a.id, cs, [])).statusCode, 403);
    const row = await e.platform.services.accounts.findById(a.id);
    assert.deepEqual(row?.ip_allowlist, ['10.0.0.1'], 'unchanged');
  });
}, { listen: true });
