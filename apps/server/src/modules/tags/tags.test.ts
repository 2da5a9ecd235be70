import assert from 'node:assert/strict';
import { it } from 'node:test';
import type WechatAPI from 'wechat-api';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { wxGet, wxPost } from '../../testing/factories.ts';
import { call, errcodeOf, tenantWithFollowers, type Tenant } from '../../testing/wechat-sdk.ts';

type TagList = { tags: Array<{ id: number; name: string; count: number }> };
const STARRED = { id: 2, name: '星标组' };

const tagsOf = (t: Tenant) => call<TagList>((cb) => t.api.getTags(cb));
const idsOf = (t: Tenant, openid: string) => call<{ tagid_list: number[] }>((cb) => t.api.getUserTags(openid, cb));
const create = (t: Tenant, name: string) => call<{ tag: { id: number; name: string } }>((cb) => t.api.createTag(name, cb));
const members = (t: Tenant, tagId: number, next?: string) => call<WechatAPI.OpenidPage>((cb) => t.api.getTagUsers(tagId, next, cb));

/** Creates `n` tags directly through the service (fast), named prefix0…prefixN-1. */
async function bulkCreate(e: TestEnv, t: Tenant, n: number, prefix: string): Promise<number[]> {
  const ctx = { actor: { kind: 'app' as const, orgId: t.merchant.orgId, accountId: t.account.id }, requestId: 'test' };
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push((await e.platform.services.tags.create(ctx, t.account.id, `${prefix}${i}`)).id);
  return ids;
}

describeOnBothDbs('OA user tags', (env) => {
  it('creates tags from id 100, lists them with the starred system tag and counts, renames and deletes', async () => {
    const t = await tenantWithFollowers(env(), 2);
    assert.deepEqual(await tagsOf(t), { tags: [{ ...STARRED, count: 0 }] });
    assert.deepEqual(await create(t, '广东'), { tag: { id: 100, name: '广东' } });
    assert.deepEqual(await create(t, 'VIP'), { tag: { id: 101, name: 'VIP' } });
    await call((cb) => t.api.membersBatchtagging(100, t.openids, cb));
    await call((cb) => t.api.membersBatchtagging(2, [t.openids[0]!], cb));
    assert.deepEqual(await tagsOf(t), { tags: [{ ...STARRED, count: 1 }, { id: 100, name: '广东', count: 2 }, { id: 101, name: 'VIP', count: 0 }] });

    await call((cb) => t.api.editTag(100, '广东人', cb));
    await call((cb) => t.api.editTag(101, 'VIP', cb)); // its own name again
    await call((cb) => t.api.deleteTag(100, cb));
    assert.deepEqual(await tagsOf(t), { tags: [{ ...STARRED, count: 1 }, { id: 101, name: 'VIP', count: 0 }] });
    assert.deepEqual(await idsOf(t, t.openids[0]!), { tagid_list: [2] }, 'deleting a tag takes it off its followers');
    // Ids are never reused.
    assert.deepEqual(await create(t, '广东'), { tag: { id: 102, name: '广东' } });
  });

  it('refuses bad names (45157/45158), duplicates (45157) and reserved tags (45058), changing nothing', async () => {
    const e = env();
    const t = await tenantWithFollowers(e, 0);
    await create(t, '中'.repeat(10)); // 30 bytes: the maximum
    await create(t, 'taken');
    const before = await tagsOf(t);
    const cases: Array<[() => Promise<unknown>, number]> = [
      [() => create(t, ''), 45157],
      [() => create(t, '   '), 45157],
      [() => create(t, 'taken'), 45157],
      [() => create(t, '星标组'), 45157],
      [() => create(t, 'a'.repeat(31)), 45158],
      [() => create(t, '中'.repeat(11)), 45158],
      [() => call((cb) => t.api.editTag(101, '中中中中中中中中中中中', cb)), 45158],
      [() => call((cb) => t.api.editTag(101, '中'.repeat(10), cb)), 45157],
      [() => call((cb) => t.api.editTag(999, 'nobody', cb)), 45159],
      [() => call((cb) => t.api.deleteTag(999, cb)), 45159],
    ];
    for (const id of [0, 1, 2]) cases.push([() => call((cb) => t.api.editTag(id, 'mine', cb)), 45058], [() => call((cb) => t.api.deleteTag(id, cb)), 45058]);
    for (const [run, code] of cases) assert.equal(await errcodeOf(run()), code);
    assert.deepEqual(await tagsOf(t), before);

    // Malformed or mistyped JSON is 47001.
    const raw = await e.app.inject({ method: 'POST', url: `/cgi-bin/tags/create?access_token=${t.token}`, payload: '{"tag":{"name":', headers: { 'content-type': 'application/json' } });
    assert.equal(raw.json().errcode, 47001);
    for (const body of [{}, { tag: 'x' }, { tag: { name: 5 } }]) assert.equal((await wxPost(e, '/cgi-bin/tags/create', t.token, body)).errcode, 47001);
    assert.equal((await wxPost(e, '/cgi-bin/tags/update', t.token, { tag: { id: 'abc', name: 'x' } })).errcode, 47001);
    assert.equal((await wxPost(e, '/cgi-bin/tags/delete', t.token, { tag: { id: 1.5 } })).errcode, 47001);
    assert.equal((await wxPost(e, '/cgi-bin/tags/delete', t.token, { tag: { id: 99999999999 } })).errcode, 45159);
    assert.deepEqual(await tagsOf(t), before);
  });

  it('allows 100 tags per account (45056), also under concurrent creation', async () => {
    const e = env();
    const t = await tenantWithFollowers(e, 0);
    await bulkCreate(e, t, 97, 't');
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => errcodeOf(create(t, n))));
    assert.deepEqual(results.filter((r) => r === undefined).length, 3);
    assert.deepEqual(results.filter((r) => r === 45056).length, 2);
    const { tags } = await tagsOf(t);
    assert.equal(tags.filter((x) => x.id >= 100).length, 100);
    assert.equal(new Set(tags.map((x) => x.id)).size, tags.length);
    await call((cb) => t.api.deleteTag(tags[1]!.id, cb));
    await create(t, 'again');
  });

  it('tags and untags up to 50 followers at once; lists members with next_openid; getidlist', async () => {
    const e = env();
    const t = await tenantWithFollowers(e, 3);
    const { tag } = await create(t, 'regulars');
    assert.deepEqual(await members(t, tag.id), { count: 0, next_openid: '' });
    await call((cb) => t.api.membersBatchtagging(tag.id, [...t.openids, t.openids[0]!], cb)); // a duplicate is harmless
    await call((cb) => t.api.membersBatchtagging(tag.id, [t.openids[0]!], cb)); // so is tagging twice
    const all = await members(t, tag.id);
    const order = all.data?.openid ?? [];
    assert.deepEqual([...order].sort(), [...t.openids].sort());
    assert.deepEqual(all, { count: 3, data: { openid: order }, next_openid: order[2] });
    assert.deepEqual(await members(t, tag.id, order[0]), { count: 2, data: { openid: order.slice(1) }, next_openid: order[2] });
    assert.deepEqual(await members(t, tag.id, order[2]), { count: 0, next_openid: '' });
    assert.deepEqual(await idsOf(t, t.openids[1]!), { tagid_list: [tag.id] });
    const info = await call<WechatAPI.UserInfo>((cb) => t.api.getUser(t.openids[1]!, cb));
    assert.deepEqual(info.tagid_list, [tag.id]);

    await call((cb) => t.api.membersBatchuntagging(tag.id, [t.openids[1]!], cb));
    assert.deepEqual(await idsOf(t, t.openids[1]!), { tagid_list: [] });
    assert.equal((await tagsOf(t)).tags.find((x) => x.id === tag.id)?.count, 2);
  });

  it('refuses bad tagging (40032, 45159, 40003) and more than 20 tags a follower (45059), all or nothing', async () => {
    const e = env();
    const t = await tenantWithFollowers(e, 2);
    const left = await tenantWithFollowers(e, 0);
    const [a, b] = [t.openids[0]!, t.openids[1]!];
    await e.platform.services.conversations.unfollow(t.consumers[1]!.ctx, t.account.id);
    const ids = await bulkCreate(e, t, 21, 'tag');
    const first = ids[0]!;
    const fiftyOne = Array.from({ length: 51 }, (_, i) => (i === 0 ? a : `oFake${String(i).padStart(23, '0')}`));
    const cases: Array<[() => Promise<unknown>, number]> = [
      [() => call((cb) => t.api.membersBatchtagging(first, [], cb)), 40032],
      [() => call((cb) => t.api.membersBatchtagging(first, fiftyOne, cb)), 40032],
      [() => call((cb) => t.api.membersBatchuntagging(first, fiftyOne, cb)), 40032],
      [() => call((cb) => t.api.membersBatchtagging(999, [a], cb)), 45159],
      [() => call((cb) => t.api.membersBatchtagging(0, [a], cb)), 45159],
      [() => call((cb) => t.api.membersBatchtagging(1, [a], cb)), 45159],
      [() => call((cb) => t.api.membersBatchuntagging(999, [a], cb)), 45159],
      [() => call((cb) => t.api.membersBatchtagging(first, [a, 'oNotAFollower00000000000000x'], cb)), 40003],
      [() => call((cb) => t.api.membersBatchtagging(first, [a, b], cb)), 40003], // b unsubscribed
      [() => call((cb) => left.api.membersBatchtagging(first, [a], cb)), 45159],
      [() => call((cb) => t.api.getTagUsers(999, undefined, cb)), 45159],
      [() => call((cb) => t.api.getUserTags('oNotAFollower00000000000000x', cb)), 40003],
    ];
    for (const [run, code] of cases) assert.equal(await errcodeOf(run()), code);
    assert.deepEqual(await idsOf(t, a), { tagid_list: [] }, 'nothing was tagged');
    assert.equal((await wxPost(e, '/cgi-bin/tags/members/batchtagging', t.token, { openid_list: a, tagid: first })).errcode, 47001);
    assert.equal((await wxPost(e, '/cgi-bin/tags/members/batchtagging', t.token, { openid_list: [a], tagid: 'x1' })).errcode, 47001);

    for (const id of ids.slice(0, 19)) await call((cb) => t.api.membersBatchtagging(id, [a], cb));
    await call((cb) => t.api.membersBatchtagging(2, [a], cb)); // the starred tag counts too: 20
    assert.equal(await errcodeOf(call((cb) => t.api.membersBatchtagging(ids[20]!, [a], cb))), 45059);
    await call((cb) => t.api.membersBatchtagging(ids[0]!, [a], cb)); // already has it: still 20
    const now = (await idsOf(t, a)).tagid_list;
    assert.equal(now.length, 20);
    assert.deepEqual(now, [2, ...ids.slice(0, 19)]);
    // tagid as a digit string is accepted.
    assert.equal((await wxPost(e, '/cgi-bin/tags/members/batchuntagging', t.token, { openid_list: [a], tagid: String(first) })).errcode, 0);
    assert.equal((await idsOf(t, a)).tagid_list.length, 19);
  });

  it('a follower who unsubscribes leaves tag lists and counts, and has no tags in getidlist', async () => {
    const e = env();
    const t = await tenantWithFollowers(e, 2);
    const { tag } = await create(t, 'leaving');
    await call((cb) => t.api.membersBatchtagging(tag.id, t.openids, cb));
    await e.platform.services.conversations.unfollow(t.consumers[0]!.ctx, t.account.id);
    assert.deepEqual(await members(t, tag.id), { count: 1, data: { openid: [t.openids[1]] }, next_openid: t.openids[1] });
    assert.equal((await tagsOf(t)).tags.find((x) => x.id === tag.id)?.count, 1);
    assert.deepEqual(await idsOf(t, t.openids[0]!), { tagid_list: [] });
    assert.equal(await errcodeOf(call((cb) => t.api.membersBatchuntagging(tag.id, [t.openids[0]!], cb))), 40003);
  });

  it("another merchant's token reaches neither this account's tags (45159) nor its followers (40003)", async () => {
    const e = env();
    const a = await tenantWithFollowers(e, 1);
    const b = await tenantWithFollowers(e, 1);
    const { tag } = await create(a, 'mine');
    await call((cb) => a.api.membersBatchtagging(tag.id, a.openids, cb));
    const snapshot = async () => [await tagsOf(a), await idsOf(a, a.openids[0]!), await members(a, tag.id)];
    const before = await snapshot();
    const attempts: Array<[string, Record<string, unknown> | undefined, number]> = [
      ['/cgi-bin/tags/update', { tag: { id: tag.id, name: 'stolen' } }, 45159],
      ['/cgi-bin/tags/delete', { tag: { id: tag.id } }, 45159],
      ['/cgi-bin/tags/members/batchtagging', { openid_list: b.openids, tagid: tag.id }, 45159],
      ['/cgi-bin/tags/members/batchuntagging', { openid_list: b.openids, tagid: tag.id }, 45159],
      ['/cgi-bin/tags/members/batchtagging', { openid_list: a.openids, tagid: 2 }, 40003],
      ['/cgi-bin/tags/members/batchuntagging', { openid_list: a.openids, tagid: 2 }, 40003],
      ['/cgi-bin/user/tag/get', { tagid: tag.id }, 45159],
      ['/cgi-bin/user/tag/get', { tagid: 2, next_openid: a.openids[0] }, 40003],
      ['/cgi-bin/tags/getidlist', { openid: a.openids[0] }, 40003],
    ];
    for (const [path, body, code] of attempts) assert.equal((await wxPost(e, path, b.token, body)).errcode, code, path);
    assert.deepEqual((await wxGet(e, '/cgi-bin/tags/get', b.token)).tags, [{ ...STARRED, count: 0 }]);
    assert.deepEqual(await snapshot(), before);
    // B's own first tag has the same id as A's, and is B's alone.
    const own = await create(b, 'mine');
    assert.equal(own.tag.id, tag.id);
    assert.deepEqual(await members(b, own.tag.id), { count: 0, next_openid: '' });
    assert.deepEqual(await snapshot(), before);
  });
}, { listen: true });
