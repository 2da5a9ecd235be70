import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import WechatAPI from 'wechat-api';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { accessToken, createAccount, createConsumer, createMerchant, follow, wxGet, wxPost, type TestAccount } from '../../testing/factories.ts';
import { MAX_CONDITIONAL_MENUS } from './service.ts';
import { sdkFor } from '../../testing/wechat-sdk.ts';

type Result = Record<string, unknown>;
type SdkError = Error & { code?: number };

/** Runs a callback-style SDK call: `{ data }` on success, `{ err }` with the WeChat errcode otherwise. */
const call = <T = Result>(fn: (cb: WechatAPI.Callback<T>) => void) =>
  new Promise<{ err: SdkError | null; data: T }>((resolve) => fn((err, data) => resolve({ err, data })));

const ok = async <T = Result>(fn: (cb: WechatAPI.Callback<T>) => void): Promise<T> => {
  const { err, data } = await call(fn);
  assert.equal(err, null, `SDK call failed: ${err?.message} (${err?.code})`);
  return data;
};

const sdk = sdkFor;

const MENU = {
  button: [
    { type: 'click', name: '今日歌曲', key: 'V1001_TODAY_MUSIC' },
    {
      name: '菜单',
      sub_button: [
        { type: 'view', name: '搜索', url: 'http://www.soso.com/' },
        { type: 'scancode_push', name: '扫码', key: 'rselfmenu_0_1' },
        { type: 'location_select', name: '发送位置', key: 'rselfmenu_2_0' },
        { type: 'miniprogram', name: 'wxa', url: 'http://mp.weixin.qq.com', appid: 'wx286b93c14bbf93aa', pagepath: 'pages/lunar/index' },
        { type: 'media_id', name: '图片', media_id: 'MEDIA_ID1' },
      ],
    },
    { type: 'pic_weixin', name: '发图', key: 'rselfmenu_1_2', sub_button: [] },
  ],
};

describeOnBothDbs('custom menus over the OA wire', (env) => {
  let a: TestAccount;
  let api: WechatAPI;

  before(async () => {
    a = await createAccount(env(), await createMerchant(env()));
    api = sdk(env(), a);
  });

  it('wechat-api creates, reads and removes the default menu', async () => {
    const none = await call((cb) => api.getMenu(cb));
    assert.equal(none.err?.code, 46003, 'no menu yet');
    assert.deepEqual(await ok<Result>((cb) => api.createMenu(MENU, cb)), { errcode: 0, errmsg: 'ok' });
    const got = (await ok<Result>((cb) => api.getMenu(cb))) as { menu: { button: Result[]; menuid: number }; conditionalmenu?: unknown };
    assert.equal(typeof got.menu.menuid, 'number');
    assert.equal(got.conditionalmenu, undefined, 'no conditionalmenu without conditional menus');
    assert.deepEqual(got.menu.button[0], { type: 'click', name: '今日歌曲', key: 'V1001_TODAY_MUSIC', sub_button: [] });
    assert.deepEqual(got.menu.button[2], { type: 'pic_weixin', name: '发图', key: 'rselfmenu_1_2', sub_button: [] });
    const sub = (got.menu.button[1] as { name: string; sub_button: Result[] }).sub_button;
    assert.deepEqual(sub.map((b) => b.type), ['view', 'scancode_push', 'location_select', 'miniprogram', 'media_id']);
    assert.deepEqual(sub[3], { type: 'miniprogram', name: 'wxa', url: 'http://mp.weixin.qq.com', appid: 'wx286b93c14bbf93aa', pagepath: 'pages/lunar/index', sub_button: [] });
    assert.equal(Object.keys(got.menu.button[1] ?? {}).join(), 'name,sub_button', 'a parent has no type');

    const config = (await ok<Result>((cb) => api.getMenuConfig(cb))) as { is_menu_open: number; selfmenu_info: { button: Array<Result & { sub_button?: { list: Result[] } }> } };
    assert.equal(config.is_menu_open, 1);
    assert.equal(config.selfmenu_info.button[1]?.sub_button?.list[4]?.value, 'MEDIA_ID1');

    // Re-creating replaces the menu and gives it a new menuid.
    await ok((cb) => api.createMenu({ button: [{ type: 'click', name: 'only', key: 'K' }] }, cb));
    const again = (await ok<Result>((cb) => api.getMenu(cb))) as { menu: { button: Result[]; menuid: number } };
    assert.equal(again.menu.button.length, 1);
    assert.notEqual(again.menu.menuid, got.menu.menuid);

    assert.deepEqual(await ok<Result>((cb) => api.removeMenu(cb)), { errcode: 0, errmsg: 'ok' });
    assert.equal((await call((cb) => api.getMenu(cb))).err?.code, 46003);
    const off = (await ok<Result>((cb) => api.getMenuConfig(cb))) as { is_menu_open: number };
    assert.equal(off.is_menu_open, 0);
  });

  it('conditional menus: need a default menu, match by tag (newest first), trymatch, delconditional', async () => {
    const e = env();
    const b = await createAccount(e, await createMerchant(e));
    const bApi = sdk(e, b);
    const rule = { button: [{ type: 'click', name: 'VIP', key: 'VIP' }], matchrule: { tag_id: '100' } };
    assert.equal((await call((cb) => bApi.createCustomMenu(rule, cb))).err?.code, 65303, 'no default menu yet');

    await ok((cb) => bApi.createMenu({ button: [{ type: 'click', name: 'Default', key: 'DEFAULT' }] }, cb));
    const vip = await ok<{ tag: { id: number } }>((cb) => bApi.createTag('VIP', cb));
    const gold = await ok<{ tag: { id: number } }>((cb) => bApi.createTag('Gold', cb));
    const m1 = await ok<{ menuid: string }>((cb) => bApi.createCustomMenu({ button: [{ type: 'click', name: 'VIP', key: 'VIP' }], matchrule: { tag_id: String(vip.tag.id) } }, cb));
    const m2 = await ok<{ menuid: string }>((cb) => bApi.createCustomMenu({ button: [{ type: 'click', name: 'Gold', key: 'GOLD' }], matchrule: { tag_id: String(gold.tag.id) } }, cb));
    assert.match(m1.menuid, /^\d+$/);
    assert.ok(BigInt(m2.menuid) > BigInt(m1.menuid));

    const plain = await follow(e, await createConsumer(e), b);
    const both = await follow(e, await createConsumer(e), b);
    const onlyVip = await follow(e, await createConsumer(e), b);
    await ok((cb) => bApi.membersBatchtagging(vip.tag.id, [both, onlyVip], cb));
    await ok((cb) => bApi.membersBatchtagging(gold.tag.id, [both], cb));

    const keyOf = async (openid: string) => ((await ok<{ button: Result[] }>((cb) => bApi.testCustomMenu(openid, cb))).button[0] ?? {}).key;
    assert.equal(await keyOf(plain), 'DEFAULT');
    assert.equal(await keyOf(onlyVip), 'VIP');
    assert.equal(await keyOf(both), 'GOLD', 'the newest matching conditional menu wins');
    assert.equal((await call((cb) => bApi.testCustomMenu('o_not_a_follower_of_this_account', cb))).err?.code, 65302);

    const got = (await ok<Result>((cb) => bApi.getMenu(cb))) as { conditionalmenu: Array<{ menuid: number; matchrule: Result; button: Result[] }> };
    assert.deepEqual(got.conditionalmenu.map((m) => String(m.menuid)), [m2.menuid, m1.menuid]);
    assert.deepEqual(got.conditionalmenu[1]?.matchrule, { tag_id: String(vip.tag.id) });

    await ok((cb) => bApi.removeCustomMenu(m2.menuid, cb));
    assert.equal(await keyOf(both), 'VIP');
    assert.equal((await call((cb) => bApi.removeCustomMenu(m2.menuid, cb))).err?.code, 65301, 'already deleted');

    // Re-creating the default menu keeps conditional menus; menu/delete removes them all.
    await ok((cb) => bApi.createMenu({ button: [{ type: 'click', name: 'New default', key: 'NEW' }] }, cb));
    assert.equal(await keyOf(onlyVip), 'VIP');
    assert.equal(await keyOf(plain), 'NEW');
    await ok((cb) => bApi.removeMenu(cb));
    assert.equal((await call((cb) => bApi.testCustomMenu(onlyVip, cb))).err?.code, 46003);
    const rows = await e.platform.handle.db.selectFrom('menus').select('id').where('account_id', '=', b.id).execute();
    assert.equal(rows.length, 0);
  });

  it('refuses bad conditional rules with their errcodes and stores nothing', async () => {
    const e = env();
    const c = await createAccount(e, await createMerchant(e));
    const token = await accessToken(e, c);
    assert.equal((await wxPost(e, '/cgi-bin/menu/create', token, { button: [{ type: 'click', name: 'D', key: 'D' }] })).errcode, 0);
    const buttons = [{ type: 'click', name: 'C', key: 'C' }];
    const add = async (body: unknown) => (await wxPost(e, '/cgi-bin/menu/addconditional', token, body)).errcode;
    assert.equal(await add({ button: buttons }), 65304, 'no matchrule');
    assert.equal(await add({ button: buttons, matchrule: {} }), 65304, 'empty matchrule');
    assert.equal(await add({ button: buttons, matchrule: { tag_id: '' } }), 65304, 'only empty fields');
    assert.equal(await add({ button: buttons, matchrule: { sex: '1' } }), 65320, 'privacy rules are refused');
    assert.equal(await add({ button: buttons, matchrule: { tag_id: '100', country: '中国' } }), 65320);
    assert.equal(await add({ button: buttons, matchrule: { tag_id: '999' } }), 45159, 'no such tag');
    assert.equal(await add({ button: buttons, matchrule: { tag_id: 'abc' } }), 45159);
    assert.equal(await add({ button: buttons, matchrule: { client_platform_type: '7' } }), 47001);
    assert.equal(await add({ button: [], matchrule: { client_platform_type: '1' } }), 40016);
    const link = (host: string) => ({ type: 'view', name: host, url: `https://${host}/` });
    assert.equal(await add({ button: [link('a.test'), link('b.test')], matchrule: { client_platform_type: '1' } }), undefined);
    assert.equal(await add({ button: [link('c.test'), link('d.test')], matchrule: { client_platform_type: '2' } }), 65316, 'at most 3 link domains');
    assert.equal((await wxPost(e, '/cgi-bin/menu/delconditional', token, { menuid: 'not-a-number' })).errcode, 65301);
    assert.equal((await wxPost(e, '/cgi-bin/menu/trymatch', token, {})).errcode, 65302);
    const got = await wxGet(e, '/cgi-bin/menu/get', token);
    assert.equal((got.conditionalmenu as unknown[]).length, 1, 'only the valid conditional menu was stored');
    for (let i = 1; i < MAX_CONDITIONAL_MENUS; i++) assert.equal(await add({ button: buttons, matchrule: { client_platform_type: '2' } }), undefined);
    assert.equal(await add({ button: buttons, matchrule: { client_platform_type: '2' } }), 65305, `at most ${MAX_CONDITIONAL_MENUS} conditional menus`);
  });

  it('refuses every malformed menu with WeChat’s errcode and keeps the current menu', async () => {
    const e = env();
    const d = await createAccount(e, await createMerchant(e));
    const token = await accessToken(e, d);
    const current = { button: [{ type: 'click', name: 'Keep', key: 'KEEP' }] };
    assert.equal((await wxPost(e, '/cgi-bin/menu/create', token, current)).errcode, 0);
    const before = await wxGet(e, '/cgi-bin/menu/get', token);

    const click = (over: Result = {}) => ({ type: 'click', name: 'ok', key: 'k', ...over });
    const parent = (...subs: unknown[]) => ({ name: 'parent', sub_button: subs });
    const cases: Array<[number, string, unknown]> = [
      [40016, 'no button array', {}],
      [40016, 'zero buttons', { button: [] }],
      [40016, 'four buttons', { button: [click(), click(), click(), click()] }],
      [40017, 'unknown type', { button: [click({ type: 'dance' })] }],
      [40017, 'no type, no sub buttons', { button: [{ name: 'x', key: 'k' }] }],
      [40018, 'empty name', { button: [click({ name: '' })] }],
      [40018, 'name over 16 bytes', { button: [click({ name: '一二三四五六' })] }],
      [40019, 'click without key', { button: [click({ key: undefined })] }],
      [40019, 'key over 128 bytes', { button: [click({ key: 'k'.repeat(129) })] }],
      [40020, 'view without url', { button: [{ type: 'view', name: 'v' }] }],
      [40020, 'url over 1024 bytes', { button: [{ type: 'view', name: 'v', url: `https://a.test/${'x'.repeat(1010)}` }] }],
      [40055, 'url not http(s)', { button: [{ type: 'view', name: 'v', url: 'javascript:alert(1)' }] }],
      [40022, 'a third level', { button: [parent({ ...click(), sub_button: [click()] })] }],
      [40023, 'six sub buttons', { button: [parent(click(), click(), click(), click(), click(), click())] }],
      [40023, 'empty parent', { button: [{ name: 'p', sub_button: [] }] }],
      [40024, 'bad sub type', { button: [parent(click({ type: 'dance' }))] }],
      [40025, 'sub name over 60 bytes', { button: [parent(click({ name: 'x'.repeat(61) }))] }],
      [40026, 'sub key missing', { button: [parent({ type: 'scancode_waitmsg', name: 's' })] }],
      [40027, 'sub view with key instead of url', { button: [parent({ type: 'view', name: 'v', key: 'https://a.test/' })] }],
      [40054, 'sub url without scheme', { button: [parent({ type: 'view', name: 'v', url: 'www.soso.com' })] }],
      [40007, 'media_id missing', { button: [{ type: 'media_id', name: 'm' }] }],
      [47001, 'article_id missing', { button: [{ type: 'article_view_limited', name: 'a' }] }],
      [40166, 'miniprogram without appid', { button: [{ type: 'miniprogram', name: 'w', url: 'https://a.test/', pagepath: 'p' }] }],
      [40165, 'miniprogram without pagepath', { button: [{ type: 'miniprogram', name: 'w', url: 'https://a.test/', appid: 'wx286b93c14bbf93aa' }] }],
    ];
    for (const [code, why, body] of cases) {
      const res = await wxPost(e, '/cgi-bin/menu/create', token, body);
      assert.equal(res.errcode, code, `${why}: ${JSON.stringify(res)}`);
    }
    // Limits are inclusive: 16 bytes top, 60 bytes sub, 128-byte key, 1024-byte url.
    const edge = { button: [click({ name: '一二三四五' + 'x', key: 'k'.repeat(128) }), parent(click({ name: 'x'.repeat(60) }), { type: 'view', name: 'v', url: `https://a.test/${'x'.repeat(1024 - 15)}` })] };
    assert.equal((await wxPost(e, '/cgi-bin/menu/create', token, edge)).errcode, 0);
    await wxPost(e, '/cgi-bin/menu/create', token, current);
    const after = await wxGet(e, '/cgi-bin/menu/get', token);
    assert.deepEqual((after.menu as { button: unknown }).button, (before.menu as { button: unknown }).button);
    const raw = await e.app.inject({ method: 'POST', url: `/cgi-bin/menu/create?access_token=${token}`, payload: '{"button": [' });
    assert.equal(raw.json().errcode, 47001, 'malformed JSON');
  });

  it("another account's token neither sees nor changes this account's menus", async () => {
    const e = env();
    const owner = await createAccount(e, await createMerchant(e));
    const other = await createAccount(e, await createMerchant(e));
    const ownerToken = await accessToken(e, owner);
    const otherToken = await accessToken(e, other);
    await wxPost(e, '/cgi-bin/menu/create', ownerToken, { button: [{ type: 'click', name: 'Mine', key: 'MINE' }] });
    const rule = await wxPost(e, '/cgi-bin/menu/addconditional', ownerToken, { button: [{ type: 'click', name: 'iOS', key: 'IOS' }], matchrule: { client_platform_type: '1' } });
    const openid = await follow(e, await createConsumer(e), owner);

    assert.equal((await wxGet(e, '/cgi-bin/menu/get', otherToken)).errcode, 46003, "B has no menu and cannot read A's");
    assert.equal((await wxGet(e, '/cgi-bin/menu/delete', otherToken)).errcode, 0, "B's delete only deletes B's (empty) menu");
    assert.equal((await wxPost(e, '/cgi-bin/menu/delconditional', otherToken, { menuid: rule.menuid })).errcode, 65301);
    assert.equal((await wxPost(e, '/cgi-bin/menu/trymatch', otherToken, { user_id: openid })).errcode, 65302);
    const selfInfo = await wxGet(e, '/cgi-bin/get_current_selfmenu_info', otherToken);
    assert.equal(selfInfo.is_menu_open, 0);
    assert.equal((await wxGet(e, '/cgi-bin/menu/get', 'x'.repeat(128))).errcode, 40001, 'unknown token');

    const mine = await wxGet(e, '/cgi-bin/menu/get', ownerToken);
    assert.equal(((mine.menu as { button: Result[] }).button[0] ?? {}).key, 'MINE');
    assert.equal((mine.conditionalmenu as unknown[]).length, 1);
    // A service call for another account with a valid app context is refused too.
    const ctx = { actor: { kind: 'app' as const, orgId: 'org', accountId: other.id }, requestId: 'r' };
    await assert.rejects(e.platform.services.menus.remove(ctx, owner.id), (err: { wxErrcode?: number }) => err.wxErrcode === 48001);
  });
}, { listen: true });
