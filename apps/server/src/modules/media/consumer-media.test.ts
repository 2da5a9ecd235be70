import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createAccount, createConsumer, createMerchant, follow, type TestConsumer } from '../../testing/factories.ts';
import { writeThreadMessage } from '../messaging/deliver.ts';
import { call, sdkFor } from '../../testing/wechat-sdk.ts';
import { multipart, sampleAmr, samplePng } from './samples.test-util.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-cmedia-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const upload = (e: TestEnv, c: TestConsumer | undefined, name: string, bytes: Buffer, field = 'media') => {
  const body = multipart(field, name, bytes);
  return e.app.inject({ method: 'POST', url: '/api/v1/media', payload: body.payload, headers: { ...body.headers, ...(c?.headers ?? {}) } });
};
const view = (e: TestEnv, c: TestConsumer | undefined, mediaId: string) => e.app.inject({ url: `/api/v1/media/${mediaId}`, headers: c?.headers ?? {} });
const consumerMediaCount = async (e: TestEnv, c: TestConsumer) => (await e.platform.handle.db.selectFrom('media_files').select('media_id').where('consumer_id', '=', c.id).execute()).length;

/** getMedia's outcome: the bytes, or the errcode of the JSON error. */
const getMedia = (api: ReturnType<typeof sdkFor>, mediaId: string) =>
  new Promise<Buffer | number>((resolve) => api.getMedia(mediaId, (_err, body) => resolve(Buffer.isBuffer(body) ? body : (body.errcode as number))));

describeOnBothDbs('consumer media', (env) => {
  it('a consumer uploads an image and only they can view it until they send it to an account', async () => {
    const e = env();
    const c = await createConsumer(e);
    const other = await createConsumer(e);
    const png = await samplePng();
    const res = await upload(e, c, 'me.png', png);
    assert.equal(res.statusCode, 201, res.body);
    const { mediaId, url } = res.json();
    assert.equal(url, `${e.config.publicUrl}/api/v1/media/${mediaId}`);
    const mine = await view(e, c, mediaId);
    assert.equal(mine.statusCode, 200);
    assert.equal(mine.headers['content-type'], 'image/png');
    assert.ok(mine.rawPayload.equals(png));
    assert.equal((await view(e, other, mediaId)).statusCode, 404);
    assert.equal((await view(e, undefined, mediaId)).statusCode, 401);

    // Sent to account A as an image message: A's server may fetch it with media/get; B may not.
    const a = await createAccount(e, await createMerchant(e));
    const b = await createAccount(e, await createMerchant(e));
    await follow(e, c, a);
    await follow(e, c, b);
    const apiA = sdkFor(e, a);
    assert.equal(await getMedia(apiA, mediaId), 40007, 'not before it was sent');
    const sent = await e.app.inject({ method: 'POST', url: `/api/v1/threads/${a.id}/messages`, headers: c.headers, payload: { type: 'image', url, mediaId } });
    assert.equal(sent.statusCode, 201, sent.body);
    const got = await getMedia(apiA, mediaId);
    assert.ok(Buffer.isBuffer(got) && got.equals(png), 'the receiving account gets the bytes');
    assert.equal(await getMedia(sdkFor(e, b), mediaId), 40007, 'another account does not');
  });

  it('refuses non-images, oversize files, missing files and signed-out uploads, storing nothing', async () => {
    const e = env();
    const c = await createConsumer(e);
    const png = await samplePng();
    const text = await upload(e, c, 'x.png', Buffer.from('just text'));
    assert.equal(text.statusCode, 400);
    assert.equal(text.json().error.code, 'invalid_argument');
    assert.equal((await upload(e, c, 'voice.amr', sampleAmr())).statusCode, 400);
    const big = await upload(e, c, 'big.png', Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024)]));
    assert.equal(big.statusCode, 413);
    assert.equal((await upload(e, c, 'a.png', png, 'other')).statusCode, 400);
    assert.equal((await e.app.inject({ method: 'POST', url: '/api/v1/media', headers: c.headers, payload: { image: 'x' } })).statusCode, 400);
    assert.equal((await upload(e, undefined, 'a.png', png)).statusCode, 401);
    assert.equal(await consumerMediaCount(e, c), 0);
  });

  it("an account's media is visible to a consumer only once the account sent it into their thread", async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    const p = path.join(dir, 'menu.png');
    writeFileSync(p, await samplePng());
    const up = await call<{ media_id: string }>((cb) => sdkFor(e, a).uploadMedia(p, 'image', cb));
    const c = await createConsumer(e);
    const other = await createConsumer(e);
    const openid = await follow(e, c, a);
    const otherOpenid = await follow(e, other, a);
    assert.equal((await view(e, c, up.media_id)).statusCode, 404);
    // A consumer quoting the media_id in their own message gains nothing.
    await writeThreadMessage(e.platform.handle.db, e.platform.hub, { accountId: a.id, consumerId: other.id, openid: otherOpenid }, 'in', 'consumer', { type: 'image', mediaId: up.media_id });
    assert.equal((await view(e, other, up.media_id)).statusCode, 404);
    await writeThreadMessage(e.platform.handle.db, e.platform.hub, { accountId: a.id, consumerId: c.id, openid }, 'out', 'cs', { type: 'image', mediaId: up.media_id });
    const seen = await view(e, c, up.media_id);
    assert.equal(seen.statusCode, 200);
    assert.equal(seen.headers['content-type'], 'image/png');
    assert.equal((await view(e, other, up.media_id)).statusCode, 404);
    assert.equal((await view(e, c, 'no-such-media')).statusCode, 404);
  });
}, { listen: true });
