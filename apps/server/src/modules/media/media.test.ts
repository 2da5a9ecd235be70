import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { makeContext } from '../../platform/context.ts';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { accessToken, createAccount, createMerchant, type TestAccount } from '../../testing/factories.ts';
import { call, errcodeOf, sdkFor } from '../../testing/wechat-sdk.ts';
import { multipart, sampleAmr, sampleGif, sampleJpeg, sampleMp4, samplePng } from './samples.test-util.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-media-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (name: string, bytes: Buffer) => {
  const p = path.join(dir, `${++n}-${name}`);
  writeFileSync(p, bytes);
  return p;
};

const countMedia = async (e: TestEnv, a: TestAccount) =>
  Number((await e.platform.handle.db.selectFrom('media_files').select((eb) => eb.fn.countAll<bigint>().as('n')).where('account_id', '=', a.id).executeTakeFirstOrThrow()).n);

type Uploaded = { type: string; media_id: string; created_at: number };

/** wechat-api's getMedia reports a JSON error as a WeChatAPIError whose errcode is in the result (no err.code). */
const getMediaErrcode = (api: ReturnType<typeof sdkFor>, mediaId: string) =>
  new Promise<number | undefined>((resolve, reject) =>
    api.getMedia(mediaId, (err, body) => (err?.name === 'WeChatAPIError' && !Buffer.isBuffer(body) ? resolve(body.errcode as number) : reject(new Error(`expected a WeChatAPIError, got ${String(err)}`)))),
  );

describeOnBothDbs('temporary media (OA API)', (env) => {
  it('wechat-api uploadMedia/getMedia round-trips a PNG and a JPEG with their content types', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    const api = sdkFor(e, a);
    const png = await samplePng();
    const up = await call<Uploaded>((cb) => api.uploadMedia(file('code.png', png), 'image', cb));
    assert.equal(up.type, 'image');
    assert.match(up.media_id, /^[A-Za-z0-9_-]{64}$/);
    assert.ok(Math.abs(up.created_at - Date.now() / 1000) < 60, 'created_at is in unix seconds');
    const got = await new Promise<{ body: unknown; type: string | undefined }>((resolve, reject) =>
      api.getMedia(up.media_id, (err, body, res) => (err ? reject(err) : resolve({ body, type: res.headers['content-type'] }))),
    );
    assert.ok(Buffer.isBuffer(got.body) && got.body.equals(png), 'the same bytes come back');
    assert.equal(got.type, 'image/png');

    const jpeg = sampleJpeg(2048);
    const upJ = await call<Uploaded>((cb) => api.uploadMedia(file('photo.jpg', jpeg), 'thumb', cb));
    assert.equal(upJ.type, 'thumb');
    const raw = await e.app.inject({ url: `/cgi-bin/media/get?access_token=${await accessToken(e, a)}&media_id=${upJ.media_id}` });
    assert.equal(raw.headers['content-type'], 'image/jpeg');
    assert.ok(raw.rawPayload.equals(jpeg));
    assert.match(String(raw.headers['content-disposition']), new RegExp(`filename="${upJ.media_id}\\.jpg"`));
  });

  it('voice (amr) is served as audio; video answers {video_url} whose link serves the mp4', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    const api = sdkFor(e, a);
    const voice = await call<Uploaded>((cb) => api.uploadMedia(file('hello.amr', sampleAmr()), 'voice', cb));
    const v = await e.app.inject({ url: `/cgi-bin/media/get?access_token=${await accessToken(e, a)}&media_id=${voice.media_id}` });
    assert.equal(v.headers['content-type'], 'audio/amr');

    const mp4 = sampleMp4();
    const video = await call<Uploaded>((cb) => api.uploadMedia(file('clip.mp4', mp4), 'video', cb));
    const got = await call<unknown>((cb) => api.getMedia(video.media_id, (err, body) => cb(err, body)));
    const url = (got as { video_url?: string }).video_url ?? '';
    assert.ok(url.startsWith(`${e.config.publicUrl}/media/v/`), `video_url: ${JSON.stringify(got)}`);
    const dl = await e.app.inject({ url: new URL(url).pathname });
    assert.equal(dl.statusCode, 200);
    assert.equal(dl.headers['content-type'], 'video/mp4');
    assert.ok(dl.rawPayload.equals(mp4));
    assert.equal((await e.app.inject({ url: `/media/v/${'x'.repeat(48)}` })).statusCode, 404);
  });

  it('refuses wrong types and sizes with the protocol errcodes and stores nothing', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    const api = sdkFor(e, a);
    const png = await samplePng();
    const fails = (p: string, type: string) => errcodeOf(call((cb) => api.uploadMedia(p, type, cb)));
    assert.equal(await fails(file('a.png', png), 'document'), 40004, 'unknown media type');
    assert.equal(await fails(file('a.png', png), 'voice'), 40005, 'a PNG is not a voice');
    assert.equal(await fails(file('a.png', Buffer.from('<?php system($_GET[1]); ?>')), 'image'), 40005, 'bytes decide, not the name');
    assert.equal(await fails(file('a.txt', png), 'image'), 40005, 'a name with a foreign extension');
    assert.equal(await fails(file('a.gif', sampleGif()), 'thumb'), 40005, 'thumbs are JPEG only');
    assert.equal(await fails(file('big.jpg', sampleJpeg(64 * 1024 + 1)), 'thumb'), 40006, 'thumb ≤ 64 KB');
    assert.equal(await fails(file('big.amr', Buffer.concat([sampleAmr(), Buffer.alloc(2 * 1024 * 1024)])), 'voice'), 40006, 'voice ≤ 2 MB');
    assert.equal(await fails(file('huge.png', Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024)])), 'image'), 40006, 'image ≤ 10 MB');
    assert.equal(await fails(file('empty.png', Buffer.alloc(0)), 'image'), 44001, 'empty file');
    const token = await accessToken(e, a);
    const wrongField = multipart('file', 'a.png', png);
    const noMedia = await e.app.inject({ method: 'POST', url: `/cgi-bin/media/upload?access_token=${token}&type=image`, ...wrongField });
    assert.equal(noMedia.json().errcode, 41005, 'the file must be in the field "media"');
    const notMultipart = await e.app.inject({ method: 'POST', url: `/cgi-bin/media/upload?access_token=${token}&type=image`, payload: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(notMultipart.json().errcode, 41005);
    const noToken = await e.app.inject({ method: 'POST', url: '/cgi-bin/media/upload?type=image', ...multipart('media', 'a.png', png) });
    assert.ok([40001, 40014, 41001].includes(noToken.json().errcode), noToken.body);
    assert.equal(await countMedia(e, a), 0);
    // A just-fitting thumb is accepted.
    assert.equal((await call<Uploaded>((cb) => api.uploadMedia(file('ok.jpg', sampleJpeg(64 * 1024)), 'thumb', cb))).type, 'thumb');
  });

  it("another account's media_id, an expired one and a malformed one are 40007", async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    const b = await createAccount(e, await createMerchant(e));
    const pngPath = file('a.png', await samplePng());
    const up = await call<Uploaded>((cb) => sdkFor(e, a).uploadMedia(pngPath, 'image', cb));
    const apiB = sdkFor(e, b);
    assert.equal(await getMediaErrcode(apiB, up.media_id), 40007);
    const res = await e.app.inject({ url: `/cgi-bin/media/get?access_token=${await accessToken(e, b)}&media_id=${up.media_id}` });
    assert.equal(res.headers['content-type'], 'application/json', 'SDKs detect errors by this exact Content-Type');
    assert.equal(res.json().errcode, 40007);
    assert.equal(await getMediaErrcode(apiB, 'not-a-media-id'), 40007);
    await e.platform.handle.db.updateTable('media_files').set({ expires_at: new Date(Date.now() - 1) }).where('media_id', '=', up.media_id).execute();
    assert.equal(await getMediaErrcode(sdkFor(e, a), up.media_id), 40007, 'temporary media lasts 3 days');
    const malformed = await e.app.inject({ url: `/cgi-bin/media/get?access_token=${await accessToken(e, a)}&media_id=${encodeURIComponent('../../etc/passwd')}` });
    assert.equal(malformed.json().errcode, 40007);
    // Other modules (customer-service/mass messages) check media_ids through requireOwnMedia.
    const appCtx = (acc: typeof a) => makeContext({ kind: 'app', orgId: '', accountId: acc.id });
    const fresh = await call<Uploaded>((cb) => sdkFor(e, a).uploadMedia(pngPath, 'image', cb));
    const { media } = e.platform.services;
    assert.deepEqual(await media.requireOwnMedia(appCtx(a), fresh.media_id, ['image']), { mediaId: fresh.media_id, type: 'image' });
    const refused = async (p: Promise<unknown>) => (await p.then(() => undefined, (err: { wxErrcode?: number }) => err.wxErrcode));
    assert.equal(await refused(media.requireOwnMedia(appCtx(b), fresh.media_id, ['image'])), 40007);
    assert.equal(await refused(media.requireOwnMedia(appCtx(a), fresh.media_id, ['voice'])), 40007);
    assert.equal(await refused(media.requireOwnMedia(appCtx(a), up.media_id, ['image'])), 40007, 'expired');
    const badToken = await e.app.inject({ url: `/cgi-bin/media/get?access_token=${'x'.repeat(96)}&media_id=${up.media_id}` });
    assert.equal(badToken.json().errcode, 40001);
  });
}, { listen: true });
