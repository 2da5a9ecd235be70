import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createPayer, createPayMerchant, payByPrepay } from '../../testing/pay.ts';
import { startNotifyReceiver, tenpayError, tenpayFor } from '../../testing/tenpay.ts';
import { randomString } from '../../platform/ids.ts';
import { parseWechatXml } from '../wechat/xml.ts';
import { v2Sign, v2Verify, type V2SignType } from './v2sign.ts';
import { parseV2Date, parseV2Time, v2Time } from './routes-v2-orders.ts';
import { merchantAcknowledged } from './notify-v2.ts';
import { toV2Failure } from './v2-scope.ts';
import { AppError } from '../../platform/errors.ts';

describe('Pay v2 wire helpers', () => {
  it('writes and reads yyyyMMddHHmmss in CST and refuses impossible times', () => {
    assert.equal(v2Time(new Date('2026-01-31T16:30:05Z')), '20260201003005');
    assert.equal(parseV2Time('20260201003005')?.toISOString(), '2026-01-31T16:30:05.000Z');
    for (const bad of ['20260231000000', '2026020100300', '20261301000000', 'x0260201003005']) assert.equal(parseV2Time(bad), undefined, bad);
    assert.equal(parseV2Date('20260201'), '2026-02-01');
    assert.equal(parseV2Date('2026-02-01'), undefined);
  });

  it('only an XML return_code SUCCESS acknowledges a notification', () => {
    assert.ok(merchantAcknowledged('<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg>OK</return_msg></xml>'));
    assert.ok(merchantAcknowledged('<?xml version="1.0"?>\n<xml>\n  <return_code>SUCCESS</return_code>\n</xml>'));
    for (const no of ['success', 'SUCCESS', '', '<xml><return_code>FAIL</return_code></xml>', '{"return_code":"SUCCESS"}']) assert.ok(!merchantAcknowledged(no), no);
  });

  it('maps service errors to v2 err_codes in one table, with per-route names', () => {
    const refusal = (code: 'not_found' | 'conflict' | 'failed_precondition', v3Code: string) => new AppError(code, 'm', { details: { v3Code } });
    assert.equal(toV2Failure(refusal('not_found', 'ORDER_NOT_EXIST')).err_code, 'ORDERNOTEXIST');
    assert.equal(toV2Failure(refusal('failed_precondition', 'ORDER_CLOSED')).err_code, 'ORDERCLOSED');
    assert.equal(toV2Failure(refusal('failed_precondition', 'NOT_ENOUGH')).err_code, 'NOTENOUGH');
    assert.equal(toV2Failure(refusal('not_found', 'RESOURCE_NOT_EXISTS')).err_code, 'REFUNDNOTEXIST');
    assert.equal(toV2Failure(new AppError('failed_precondition', 'm', { details: { reason: 'NOT_ENOUGH' } })).err_code, 'NOTENOUGH');
    assert.equal(toV2Failure(refusal('conflict', 'INVALID_REQUEST'), { INVALID_REQUEST: 'OUT_TRADE_NO_USED' }).err_code, 'OUT_TRADE_NO_USED');
    assert.deepEqual(toV2Failure(new Error('boom')), { err_code: 'SYSTEMERROR', err_code_des: '系统错误' });
  });
});

const outTradeNo = () => `V2${randomString(14)}`;

/** An XML body the way many v2 clients write it: declaration, indentation, no CDATA. */
function plainXml(fields: Record<string, string>): string {
  const lines = Object.entries(fields).map(([k, v]) => `  <${k}>${v.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</${k}>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n${lines.join('\n')}\n</xml>\n`;
}

/** POSTs a signed (or deliberately mis-signed) v2 request with no Content-Type; returns the parsed reply. */
async function rawV2(e: TestEnv, path: string, fields: Record<string, string>, key: string, opts: { signType?: V2SignType; sign?: string; body?: string } = {}) {
  const all = { nonce_str: randomString(16), ...fields };
  const signed = { ...all, sign: opts.sign ?? v2Sign(all, key, opts.signType ?? 'MD5') };
  const res = await e.app.inject({ method: 'POST', url: path, payload: opts.body ?? plainXml(signed) });
  assert.equal(res.statusCode, 200);
  return parseWechatXml(res.body) as Record<string, string>;
}

const countOrders = async (e: TestEnv, mchId: string) =>
  Number((await e.platform.handle.db.selectFrom('pay_orders').select((eb) => eb.fn.countAll().as('n')).where('mch_id', '=', mchId).executeTakeFirstOrThrow()).n);

const jsapi = (openid: string, notifyUrl = 'https://merchant.example/wxpay/notify') => ({
  body: '测试商品-v2',
  out_trade_no: outTradeNo(),
  total_fee: 1234,
  spbill_create_ip: '127.0.0.1',
  notify_url: notifyUrl,
  trade_type: 'JSAPI',
  openid,
});

describeOnBothDbs('Pay v2 orders (tenpay)', (env) => {
  it('JSAPI order → the consumer pays → a signed v2 notify the merchant (tenpay) accepts; retried until return_code SUCCESS; orderquery shows SUCCESS', async () => {
    const e = env();
    const f = await createPayMerchant(e);
    const pay = tenpayFor(e, f);
    const rx = await startNotifyReceiver(pay);
    try {
      const { c, openid } = await createPayer(e, f.appidOk, 10_000n);
      const params = { ...jsapi(openid, rx.url), attach: 'table=7' };
      const order = await pay.unifiedOrder({ ...params });
      assert.equal(order.return_code, 'SUCCESS');
      assert.equal(order.result_code, 'SUCCESS');
      assert.equal(order.trade_type, 'JSAPI');
      assert.match(String(order.prepay_id), /^wx[0-9a-z]{34}$/);
      assert.equal(order.code_url, undefined);
      // The page's JSAPI parameters as the SDK builds them from our prepay_id.
      assert.equal(pay.getPayParamsByPrepay({ prepay_id: String(order.prepay_id) }).package, `prepay_id=${order.prepay_id}`);
      const notPaid = await pay.orderQuery({ out_trade_no: params.out_trade_no });
      assert.equal(notPaid.trade_state, 'NOTPAY');
      assert.equal(notPaid.time_end, undefined);

      rx.refuseNext = 1;
      const paid = await payByPrepay(e, c, String(order.prepay_id));
      assert.equal(paid.status, 200, JSON.stringify(paid.body));
      await e.platform.worker.drain();
      assert.equal(rx.got.length, 1, 'the first notification arrived');
      const first = rx.got[0]!;
      assert.ok(first.verified, `tenpay accepted the notification: ${first.refusal}`);
      const n = parseWechatXml(first.body) as Record<string, string>;
      assert.ok(v2Verify(n, f.apiV2Key), 'our own check agrees');
      assert.equal(n.sign_type, undefined, 'MD5 orders are notified with MD5 and no sign_type');
      assert.equal(first.contentType, 'text/xml; charset=utf-8');
      assert.deepEqual(
        { return_code: n.return_code, result_code: n.result_code, appid: n.appid, mch_id: n.mch_id, openid: n.openid, trade_type: n.trade_type, bank_type: n.bank_type, total_fee: n.total_fee, cash_fee: n.cash_fee, fee_type: n.fee_type, out_trade_no: n.out_trade_no, attach: n.attach, is_subscribe: n.is_subscribe },
        { return_code: 'SUCCESS', result_code: 'SUCCESS', appid: f.appidOk, mch_id: f.mchId, openid, trade_type: 'JSAPI', bank_type: 'OTHERS', total_fee: '1234', cash_fee: '1234', fee_type: 'CNY', out_trade_no: params.out_trade_no, attach: 'table=7', is_subscribe: 'Y' },
      );
      assert.match(String(n.transaction_id), /^\d{28}$/);
      assert.match(String(n.nonce_str), /^[0-9A-Z]{32}$/);
      const end = parseV2Time(String(n.time_end));
      assert.ok(end && Math.abs(end.getTime() - Date.now()) < 60_000, `time_end is CST now: ${n.time_end}`);

      // The merchant answered FAIL: the row stays pending on WeChat's schedule (first retry after 15 s).
      const db = e.platform.handle.db;
      const row = await db.selectFrom('outbox').selectAll().where('kind', '=', 'pay.notify.v2').where('tenant_id', '=', f.orgId).executeTakeFirstOrThrow();
      assert.equal(row.status, 'pending');
      assert.equal(row.attempts, 1);
      assert.ok(row.next_attempt_at.getTime() - Date.now() > 10_000);
      await db.updateTable('outbox').set({ next_attempt_at: new Date(0) }).where('id', '=', row.id).execute();
      await e.platform.worker.drain();
      assert.equal(rx.got.length, 2);
      assert.deepEqual(rx.got[1]!.verified?.out_trade_no, params.out_trade_no);
      const done = await db.selectFrom('outbox').select(['status', 'attempts']).where('id', '=', row.id).executeTakeFirstOrThrow();
      assert.deepEqual(done, { status: 'done', attempts: 2 });
      const attempts = await db.selectFrom('delivery_attempts').select(['outcome', 'response_status']).where('outbox_id', '=', row.id).orderBy('attempt').execute();
      assert.deepEqual(attempts.map((a) => a.outcome), ['failure', 'success']);
      await e.platform.worker.drain();
      assert.equal(rx.got.length, 2, 'return_code SUCCESS stopped the retries');

      const q = await pay.orderQuery({ transaction_id: String(n.transaction_id) });
      assert.deepEqual(
        { trade_state: q.trade_state, total_fee: q.total_fee, cash_fee: q.cash_fee, openid: q.openid, time_end: q.time_end, out_trade_no: q.out_trade_no, trade_state_desc: q.trade_state_desc },
        { trade_state: 'SUCCESS', total_fee: '1234', cash_fee: '1234', openid, time_end: n.time_end, out_trade_no: params.out_trade_no, trade_state_desc: '支付成功' },
      );
      assert.equal(await tenpayError(pay.closeOrder({ out_trade_no: params.out_trade_no })), 'ORDERPAID');
      assert.equal(await tenpayError(pay.unifiedOrder({ ...params })), 'ORDERPAID');
    } finally {
      await rx.close();
    }
  });

  it('HMAC-SHA256: responses and the notification are signed with it (sign_type is signed too)', async () => {
    const e = env();
    const f = await createPayMerchant(e);
    const pay = tenpayFor(e, f);
    const rx = await startNotifyReceiver(pay);
    try {
      const { c, openid } = await createPayer(e, f.appidOk, 10_000n);
      const params = { ...jsapi(openid, rx.url), sign_type: 'HMAC-SHA256' };
      const order = await pay.unifiedOrder({ ...params }); // tenpay checks the reply's sign with HMAC-SHA256
      assert.equal(order.result_code, 'SUCCESS');
      const stored = await e.platform.handle.db.selectFrom('pay_orders').select(['api', 'v2_sign_type', 'description', 'total']).where('prepay_id', '=', String(order.prepay_id)).executeTakeFirstOrThrow();
      assert.deepEqual(stored, { api: 'v2', v2_sign_type: 'HMAC-SHA256', description: '测试商品-v2', total: 1234n });
      assert.equal((await payByPrepay(e, c, String(order.prepay_id))).status, 200);
      await e.platform.worker.drain();
      assert.equal(rx.got.length, 1);
      assert.ok(rx.got[0]!.verified, `tenpay accepted it: ${rx.got[0]!.refusal}`);
      const n = parseWechatXml(rx.got[0]!.body) as Record<string, string>;
      assert.equal(n.sign_type, 'HMAC-SHA256');
      assert.equal(n.sign, v2Sign(n, f.apiV2Key, 'HMAC-SHA256'));
      assert.notEqual(n.sign, v2Sign(n, f.apiV2Key, 'MD5'));
      const q = await pay.orderQuery({ out_trade_no: params.out_trade_no, sign_type: 'HMAC-SHA256' });
      assert.equal(q.trade_state, 'SUCCESS');
    } finally {
      await rx.close();
    }
  });

  it('NATIVE and MWEB give code_url / mweb_url; closeorder closes once (then ORDERCLOSED); unknown orders are ORDERNOTEXIST', async () => {
    const e = env();
    const f = await createPayMerchant(e);
    const pay = tenpayFor(e, f);
    const base = { body: '扫码点餐', total_fee: 88, spbill_create_ip: '127.0.0.1', notify_url: 'https://merchant.example/n' };
    const native = await pay.unifiedOrder({ ...base, out_trade_no: outTradeNo(), trade_type: 'NATIVE', product_id: 'P1' });
    assert.match(String(native.code_url), new RegExp(`^${e.platform.config.publicUrl}/pay/native/[A-Za-z0-9]{32}$`));
    assert.equal(native.trade_type, 'NATIVE');
    const h5No = outTradeNo();
    const h5 = await pay.unifiedOrder({ ...base, out_trade_no: h5No, trade_type: 'MWEB', time_expire: v2Time(new Date(Date.now() + 600_000)) });
    assert.match(String(h5.mweb_url), new RegExp(`^${e.platform.config.publicUrl}/pay/h5/[A-Za-z0-9]{32}$`));
    const expires = await e.platform.handle.db.selectFrom('pay_orders').select('expires_at').where('out_trade_no', '=', h5No).executeTakeFirstOrThrow();
    assert.ok(Math.abs(expires.expires_at.getTime() - (Date.now() + 600_000)) < 5_000, 'time_expire is read as CST');

    const closed = await pay.closeOrder({ out_trade_no: h5No });
    assert.equal(closed.result_code, 'SUCCESS');
    assert.equal((await pay.orderQuery({ out_trade_no: h5No })).trade_state, 'CLOSED');
    assert.equal(await tenpayError(pay.closeOrder({ out_trade_no: h5No })), 'ORDERCLOSED');
    assert.equal(await tenpayError(pay.closeOrder({ out_trade_no: 'NOPE12345' })), 'ORDERNOTEXIST');
    assert.equal(await tenpayError(pay.orderQuery({ out_trade_no: 'NOPE12345' })), 'ORDERNOTEXIST');
    assert.equal(await tenpayError(pay.orderQuery({ transaction_id: '4200000000202601010000000000' })), 'ORDERNOTEXIST');
    assert.equal(await tenpayError(pay.orderQuery({})), 'PARAM_ERROR');
  });

  it('same out_trade_no: same parameters give the same prepay_id, different ones OUT_TRADE_NO_USED; bad parameters are PARAM_ERROR and create nothing', async () => {
    const e = env();
    const f = await createPayMerchant(e);
    const other = await createPayMerchant(e);
    const pay = tenpayFor(e, f);
    const { openid } = await createPayer(e, f.appidOk, 0n);
    const params = jsapi(openid);
    const a = await pay.unifiedOrder({ ...params });
    const b = await pay.unifiedOrder({ ...params });
    assert.equal(b.prepay_id, a.prepay_id);
    assert.equal(await tenpayError(pay.unifiedOrder({ ...params, total_fee: 999 })), 'OUT_TRADE_NO_USED');
    assert.equal(await countOrders(e, f.mchId), 1);

    const fresh = () => ({ ...jsapi(openid), out_trade_no: outTradeNo() });
    const bads: Record<string, string | number>[] = [{ total_fee: 0 }, { total_fee: '12.5' }, { trade_type: 'APP' }, { openid: '' }, { openid: 'o_not_a_follower_xxxxxxxx' }, { notify_url: 'not a url' }, { out_trade_no: 'bad no!' }, { time_expire: '2026-13-01' }, { body: '' }];
    for (const bad of bads) {
      assert.equal(await tenpayError(pay.unifiedOrder({ ...fresh(), ...bad })), 'PARAM_ERROR', JSON.stringify(bad));
    }
    assert.equal(await tenpayError(pay.unifiedOrder({ ...fresh(), trade_type: 'NATIVE', openid: '' })), 'PARAM_ERROR', 'NATIVE needs product_id');
    // Another merchant's appid with this mch_id: APPID_MCHID_NOT_MATCH (signed, so tenpay reads err_code).
    const wrongApp = tenpayFor(e, f, { appid: other.appidOk });
    assert.equal(await tenpayError(wrongApp.unifiedOrder({ ...fresh() })), 'APPID_MCHID_NOT_MATCH');
    assert.equal(await countOrders(e, f.mchId), 1);
  });

  it('bad signature, unknown mch_id or malformed XML: return_code FAIL without a sign, nothing changes; plain XML without Content-Type is read', async () => {
    const e = env();
    const f = await createPayMerchant(e);
    const { openid } = await createPayer(e, f.appidOk, 0n);
    const fields = { appid: f.appidOk, mch_id: f.mchId, ...Object.fromEntries(Object.entries(jsapi(openid)).map(([k, v]) => [k, String(v)])) };

    const tampered = { ...fields, nonce_str: 'N1' };
    const badSign = await rawV2(e, '/pay/unifiedorder', tampered, f.apiV2Key, { sign: v2Sign({ ...tampered, total_fee: '1' }, f.apiV2Key) });
    assert.deepEqual(badSign, { return_code: 'FAIL', return_msg: '签名错误' });
    const wrongKey = await rawV2(e, '/pay/unifiedorder', fields, 'K'.repeat(32));
    assert.equal(wrongKey.return_code, 'FAIL');
    assert.equal(wrongKey.sign, undefined);
    const typeMismatch = await rawV2(e, '/pay/unifiedorder', { ...fields, sign_type: 'HMAC-SHA256' }, f.apiV2Key, { signType: 'MD5' });
    assert.deepEqual(typeMismatch, { return_code: 'FAIL', return_msg: '签名错误' }, 'sign_type is part of what is signed and decides the algorithm');
    assert.equal((await rawV2(e, '/pay/unifiedorder', { ...fields, sign_type: 'SHA1' }, f.apiV2Key)).return_code, 'FAIL');
    assert.deepEqual(await rawV2(e, '/pay/orderquery', { ...fields, mch_id: '1999999999' }, f.apiV2Key), { return_code: 'FAIL', return_msg: 'mch_id参数格式错误' });
    assert.equal((await rawV2(e, '/pay/unifiedorder', fields, f.apiV2Key, { body: '<xml><appid>x</appid>' })).return_code, 'FAIL');
    assert.equal((await rawV2(e, '/pay/unifiedorder', fields, f.apiV2Key, { body: '{"appid":"x"}' })).return_code, 'FAIL');
    assert.equal((await rawV2(e, '/pay/unifiedorder', fields, f.apiV2Key, { body: '<!DOCTYPE x [<!ENTITY a "b">]><xml><a>&a;</a></xml>' })).return_code, 'FAIL');
    const empty = await e.app.inject({ method: 'POST', url: '/pay/orderquery' });
    assert.deepEqual(parseWechatXml(empty.body), { return_code: 'FAIL', return_msg: '请求体为空' });
    assert.equal(await countOrders(e, f.mchId), 0);

    // The same request, correctly signed, as plain XML with a declaration and indentation and no Content-Type.
    const ok = await rawV2(e, '/pay/unifiedorder', { ...fields, body: 'A&B <套餐>' }, f.apiV2Key);
    assert.equal(ok.return_code, 'SUCCESS', JSON.stringify(ok));
    assert.equal(ok.result_code, 'SUCCESS');
    assert.ok(v2Verify(ok, f.apiV2Key), 'the reply is signed with the request sign type');
    assert.equal(ok.appid, f.appidOk);
    assert.equal(ok.mch_id, f.mchId);
    const stored = await e.platform.handle.db.selectFrom('pay_orders').select('description').where('mch_id', '=', f.mchId).executeTakeFirstOrThrow();
    assert.equal(stored.description, 'A&B <套餐>');
  });

  it("merchant B, with its own key, cannot query or close A's order; B's key on A's mch_id is a bad signature", async () => {
    const e = env();
    const a = await createPayMerchant(e);
    const b = await createPayMerchant(e);
    const { openid } = await createPayer(e, a.appidOk, 0n);
    const payA = tenpayFor(e, a);
    const params = jsapi(openid);
    await payA.unifiedOrder({ ...params });
    const txId = String((await payA.orderQuery({ out_trade_no: params.out_trade_no })).transaction_id);
    const payB = tenpayFor(e, b);
    assert.equal(await tenpayError(payB.orderQuery({ out_trade_no: params.out_trade_no })), 'ORDERNOTEXIST');
    assert.equal(await tenpayError(payB.orderQuery({ transaction_id: txId })), 'ORDERNOTEXIST');
    assert.equal(await tenpayError(payB.closeOrder({ out_trade_no: params.out_trade_no })), 'ORDERNOTEXIST');
    const bKeyOnA = tenpayFor(e, a, { partnerKey: b.apiV2Key });
    assert.equal(await tenpayError(bKeyOnA.closeOrder({ out_trade_no: params.out_trade_no })), '签名错误');
    assert.equal((await payA.orderQuery({ out_trade_no: params.out_trade_no })).trade_state, 'NOTPAY');
  });
}, { listen: true, background: true });
