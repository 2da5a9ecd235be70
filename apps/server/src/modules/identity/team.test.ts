import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createAccount, createMerchant, type TestMerchant } from '../../testing/factories.ts';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { randomString } from '../../platform/ids.ts';
import { ROLE_PERMISSIONS } from '../../platform/permissions.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Res { status: number; raw: string; body: Record<string, unknown> & { error?: { code: string; details?: { reason?: string } } } }

async function call(e: TestEnv, method: Method, url: string, headers: Record<string, string>, body?: unknown): Promise<Res> {
  const res = await e.app.inject({ method, url, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
  return { status: res.statusCode, raw: res.body, body: res.body ? (JSON.parse(res.body) as Res['body']) : {} };
}

const STAFF = '/api/v1/merchant/staff';
const PASSWORD = 'member-pass-1';

/** Invites a member with `role` through the API and signs them in; returns their headers and id. */
async function member(e: TestEnv, owner: TestMerchant, role: string): Promise<{ id: string; headers: Record<string, string> }> {
  const email = `${randomString(8).toLowerCase()}@member.test`;
  const invited = await call(e, 'POST', STAFF, owner.headers, { email, name: `${role} member`, role, password: PASSWORD });
  assert.equal(invited.status, 201, invited.raw);
  const signed = await call(e, 'POST', '/api/v1/merchant/signin', {}, { email, password: PASSWORD });
  assert.equal(signed.status, 200, signed.raw);
  return { id: String(invited.body.id), headers: { authorization: `Bearer ${String(signed.body.token)}`, 'x-lianjie-session-kind': 'merchant' } };
}

/** Every merchant pay route of our JSON API (a cs member gets 403 on each). */
const PAY_ROUTES: Array<[Method, string, unknown?]> = [
  ['GET', '/api/v1/merchant/pay/balance'],
  ['GET', '/api/v1/merchant/pay/settings'],
  ['PUT', '/api/v1/merchant/pay/settings', { delay: 'now' }],
  ['GET', '/api/v1/merchant/pay/settlements?date=2026-01-01'],
  ['GET', '/api/v1/merchant/pay/payout-accounts'],
  ['POST', '/api/v1/merchant/pay/payout-accounts', { bankName: 'Bank', accountNumber: '6222000011112222' }],
  ['POST', '/api/v1/merchant/pay/payouts', { accountId: 'pya_x', amount: 1 }],
  ['GET', '/api/v1/merchant/pay/payouts'],
  ['POST', '/api/v1/merchant/pay/orders', { outTradeNo: 'T1000001', description: 'x', amount: 1, method: 'native' }],
  ['GET', '/api/v1/merchant/pay/orders'],
  ['GET', '/api/v1/merchant/pay/orders/T1000001'],
  ['POST', '/api/v1/merchant/pay/orders/T1000001/close', {}],
  ['POST', '/api/v1/merchant/pay/orders/T1000001/refunds', { outRefundNo: 'R1000001', amount: 1 }],
];

describeOnBothDbs('Team roles and permissions', (env) => {
  it('me shows the member, org and permissions; a cs member gets 403 on every pay route and on settings, but reads accounts', async () => {
    const e = env();
    const owner = await createMerchant(e);
    const account = await createAccount(e, owner);
    const cs = await member(e, owner, 'cs');
    const me = await call(e, 'GET', '/api/v1/merchant/me', cs.headers);
    assert.equal(me.status, 200, me.raw);
    assert.equal((me.body.user as { role: string }).role, 'cs');
    assert.equal((me.body.org as { id: string }).id, owner.orgId);
    assert.deepEqual(me.body.permissions, [...ROLE_PERMISSIONS.cs]);
    assert.deepEqual((await call(e, 'GET', '/api/v1/merchant/me', owner.headers)).body.permissions, [...ROLE_PERMISSIONS.owner]);
    assert.equal((await call(e, 'GET', '/api/v1/merchant/me', {})).status, 401);

    for (const [method, url, body] of PAY_ROUTES) {
      const r = await call(e, method, url, cs.headers, body);
      assert.equal(r.status, 403, `${method} ${url} → ${r.raw}`);
      assert.equal(r.body.error?.details?.reason, 'ROLE_FORBIDS');
    }
    const acc = `/api/v1/merchant/accounts/${account.id}`;
    for (const [method, url, body] of [
      ['PATCH', acc, { name: 'Renamed by cs' }],
      ['PUT', `${acc}/domains`, { webDomain: 'cs.example.com' }],
      ['POST', `${acc}/secret/reset`, undefined],
      ['GET', `${acc}/secret`, undefined],
      ['PUT', `${acc}/callback`, { url: '', token: 'abcdefgh', encodingAESKey: account.encodingAESKey, mode: 'plain' }],
      ['POST', '/api/v1/merchant/accounts', { name: 'New by cs', type: 'service' }],
      ['GET', '/api/v1/merchant/api-keys', undefined],
      ['POST', '/api/v1/merchant/webhooks', { url: 'https://cs.example.com/h' }],
      ['GET', STAFF, undefined],
      ['POST', STAFF, { email: 'x@y.test', name: 'x', role: 'owner', password: PASSWORD }],
    ] as Array<[Method, string, unknown]>) {
      const r = await call(e, method, url, cs.headers, body);
      assert.equal(r.status, 403, `${method} ${url} → ${r.raw}`);
    }
    const list = await call(e, 'GET', '/api/v1/merchant/accounts', cs.headers);
    assert.equal(list.status, 200);
    assert.equal((list.body as unknown as unknown[]).length, 1);
    const one = await call(e, 'GET', acc, cs.headers);
    assert.equal(one.status, 200);
    assert.notEqual(one.body.name, 'Renamed by cs', 'nothing changed');
  });

  it('finance reads pay but cannot change settings; an operator changes settings but not pay', async () => {
    const e = env();
    const owner = await createMerchant(e);
    const account = await createAccount(e, owner);
    const finance = await member(e, owner, 'finance');
    const operator = await member(e, owner, 'operator');
    assert.equal((await call(e, 'GET', '/api/v1/merchant/pay/balance', finance.headers)).status, 200);
    assert.equal((await call(e, 'GET', '/api/v1/merchant/pay/payouts', finance.headers)).status, 200);
    assert.equal((await call(e, 'PATCH', `/api/v1/merchant/accounts/${account.id}`, finance.headers, { name: 'By finance' })).status, 403);
    assert.equal((await call(e, 'GET', '/api/v1/merchant/webhooks', finance.headers)).status, 403);
    const renamed = await call(e, 'PATCH', `/api/v1/merchant/accounts/${account.id}`, operator.headers, { name: 'By operator' });
    assert.equal(renamed.status, 200, renamed.raw);
    assert.equal(renamed.body.name, 'By operator');
    assert.equal((await call(e, 'GET', '/api/v1/merchant/pay/balance', operator.headers)).status, 403);
    assert.equal((await call(e, 'GET', '/api/v1/merchant/webhooks', operator.headers)).status, 200);
  });

  it('team: list, invite, change role (takes effect at once), remove (sessions end); the last owner stays', async () => {
    const e = env();
    const owner = await createMerchant(e);
    const m = await member(e, owner, 'cs');
    assert.equal((await call(e, 'GET', '/api/v1/merchant/pay/balance', m.headers)).status, 403);
    const changed = await call(e, 'PATCH', `${STAFF}/${m.id}`, owner.headers, { role: 'finance' });
    assert.equal(changed.status, 200, changed.raw);
    assert.equal(changed.body.role, 'finance');
    assert.equal((await call(e, 'GET', '/api/v1/merchant/pay/balance', m.headers)).status, 200, 'the new role applies to the open session');

    const list = await call(e, 'GET', STAFF, owner.headers);
    assert.deepEqual((list.body as unknown as Array<{ role: string }>).map((u) => u.role), ['owner', 'finance']);

    const demote = await call(e, 'PATCH', `${STAFF}/${owner.userId}`, owner.headers, { role: 'operator' });
    assert.equal(demote.status, 412, demote.raw);
    assert.equal(demote.body.error?.details?.reason, 'LAST_OWNER');
    assert.equal((await call(e, 'DELETE', `${STAFF}/${owner.userId}`, owner.headers)).status, 412);

    // A second owner may demote the first.
    const second = await member(e, owner, 'owner');
    assert.equal((await call(e, 'PATCH', `${STAFF}/${owner.userId}`, second.headers, { role: 'operator' })).status, 200);
    assert.equal((await call(e, 'GET', STAFF, owner.headers)).status, 403, 'the demoted owner lost team');

    assert.equal((await call(e, 'DELETE', `${STAFF}/${m.id}`, second.headers)).status, 200);
    assert.equal((await call(e, 'GET', '/api/v1/merchant/me', m.headers)).status, 401, 'a removed member is signed out');
    assert.equal((await call(e, 'DELETE', `${STAFF}/${m.id}`, second.headers)).status, 404);
  });

  it('bad input is a typed 400 and changes nothing; a taken email is 409', async () => {
    const e = env();
    const owner = await createMerchant(e);
    for (const body of [
      {},
      { email: 'not-an-email', name: 'x', role: 'cs', password: PASSWORD },
      { email: 'a@b.test', name: 'x', role: 'staff', password: PASSWORD },
      { email: 'a@b.test', name: '', role: 'cs', password: PASSWORD },
      { email: 'a@b.test', name: 'x', role: 'cs', password: 'short' },
    ]) {
      const r = await call(e, 'POST', STAFF, owner.headers, body);
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.raw}`);
      assert.equal(r.body.error?.code, 'invalid_argument');
    }
    assert.equal((await call(e, 'POST', STAFF, owner.headers, { email: owner.email, name: 'x', role: 'cs', password: PASSWORD })).status, 409);
    assert.equal((await call(e, 'PATCH', `${STAFF}/${owner.userId}`, owner.headers, { role: 'king' })).status, 400);
    assert.equal(((await call(e, 'GET', STAFF, owner.headers)).body as unknown as unknown[]).length, 1, 'nothing added');
  });

  it('another organisation gets nothing of this team', async () => {
    const e = env();
    const a = await createMerchant(e);
    const b = await createMerchant(e);
    const m = await member(e, a, 'cs');
    const seen = await call(e, 'GET', STAFF, b.headers);
    assert.deepEqual((seen.body as unknown as Array<{ id: string }>).map((u) => u.id), [b.userId]);
    assert.equal((await call(e, 'PATCH', `${STAFF}/${m.id}`, b.headers, { role: 'owner' })).status, 404);
    assert.equal((await call(e, 'DELETE', `${STAFF}/${m.id}`, b.headers)).status, 404);
    assert.equal((await call(e, 'DELETE', `${STAFF}/${a.userId}`, b.headers)).status, 404);
    assert.equal((await call(e, 'GET', '/api/v1/merchant/me', m.headers)).status, 200, 'untouched');
  });
});
