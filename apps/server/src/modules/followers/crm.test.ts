import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createAccount, createConsumer, createMerchant, follow, type TestMerchant } from '../../testing/factories.ts';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { randomString } from '../../platform/ids.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
interface Res { status: number; raw: string; body: Record<string, unknown> & { error?: { code: string; details?: { reason?: string } } } }
type Page = { total: number; items: { openid: string; nickname: string; remark: string; tagIds: number[]; blacklisted: boolean; subscribeScene: string; qrScene: string | null }[] };

async function call(e: TestEnv, method: Method, url: string, headers: Record<string, string>, body?: unknown): Promise<Res> {
  const res = await e.app.inject({ method, url, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
  return { status: res.statusCode, raw: res.body, body: res.body ? (JSON.parse(res.body) as Res['body']) : {} };
}
async function member(e: TestEnv, owner: TestMerchant, role: string): Promise<Record<string, string>> {
  const email = `${randomString(8).toLowerCase()}@member.test`;
  assert.equal((await call(e, 'POST', '/api/v1/merchant/staff', owner.headers, { email, name: role, role, password: 'member-pass-1' })).status, 201);
  const signed = await call(e, 'POST', '/api/v1/merchant/signin', {}, { email, password: 'member-pass-1' });
  return { authorization: `Bearer ${String(signed.body.token)}`, 'x-lianjie-session-kind': 'merchant' };
}

describeOnBothDbs('Followers CRM (console)', (env) => {
  it('searches, filters by tag and scene, pages; bulk tags; tag CRUD; other orgs get 404', async () => {
    const e = env();
    const owner = await createMerchant(e);
    const account = await createAccount(e, owner);
    const base = `/api/v1/merchant/accounts/${account.id}`;
    const alice = await createConsumer(e, 'Alice Wong');
    const bob = await createConsumer(e, 'Bob Li');
    const aliceId = await follow(e, alice, account);
    const bobId = await follow(e, bob, account, { scene: 'ADD_SCENE_QR_CODE', qrSceneStr: 'shop-door' });
    const page = async (q: string, h = owner.headers) => JSON.parse((await call(e, 'GET', `${base}/followers${q}`, h)).raw) as Page;

    assert.equal((await page('')).total, 2);
    assert.deepEqual((await page('?q=alice')).items.map((f) => f.openid), [aliceId]);
    assert.deepEqual((await page('?scene=ADD_SCENE_QR_CODE')).items.map((f) => f.openid), [bobId]);
    assert.deepEqual((await page('?qrScene=shop-door')).items.map((f) => f.qrScene), ['shop-door']);
    const paged = await page('?pageSize=1&page=2');
    assert.deepEqual([paged.total, paged.items.length], [2, 1]);
    assert.equal((await call(e, 'GET', `${base}/followers?scene=NOPE`, owner.headers)).status, 400);

    const tag = await call(e, 'POST', `${base}/tags`, owner.headers, { name: 'VIP' });
    assert.equal(tag.status, 201, tag.raw);
    const tagId = Number(tag.body.id);
    assert.equal((await call(e, 'POST', `${base}/tags`, owner.headers, { name: 'VIP' })).status, 400);
    assert.equal((await call(e, 'POST', `${base}/followers/tagging`, owner.headers, { tagId, openids: [aliceId, bobId], action: 'add' })).status, 200);
    assert.equal((await page(`?tagId=${tagId}`)).total, 2);
    assert.equal((await call(e, 'POST', `${base}/followers/tagging`, owner.headers, { tagId, openids: [bobId], action: 'remove' })).status, 200);
    assert.deepEqual((await page(`?tagId=${tagId}`)).items.map((f) => f.openid), [aliceId]);
    assert.equal((await call(e, 'PUT', `${base}/tags/${tagId}`, owner.headers, { name: 'Gold' })).status, 200);
    const tags = JSON.parse((await call(e, 'GET', `${base}/tags`, owner.headers)).raw) as { id: number; name: string; count: number }[];
    assert.deepEqual(tags.find((t) => t.id === tagId), { id: tagId, name: 'Gold', count: 1 });

    const remark = await call(e, 'PUT', `${base}/followers/${aliceId}/remark`, owner.headers, { remark: 'Regular' });
    assert.equal(remark.body.remark, 'Regular');
    assert.deepEqual((await page('?q=regul')).items.map((f) => f.openid), [aliceId]);
    assert.equal((await call(e, 'PUT', `${base}/followers/${aliceId}/remark`, owner.headers, { remark: 'x'.repeat(31) })).status, 400);

    const other = await createMerchant(e);
    assert.equal((await call(e, 'GET', `${base}/followers`, other.headers)).status, 404);
    assert.equal((await call(e, 'GET', `${base}/followers/${aliceId}`, other.headers)).status, 404);
    assert.equal((await call(e, 'GET', `${base}/followers/${aliceId}/messages`, other.headers)).status, 404);
    assert.equal((await call(e, 'PUT', `${base}/followers/${aliceId}/remark`, other.headers, { remark: 'x' })).status, 404);
    assert.equal((await call(e, 'GET', `${base}/tags`, other.headers)).status, 404);
    assert.equal((await call(e, 'DELETE', `${base}/tags/${tagId}`, other.headers)).status, 404);
    assert.equal((await call(e, 'DELETE', `${base}/tags/${tagId}`, owner.headers)).status, 200);
  });

  it('cs edits remarks and tags but may not blacklist; the blacklist stops delivery to the merchant; finance is refused', async () => {
    const e = env();
    const owner = await createMerchant(e);
    const account = await createAccount(e, owner);
    const consumer = await createConsumer(e, 'Carol');
    const openid = await follow(e, consumer, account);
    const one = `/api/v1/merchant/accounts/${account.id}/followers/${openid}`;
    const cs = await member(e, owner, 'cs');
    assert.equal((await call(e, 'PUT', `${one}/remark`, cs, { remark: 'from cs' })).status, 200);
    const refused = await call(e, 'PUT', `${one}/blacklist`, cs, { blacklisted: true });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error?.details?.reason, 'ROLE_FORBIDS');
    const finance = await member(e, owner, 'finance');
    assert.equal((await call(e, 'GET', `/api/v1/merchant/accounts/${account.id}/followers`, finance)).status, 403);

    const black = await call(e, 'PUT', `${one}/blacklist`, owner.headers, { blacklisted: true });
    assert.equal(black.body.blacklisted, true, black.raw);
    assert.equal(await e.platform.services.blacklist.isBlacklisted(e.platform.handle.db, account.id, consumer.id), true);
    assert.equal((await call(e, 'PUT', `${one}/blacklist`, owner.headers, { blacklisted: false })).body.blacklisted, false);

    await e.platform.services.conversations.sendMessage(consumer.ctx, account.id, { type: 'text', content: 'history' });
    const history = JSON.parse((await call(e, 'GET', `${one}/messages`, cs)).raw) as { content: { content?: string } }[];
    assert.equal(history.at(-1)?.content.content, 'history');
  });
});
