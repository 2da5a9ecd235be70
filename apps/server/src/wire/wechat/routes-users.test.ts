import assert from 'node:assert/strict';
import { it } from 'node:test';
import type WechatAPI from 'wechat-api';
import { describeOnBothDbs } from '../../testing/harness.ts';
import { createAccount, createConsumer, follow, wxGet, wxPost } from '../../testing/factories.ts';
import { call, errcodeOf, sdkFor, tenantWithFollowers } from '../../testing/wechat-sdk.ts';

const SUBSCRIBED_KEYS = ['groupid', 'language', 'openid', 'qr_scene', 'qr_scene_str', 'remark', 'subscribe', 'subscribe_scene', 'subscribe_time', 'tagid_list', 'unionid'];

describeOnBothDbs('OA users: user/info, batchget, user/get, updateremark', (env) => {
  it('user/info returns what WeChat returns today (lang=en from the SDK), scenes included', async () => {
    const e = env();
    const t = await tenantWithFollowers(e, 1);
    const viaQr = await createConsumer(e);
    const qrOpenid = await follow(e, viaQr, t.account, { scene: 'ADD_SCENE_QR_CODE', qrSceneStr: 'table-7' });
    const viaId = await createConsumer(e);
    const idOpenid = await follow(e, viaId, t.account, { scene: 'ADD_SCENE_QR_CODE', qrScene: 42n });

    const user = await call<WechatAPI.UserInfo>((cb) => t.api.getUser(t.openids[0] ?? '', cb));
    assert.deepEqual(Object.keys(user).sort(), SUBSCRIBED_KEYS);
    assert.equal(user.subscribe, 1);
    assert.equal(user.openid, t.openids[0]);
    assert.equal(user.language, 'zh_CN');
    assert.ok(Math.abs((user.subscribe_time ?? 0) - Date.now() / 1000) < 60, 'subscribe_time in unix seconds');
    assert.match(user.unionid ?? '', /^o[A-Za-z0-9_-]{27}$/);
    assert.deepEqual([user.remark, user.groupid, user.tagid_list, user.subscribe_scene, user.qr_scene, user.qr_scene_str], ['', 0, [], 'ADD_SCENE_SEARCH', 0, '']);

    const qr = await call<WechatAPI.UserInfo>((cb) => t.api.getUser({ openid: qrOpenid, lang: 'zh_CN' }, cb));
    assert.deepEqual([qr.subscribe_scene, qr.qr_scene, qr.qr_scene_str], ['ADD_SCENE_QR_CODE', 0, 'table-7']);
    const numeric = await call<WechatAPI.UserInfo>((cb) => t.api.getUser(idOpenid, cb));
    assert.deepEqual([numeric.subscribe_scene, numeric.qr_scene, numeric.qr_scene_str], ['ADD_SCENE_QR_CODE', 42, '']);
  });

  it('a consumer has distinct openids but one unionid across the accounts of an organisation', async () => {
    const e = env();
    const t = await tenantWithFollowers(e, 1);
    const second = await createAccount(e, t.merchant);
    const openid2 = await follow(e, t.consumers[0]!, second);
    assert.notEqual(openid2, t.openids[0]);
    const a = await call<WechatAPI.UserInfo>((cb) => t.api.getUser(t.openids[0] ?? '', cb));
    const b = await call<WechatAPI.UserInfo>((cb) => sdkFor(e, second).getUser(openid2, cb));
    assert.equal(a.unionid, b.unionid);
    // The sibling account's openid is unknown to this account.
    assert.equal(await errcodeOf(call<WechatAPI.UserInfo>((cb) => t.api.getUser(openid2, cb))), 40003);
  });

  it('a follower who unsubscribed is {subscribe:0, openid, tagid_list:[]} only', async () => {
    const e = env();
    const t = await tenantWithFollowers(e, 1);
    await e.platform.services.conversations.unfollow(t.consumers[0]!.ctx, t.account.id);
    const body = await wxGet(e, `/cgi-bin/user/info?openid=${t.openids[0]}&lang=zh_CN`, t.token);
    assert.deepEqual(body, { subscribe: 0, openid: t.openids[0], tagid_list: [] });
  });

  it('unknown, malformed, missing and other merchants\' openids are 40003', async () => {
    const e = env();
    const a = await tenantWithFollowers(e, 1);
    const b = await tenantWithFollowers(e, 1);
    for (const q of ['openid=oUnknownOpenid000000000000000', 'openid=%27%20or%201%3D1', 'lang=en', `openid=${a.openids[0]}`]) {
      assert.equal((await wxGet(e, `/cgi-bin/user/info?${q}`, b.token)).errcode, 40003, q);
    }
    assert.equal((await wxGet(e, `/cgi-bin/user/info?openid=${a.openids[0]}`, 'x'.repeat(96))).errcode, 40001);
  });

  it('user/get lists subscribed followers with next_openid paging; empty is {total:0,count:0,next_openid:""}', async () => {
    const e = env();
    const empty = await tenantWithFollowers(e, 0);
    assert.deepEqual(await call((cb) => empty.api.getFollowers(cb)), { total: 0, count: 0, next_openid: '' });

    const t = await tenantWithFollowers(e, 4);
    await e.platform.services.conversations.unfollow(t.consumers[3]!.ctx, t.account.id);
    const all = await call<WechatAPI.OpenidPage & { total: number }>((cb) => t.api.getFollowers(cb));
    // In the database's openid order (collation dependent), which paging then follows.
    const sorted = all.data?.openid ?? [];
    assert.deepEqual([...sorted].sort(), t.openids.slice(0, 3).sort());
    assert.deepEqual(all, { total: 3, count: 3, data: { openid: sorted }, next_openid: sorted[2] });
    const rest = await call((cb) => t.api.getFollowers(sorted[0] ?? '', cb));
    assert.deepEqual(rest, { total: 3, count: 2, data: { openid: sorted.slice(1) }, next_openid: sorted[2] });
    assert.deepEqual(await call((cb) => t.api.getFollowers(sorted[2] ?? '', cb)), { total: 3, count: 0, next_openid: '' });
    // A next_openid that is not one of this account's followers.
    const other = await tenantWithFollowers(e, 1);
    assert.equal(await errcodeOf(call((cb) => t.api.getFollowers(other.openids[0] ?? '', cb))), 40003);
    assert.equal((await wxGet(e, `/cgi-bin/user/get?next_openid=${t.openids[0]}`, other.token)).errcode, 40003);
  });

  it('batchget returns users in request order (the SDK sends `language`), 1..100 else 40032', async () => {
    const e = env();
    const t = await tenantWithFollowers(e, 3);
    await e.platform.services.conversations.unfollow(t.consumers[2]!.ctx, t.account.id);
    const order = [t.openids[2]!, t.openids[0]!, t.openids[1]!];
    const res = await call<{ user_info_list: WechatAPI.UserInfo[] }>((cb) => t.api.batchGetUsers(order, cb));
    assert.deepEqual(res.user_info_list.map((u) => u.openid), order);
    assert.deepEqual(res.user_info_list[0], { subscribe: 0, openid: order[0], tagid_list: [] });
    assert.equal(res.user_info_list[1]?.subscribe, 1);
    const viaDocs = await wxPost(e, '/cgi-bin/user/info/batchget', t.token, { user_list: [{ openid: t.openids[1], lang: 'en' }] });
    assert.equal((viaDocs.user_info_list as WechatAPI.UserInfo[])[0]?.openid, t.openids[1]);

    assert.equal(await errcodeOf(call((cb) => t.api.batchGetUsers([], cb))), 40032);
    const tooMany = Array.from({ length: 101 }, () => ({ openid: t.openids[0] }));
    assert.equal((await wxPost(e, '/cgi-bin/user/info/batchget', t.token, { user_list: tooMany })).errcode, 40032);
    assert.equal((await wxPost(e, '/cgi-bin/user/info/batchget', t.token, { user_list: tooMany.slice(0, 100) })).errcode, undefined);
    assert.equal(await errcodeOf(call((cb) => t.api.batchGetUsers([t.openids[0]!, 'oNotAFollower00000000000000x'], cb))), 40003);
    const b = await tenantWithFollowers(e, 0);
    assert.equal(await errcodeOf(call((cb) => b.api.batchGetUsers([t.openids[0]!], cb))), 40003);
    assert.equal((await wxPost(e, '/cgi-bin/user/info/batchget', t.token, { user_list: 'oAbc' })).errcode, 47001);
    const malformed = await e.app.inject({ method: 'POST', url: `/cgi-bin/user/info/batchget?access_token=${t.token}`, payload: '{"user_list":[', headers: { 'content-type': 'application/json' } });
    assert.equal(malformed.json().errcode, 47001);
  });

  it('updateremark sets a remark of at most 30 UTF-8 bytes (else 40092), and only on own followers', async () => {
    const e = env();
    const t = await tenantWithFollowers(e, 1);
    const openid = t.openids[0]!;
    const remarkOf = async () => (await call<WechatAPI.UserInfo>((cb) => t.api.getUser(openid, cb))).remark;
    await call((cb) => t.api.updateRemark(openid, 'pangzi', cb));
    assert.equal(await remarkOf(), 'pangzi');
    await call((cb) => t.api.updateRemark(openid, '中'.repeat(10), cb)); // exactly 30 bytes
    assert.equal(await remarkOf(), '中'.repeat(10));
    assert.equal(await errcodeOf(call((cb) => t.api.updateRemark(openid, '中'.repeat(10) + 'x', cb))), 40092);
    assert.equal(await errcodeOf(call((cb) => t.api.updateRemark(openid, 'a'.repeat(31), cb))), 40092);
    assert.equal(await remarkOf(), '中'.repeat(10), 'unchanged after the errors');

    const b = await tenantWithFollowers(e, 0);
    assert.equal(await errcodeOf(call((cb) => b.api.updateRemark(openid, 'hijack', cb))), 40003);
    assert.equal(await errcodeOf(call((cb) => t.api.updateRemark('oNotAFollower00000000000000x', 'x', cb))), 40003);
    assert.equal((await wxPost(e, '/cgi-bin/user/info/updateremark', t.token, { openid, remark: 7 })).errcode, 47001);
    assert.equal(await remarkOf(), '中'.repeat(10));
    await call((cb) => t.api.updateRemark(openid, '', cb));
    assert.equal(await remarkOf(), '');
  });
}, { listen: true });

describeOnBothDbs('OA blacklist: getblacklist, batchblacklist, batchunblacklist', (env) => {
  it('blacklists and unblacklists followers, pages by begin_openid, keeps tenants apart', async () => {
    const e = env();
    const t = await tenantWithFollowers(e, 3);
    const b = await tenantWithFollowers(e, 1);
    const list = async (token: string, begin?: string) => wxPost(e, '/cgi-bin/tags/members/getblacklist', token, begin === undefined ? {} : { begin_openid: begin });
    assert.deepEqual(await list(t.token), { total: 0, count: 0, next_openid: '' });

    const two = t.openids.slice(0, 2);
    assert.equal((await wxPost(e, '/cgi-bin/tags/members/batchblacklist', t.token, { openid_list: two })).errcode, 0);
    const sorted = ((await list(t.token)).data as { openid: string[] }).openid;
    assert.deepEqual([...sorted].sort(), [...two].sort());
    assert.deepEqual(await list(t.token), { total: 2, count: 2, data: { openid: sorted }, next_openid: sorted[1] });
    assert.deepEqual(await list(t.token, sorted[0]), { total: 2, count: 1, data: { openid: [sorted[1]] }, next_openid: sorted[1] });
    const blacklist = e.platform.services.blacklist;
    assert.equal(await blacklist.isBlacklisted(e.platform.handle.db, t.account.id, t.consumers[0]!.id), true);
    assert.equal(await blacklist.isBlacklisted(e.platform.handle.db, t.account.id, t.consumers[2]!.id), false);
    // The merchant's blacklist is not the consumer's own block of the account.
    const f = await e.platform.services.followers.findFollow(e.platform.handle.db, t.account.id, t.consumers[0]!.id);
    assert.equal(f?.blocked, false);

    // Errors change nothing: list sizes, unknown openids, another merchant's token or openids.
    const before = await list(t.token);
    const tooMany = Array.from({ length: 21 }, (_, i) => t.openids[i % 3]);
    for (const [token, body, code] of [
      [t.token, { openid_list: tooMany }, 40032],
      [t.token, { openid_list: [] }, 40032],
      [t.token, { openid_list: [t.openids[2], 'oNotAFollower00000000000000x'] }, 40003],
      [t.token, { openid_list: [t.openids[2], b.openids[0]] }, 40003],
      [b.token, { openid_list: [t.openids[2]] }, 40003],
      [t.token, { openid_list: 'nope' }, 47001],
    ] as const) {
      assert.equal((await wxPost(e, '/cgi-bin/tags/members/batchblacklist', token, body)).errcode, code);
    }
    assert.equal((await wxPost(e, '/cgi-bin/tags/members/batchunblacklist', b.token, { openid_list: [t.openids[0]] })).errcode, 40003);
    assert.deepEqual(await list(t.token), before);
    assert.deepEqual(await list(b.token), { total: 0, count: 0, next_openid: '' });
    assert.equal((await list(b.token, t.openids[0])).errcode, 40003);

    assert.equal((await wxPost(e, '/cgi-bin/tags/members/batchunblacklist', t.token, { openid_list: [t.openids[0]] })).errcode, 0);
    assert.deepEqual(await list(t.token), { total: 1, count: 1, data: { openid: [t.openids[1]] }, next_openid: t.openids[1] });
  });
}, { listen: true });
