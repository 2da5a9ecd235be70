import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createAccount, createConsumer, createMerchant, follow, type TestMerchant } from '../../testing/factories.ts';

const MENU = {
  button: [
    { type: 'click', name: '今日歌曲', key: 'V1001_TODAY_MUSIC' },
    { name: '菜单', sub_button: [{ type: 'view', name: '搜索', url: 'https://www.example.com/search' }, { type: 'scancode_push', name: '扫一扫', key: 'SCAN_1' }] },
  ],
};

const call = (e: TestEnv, m: { headers: Record<string, string> }, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
  e.app.inject({ method, url, headers: m.headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

async function staff(e: TestEnv, owner: TestMerchant, role: 'cs' | 'operator') {
  const email = `${role}${Date.now()}${Math.random().toString(36).slice(2, 6)}@menu.test`;
  await e.platform.services.team.invite(owner.ctx, { email, name: role, role, password: 'staff-pass-12' });
  const res = await e.app.inject({ method: 'POST', url: '/api/v1/merchant/signin', payload: { email, password: 'staff-pass-12' } });
  assert.equal(res.statusCode, 200, res.body);
  const cookie = res.cookies.find((c) => c.name === 'lj_m');
  assert.ok(cookie);
  return { headers: { cookie: `lj_m=${cookie.value}` } };
}

describeOnBothDbs('console menu API (/api/v1/merchant/accounts/:id/menu)', (env) => {
  it('publishes a menu the consumer sees at once; conditional menus by tag; another org and a cs member get nothing', async () => {
    const e = env();
    const m = await createMerchant(e);
    const a = await createAccount(e, m);
    const base = `/api/v1/merchant/accounts/${a.id}/menu`;

    const empty = await call(e, m, 'GET', base);
    assert.equal(empty.statusCode, 200, empty.body);
    assert.equal(empty.json().default, null);
    assert.deepEqual(empty.json().conditional, []);

    const put = await call(e, m, 'PUT', base, MENU);
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual(put.json().default.button, MENU.button);

    // The consumer's client (GET /api/v1/accounts/:id/menu) shows the published menu, without keys.
    const c = await createConsumer(e);
    await follow(e, c, a);
    const seen = await call(e, c, 'GET', `/api/v1/accounts/${a.id}/menu`);
    assert.equal(seen.statusCode, 200);
    assert.deepEqual(seen.json().button, [
      { type: 'click', name: '今日歌曲' },
      { name: '菜单', sub_button: [{ type: 'view', name: '搜索', url: 'https://www.example.com/search' }, { type: 'scancode_push', name: '扫一扫' }] },
    ]);

    // A conditional menu for a tag: the tagged follower sees it, the default stays for others.
    const tag = await e.platform.services.tags.create(m.ctx, a.id, 'VIP');
    const vip = await createConsumer(e);
    const vipOpenid = await follow(e, vip, a);
    await e.platform.services.tags.tag(m.ctx, a.id, tag.id, [vipOpenid]);
    const cond = await call(e, m, 'POST', `${base}/conditional`, { tagId: tag.id, button: [{ type: 'view', name: 'VIP', url: 'https://vip.example.com/' }] });
    assert.equal(cond.statusCode, 201, cond.body);
    const listed = (await call(e, m, 'GET', base)).json();
    assert.deepEqual(listed.conditional.map((x: { menuid: string; tagId: string; tagName: string }) => [x.menuid, x.tagId, x.tagName]), [[cond.json().menuid, String(tag.id), 'VIP']]);
    assert.ok(listed.tags.some((t: { id: number; name: string; count: number }) => t.name === 'VIP' && t.count === 1));
    assert.equal((await call(e, vip, 'GET', `/api/v1/accounts/${a.id}/menu`)).json().button[0].name, 'VIP');
    assert.equal((await call(e, c, 'GET', `/api/v1/accounts/${a.id}/menu`)).json().button[0].name, '今日歌曲');

    // Another organisation: 404 everywhere, nothing changed.
    const other = await createMerchant(e);
    assert.equal((await call(e, other, 'GET', base)).statusCode, 404);
    assert.equal((await call(e, other, 'PUT', base, { button: [{ type: 'click', name: 'x', key: 'k' }] })).statusCode, 404);
    assert.equal((await call(e, other, 'POST', `${base}/conditional`, { tagId: tag.id, button: MENU.button })).statusCode, 404);
    assert.equal((await call(e, other, 'DELETE', `${base}/conditional/${cond.json().menuid}`)).statusCode, 404);
    assert.equal((await call(e, other, 'DELETE', base)).statusCode, 404);

    // A customer-service member may not touch menus (403); an operator may read them.
    const cs = await staff(e, m, 'cs');
    assert.equal((await call(e, cs, 'GET', base)).statusCode, 403);
    assert.equal((await call(e, cs, 'PUT', base, MENU)).statusCode, 403);
    const op = await staff(e, m, 'operator');
    assert.equal((await call(e, op, 'GET', base)).statusCode, 200);

    // Delete the conditional menu; then turn the menu off: the consumer sees none.
    assert.equal((await call(e, m, 'DELETE', `${base}/conditional/${cond.json().menuid}`)).statusCode, 200);
    assert.equal((await call(e, m, 'DELETE', `${base}/conditional/${cond.json().menuid}`)).statusCode, 404);
    assert.equal((await call(e, vip, 'GET', `/api/v1/accounts/${a.id}/menu`)).json().button[0].name, '今日歌曲');
    assert.equal((await call(e, m, 'DELETE', base)).statusCode, 200);
    assert.deepEqual((await call(e, c, 'GET', `/api/v1/accounts/${a.id}/menu`)).json(), { menuid: null, button: [] });
  });

  it("refuses what WeChat refuses, with WeChat's message, and changes nothing", async () => {
    const e = env();
    const m = await createMerchant(e);
    const a = await createAccount(e, m);
    const base = `/api/v1/merchant/accounts/${a.id}/menu`;
    // A conditional menu needs a default menu first.
    const tag = await e.platform.services.tags.create(m.ctx, a.id, 'T1');
    const early = await call(e, m, 'POST', `${base}/conditional`, { tagId: tag.id, button: MENU.button });
    assert.equal(early.statusCode, 412);
    assert.match(early.json().error.message, /create selfmenu first/);
    assert.equal((await call(e, m, 'PUT', base, MENU)).statusCode, 200);
    const bad: [unknown, RegExp][] = [
      [{ button: [] }, /invalid button size/],
      [{ button: [MENU.button[0], MENU.button[0], MENU.button[0], MENU.button[0]] }, /invalid button size/],
      [{ button: [{ type: 'click', name: '一二三四五六', key: 'k' }] }, /invalid button name size/],
      [{ button: [{ type: 'view', name: 'x', url: 'ftp://example.com' }] }, /invalid button url domain/],
      [{ button: [{ type: 'click', name: 'x' }] }, /invalid button key size/],
      [{ button: [{ name: 'p', sub_button: Array.from({ length: 6 }, () => ({ type: 'click', name: 's', key: 'k' })) }] }, /invalid sub button size/],
      [{ button: [{ type: 'teleport', name: 'x' }] }, /./],
    ];
    for (const [body, message] of bad) {
      const res = await call(e, m, 'PUT', base, body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)} → ${res.body}`);
      assert.match(res.json().error.message, message);
    }
    assert.equal((await call(e, m, 'POST', `${base}/conditional`, { tagId: 99999, button: MENU.button })).statusCode, 404);
    const after = (await call(e, m, 'GET', base)).json();
    assert.deepEqual(after.default.button, MENU.button);
    assert.deepEqual(after.conditional, []);
  });
});
