import assert from 'node:assert/strict';
import { it } from 'node:test';
import QRCode from 'qrcode';
import { sql } from 'kysely';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { accessToken, createAccount, createMerchant, wxPost, type TestAccount } from '../../testing/factories.ts';
import { decodePng, PNG_SIGNATURE } from './png-reader.test-util.ts';
import { call, errcodeOf, sdkFor } from '../../testing/wechat-sdk.ts';
import { QR_PNG_OPTIONS } from './service.ts';

const countCodes = async (e: TestEnv, a: TestAccount) =>
  Number((await e.platform.handle.db.selectFrom('qrcodes').select((eb) => eb.fn.countAll<bigint>().as('n')).where('account_id', '=', a.id).executeTakeFirstOrThrow()).n);

/** Reads the QR matrix back out of the image and compares it with the symbol of `text`. */
function assertPngEncodes(png: Buffer, text: string): void {
  const img = decodePng(png);
  const symbol = QRCode.create(text, { errorCorrectionLevel: QR_PNG_OPTIONS.errorCorrectionLevel });
  const size = symbol.modules.size;
  const scale = QR_PNG_OPTIONS.width / (size + QR_PNG_OPTIONS.margin * 2);
  assert.equal(img.width, Math.floor((size + QR_PNG_OPTIONS.margin * 2) * scale));
  let mismatches = 0;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const y = Math.floor((QR_PNG_OPTIONS.margin + r + 0.5) * scale);
      const x = Math.floor((QR_PNG_OPTIONS.margin + c + 0.5) * scale);
      if ((img.lum(x, y) < 128) !== Boolean(symbol.modules.get(r, c))) mismatches++;
    }
  }
  assert.equal(mismatches, 0, `every module of the image matches the QR symbol of ${text}`);
  assert.ok(img.lum(1, 1) > 128, 'the quiet zone is light');
}

describeOnBothDbs('scene QR codes (OA API)', (env) => {
  it('wechat-api createTmpQRCode: a ticket, expire_seconds and a Lianjie URL; showqrcode serves that URL as a PNG', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    const api = sdkFor(e, a);
    const tmp = await call<{ ticket: string; expire_seconds: number; url: string }>((cb) => api.createTmpQRCode(123, 1800, cb));
    assert.match(tmp.ticket, /^[A-Za-z0-9_-]{16,128}$/, 'the ticket is URL-safe (the SDK does not encode it)');
    assert.equal(tmp.expire_seconds, 1800);
    assert.equal(tmp.url, `${e.config.publicUrl}/q/${tmp.ticket}`);

    const res = await fetch(api.showQRCodeURL(tmp.ticket));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    const png = Buffer.from(await res.arrayBuffer());
    assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE));
    assert.ok(png.equals(await QRCode.toBuffer(tmp.url, QR_PNG_OPTIONS)), 'the same image as rendering the URL');
    assertPngEncodes(png, tmp.url);

    const row = await e.platform.handle.db.selectFrom('qrcodes').selectAll().where('ticket', '=', tmp.ticket).executeTakeFirstOrThrow();
    assert.equal(row.account_id, a.id);
    assert.equal(row.scene_id, 123n);
    assert.equal(row.permanent, false);
    const left = (row.expires_at?.getTime() ?? 0) - Date.now();
    assert.ok(left > 1790_000 && left <= 1800_000, `expires in 1800 s (${left} ms)`);
  });

  it('string scenes, the 60 s default, and lifetimes over 30 days cut to 30 days', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    const api = sdkFor(e, a);
    const str = await call<{ ticket: string; expire_seconds: number }>((cb) => api.createTmpQRCode('table-7', 600, cb));
    const row = await e.platform.handle.db.selectFrom('qrcodes').selectAll().where('ticket', '=', str.ticket).executeTakeFirstOrThrow();
    assert.equal(row.scene_str, 'table-7');
    assert.equal(row.scene_id, null);
    const long = await call<{ expire_seconds: number }>((cb) => api.createTmpQRCode(9, 99_999_999, cb));
    assert.equal(long.expire_seconds, 2_592_000);
    const token = await accessToken(e, a);
    const dflt = await wxPost(e, '/cgi-bin/qrcode/create', token, { action_name: 'QR_SCENE', action_info: { scene: { scene_id: 4_294_967_295 } } });
    assert.equal(dflt.expire_seconds, 60);
  });

  it('wechat-api createLimitQRCode: permanent codes have no expire_seconds and one ticket per scene', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    const api = sdkFor(e, a);
    const first = await call<{ ticket: string; url: string; expire_seconds?: number }>((cb) => api.createLimitQRCode(100_000, cb));
    assert.equal(first.expire_seconds, undefined);
    assert.equal(first.url, `${e.config.publicUrl}/q/${first.ticket}`);
    const again = await call<{ ticket: string }>((cb) => api.createLimitQRCode(100_000, cb));
    assert.equal(again.ticket, first.ticket);
    const str = await call<{ ticket: string }>((cb) => api.createLimitQRCode('front-door', cb));
    assert.notEqual(str.ticket, first.ticket);
    assert.equal((await call<{ ticket: string }>((cb) => api.createLimitQRCode('front-door', cb))).ticket, str.ticket);
    assert.equal(await countCodes(e, a), 2);
    const img = await e.app.inject({ url: `/cgi-bin/showqrcode?ticket=${encodeURIComponent(first.ticket)}` });
    assert.equal(img.statusCode, 200);
    assert.equal(img.headers['content-type'], 'image/png');
  });

  it('refuses bad action names (40052) and scenes (40053) and stores nothing', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    const api = sdkFor(e, a);
    const token = await accessToken(e, a);
    const post = (body: unknown) => wxPost(e, '/cgi-bin/qrcode/create', token, body);
    assert.equal((await post({ action_name: 'QR_FOREVER', action_info: { scene: { scene_id: 1 } } })).errcode, 40052);
    assert.equal((await post({ action_info: { scene: { scene_id: 1 } } })).errcode, 40052);
    assert.equal((await post({ action_name: 'QR_SCENE' })).errcode, 40053);
    assert.equal((await post({ action_name: 'QR_SCENE', action_info: { scene: { scene_str: 'x' } } })).errcode, 40053);
    assert.equal((await post({ action_name: 'QR_STR_SCENE', action_info: { scene: { scene_id: 5 } } })).errcode, 40053);
    assert.equal((await post({ action_name: 'QR_SCENE', action_info: { scene: { scene_id: 1.5 } } })).errcode, 40053);
    assert.equal((await post({ action_name: 'QR_SCENE', expire_seconds: -5, action_info: { scene: { scene_id: 1 } } })).errcode, 47001);
    assert.equal((await post({ action_name: 'QR_SCENE', expire_seconds: 'soon', action_info: { scene: { scene_id: 1 } } })).errcode, 47001);
    assert.equal(await errcodeOf(call((cb) => api.createTmpQRCode(0, 60, cb))), 40053);
    assert.equal(await errcodeOf(call((cb) => api.createTmpQRCode(4_294_967_296, 60, cb))), 40053);
    assert.equal(await errcodeOf(call((cb) => api.createLimitQRCode(100_001, cb))), 40053);
    assert.equal(await errcodeOf(call((cb) => api.createLimitQRCode(0, cb))), 40053);
    assert.equal(await errcodeOf(call((cb) => api.createLimitQRCode('', cb))), 40053);
    assert.equal(await errcodeOf(call((cb) => api.createLimitQRCode('x'.repeat(65), cb))), 40053);
    const malformed = await e.app.inject({ method: 'POST', url: `/cgi-bin/qrcode/create?access_token=${token}`, payload: '{"action_name":', headers: { 'content-type': 'application/json' } });
    assert.equal(malformed.json().errcode, 47001);
    const noToken = await e.app.inject({ method: 'POST', url: '/cgi-bin/qrcode/create', payload: JSON.stringify({ action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 1 } } }) });
    assert.equal(noToken.statusCode, 200);
    assert.ok([40001, 40014, 41001].includes(noToken.json().errcode), `no token: ${noToken.body}`);
    assert.equal(await countCodes(e, a), 0);
  });

  it('caps permanent codes at 100000 per account (45029); existing scenes still answer', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e));
    await sql`insert into qrcodes (ticket, account_id, permanent, scene_id) select 'gQfill' || lpad(i::text, 12, '0') || ${a.id}, ${a.id}, true, i from generate_series(1, 100000) i`.execute(e.platform.handle.db);
    const api = sdkFor(e, a);
    assert.equal(await errcodeOf(call((cb) => api.createLimitQRCode('one-more', cb))), 45029);
    const existing = await call<{ ticket: string }>((cb) => api.createLimitQRCode(77, cb));
    assert.equal(existing.ticket, `gQfill${'77'.padStart(12, '0')}${a.id}`);
    const tmp = await call<{ ticket: string }>((cb) => api.createTmpQRCode(77, 60, cb));
    assert.ok(tmp.ticket, 'temporary codes are not capped');
  });

  it('showqrcode and the /q/ page: 404 for unknown and expired tickets; the page names the account, escaped', async () => {
    const e = env();
    const a = await createAccount(e, await createMerchant(e), 'service', 'A&B <Café>');
    const token = await accessToken(e, a);
    const code = await wxPost(e, '/cgi-bin/qrcode/create', token, { expire_seconds: 300, action_name: 'QR_SCENE', action_info: { scene: { scene_id: 5 } } });
    const ticket = String(code.ticket);
    const pageRes = await e.app.inject({ url: `/q/${ticket}` });
    assert.equal(pageRes.statusCode, 200);
    assert.match(String(pageRes.headers['content-type']), /^text\/html/);
    assert.ok(pageRes.body.includes('Open this in the Lianjie app to follow <strong>A&#38;B &#60;Café&#62;</strong>'), pageRes.body);
    assert.ok(!pageRes.body.includes('<Café>'));

    const unknown = await e.app.inject({ url: `/cgi-bin/showqrcode?ticket=gQ${'x'.repeat(40)}` });
    assert.equal(unknown.statusCode, 404);
    assert.doesNotMatch(String(unknown.headers['content-type']), /^image\//);
    assert.equal((await e.app.inject({ url: '/cgi-bin/showqrcode' })).statusCode, 404);
    assert.equal((await e.app.inject({ url: `/q/gQ${'x'.repeat(40)}` })).statusCode, 404);

    await e.platform.handle.db.updateTable('qrcodes').set({ expires_at: new Date(Date.now() - 1000) }).where('ticket', '=', ticket).execute();
    assert.equal((await e.app.inject({ url: `/cgi-bin/showqrcode?ticket=${ticket}` })).statusCode, 404);
    assert.equal((await e.app.inject({ url: `/q/${ticket}` })).statusCode, 404);
  });

  it("each token creates codes for its own account only; merchants see and create only their own accounts' codes", async () => {
    const e = env();
    const ma = await createMerchant(e);
    const mb = await createMerchant(e);
    const a = await createAccount(e, ma);
    const b = await createAccount(e, mb);
    const tb = await call<{ ticket: string }>((cb) => sdkFor(e, b).createLimitQRCode(1, cb));
    const ta = await call<{ ticket: string }>((cb) => sdkFor(e, a).createLimitQRCode(1, cb));
    assert.notEqual(ta.ticket, tb.ticket, 'the same scene on two accounts is two codes');
    const owner = await e.platform.handle.db.selectFrom('qrcodes').select('account_id').where('ticket', '=', tb.ticket).executeTakeFirstOrThrow();
    assert.equal(owner.account_id, b.id);

    const list = await e.app.inject({ url: `/api/v1/merchant/accounts/${a.id}/qrcodes`, headers: ma.headers });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json().map((q: { ticket: string }) => q.ticket), [ta.ticket]);
    assert.equal((await e.app.inject({ url: `/api/v1/merchant/accounts/${a.id}/qrcodes`, headers: mb.headers })).statusCode, 404);
    const foreign = await e.app.inject({ method: 'POST', url: `/api/v1/merchant/accounts/${a.id}/qrcodes`, headers: mb.headers, payload: { name: 'sneaky' } });
    assert.equal(foreign.statusCode, 404);
    assert.equal((await e.app.inject({ url: `/api/v1/merchant/accounts/${a.id}/qrcodes` })).statusCode, 401);
    assert.equal(await countCodes(e, a), 1);
  });

  it('the merchant API creates named codes (permanent by default, or temporary) and validates input', async () => {
    const e = env();
    const m = await createMerchant(e);
    const a = await createAccount(e, m);
    const post = (payload: unknown) => e.app.inject({ method: 'POST', url: `/api/v1/merchant/accounts/${a.id}/qrcodes`, headers: m.headers, payload: payload as object });
    const door = await post({ name: 'Front door' });
    assert.equal(door.statusCode, 201);
    assert.equal(door.json().name, 'Front door');
    assert.equal(door.json().permanent, true);
    assert.match(door.json().sceneStr, /^lj_/);
    const promo = await post({ name: 'Promo', permanent: false, sceneId: 42, expireSeconds: 3600 });
    assert.equal(promo.statusCode, 201);
    assert.equal(promo.json().sceneId, '42');
    assert.ok(promo.json().expiresAt);
    assert.equal((await post({ name: '' })).statusCode, 400);
    assert.equal((await post({ name: 'x', sceneId: 1, sceneStr: 'y' })).statusCode, 400);
    assert.equal((await post({ name: 'x', sceneId: 100_001 })).statusCode, 400);
    assert.equal((await post({ name: 'x', permanent: false, expireSeconds: 2_592_001 })).statusCode, 400);
    assert.equal(await countCodes(e, a), 2);
    const list = (await e.app.inject({ url: `/api/v1/merchant/accounts/${a.id}/qrcodes`, headers: m.headers })).json();
    assert.deepEqual(list.map((q: { name: string; scans: number; follows: number; expired: boolean }) => [q.name, q.scans, q.follows, q.expired]), [['Promo', 0, 0, false], ['Front door', 0, 0, false]]);
  });
}, { listen: true });
