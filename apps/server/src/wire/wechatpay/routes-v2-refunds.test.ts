import assert from 'node:assert/strict';
import { it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createPayer, createPayMerchant, payByPrepay, type TestPayMerchant } from '../../testing/pay.ts';
import { startNotifyReceiver, tenpayError, tenpayFor, type TenpayClient } from '../../testing/tenpay.ts';
import { randomString } from '../../platform/ids.ts';
import { parseWechatXml } from '../wechat/xml.ts';
import { v2Sign } from './v2sign.ts';
import { v2Time } from './routes-v2-orders.ts';

/** A paid v2 JSAPI order of `total` fen (its notification goes to `notifyUrl`). */
async function paidOrder(e: TestEnv, f: TestPayMerchant, pay: TenpayClient, total: number, notifyUrl: string) {
  const { c, openid } = await createPayer(e, f.appidOk, 10_000n);
  const out_trade_no = `R${randomString(14)}`;
  const o = await pay.unifiedOrder({ body: '退款测试', out_trade_no, total_fee: total, spbill_create_ip: '127.0.0.1', notify_url: notifyUrl, trade_type: 'JSAPI', openid });
  assert.equal((await payByPrepay(e, c, String(o.prepay_id))).status, 200);
  return { c, out_trade_no };
}

const balances = async (e: TestEnv, f: TestPayMerchant, consumerId: string) => {
  const { ledger } = e.platform.services;
  const db = e.platform.handle.db;
  return { wallet: (await ledger.find(db, 'consumer_wallet', consumerId))?.balance ?? 0n, pending: (await ledger.find(db, 'merchant_pending', f.orgId))?.balance ?? 0n };
};

const todayCst = () => v2Time(new Date()).slice(0, 8);

describeOnBothDbs('Pay v2 refunds and bills (tenpay)', (env) => {
  it('refund → refund completes → refundquery lists it; repeats are idempotent, conflicts and overdrafts refused; the v2 refund notify decrypts in tenpay', async () => {
    const e = env();
    const f = await createPayMerchant(e);
    const pay = tenpayFor(e, f);
    const payRx = await startNotifyReceiver(pay);
    const refundRx = await startNotifyReceiver(pay, 'refund');
    try {
      const { c, out_trade_no } = await paidOrder(e, f, pay, 1234, payRx.url);
      await e.platform.worker.drain();
      const before = await balances(e, f, c.id);

      const r1 = await pay.refund({ out_trade_no, out_refund_no: `RF${randomString(10)}`, total_fee: 1234, refund_fee: 400 });
      assert.equal(r1.result_code, 'SUCCESS');
      assert.match(String(r1.refund_id), /^\d{29}$/);
      assert.deepEqual({ refund_fee: r1.refund_fee, total_fee: r1.total_fee, out_trade_no: r1.out_trade_no, cash_refund_fee: r1.cash_refund_fee }, { refund_fee: '400', total_fee: '1234', out_trade_no, cash_refund_fee: '400' });
      const again = await pay.refund({ out_trade_no, out_refund_no: String(r1.out_refund_no), total_fee: 1234, refund_fee: 400 });
      assert.equal(again.refund_id, r1.refund_id, 'same out_refund_no, same amount: the same refund');
      assert.equal(await tenpayError(pay.refund({ out_trade_no, out_refund_no: String(r1.out_refund_no), total_fee: 1234, refund_fee: 401 })), 'INVALID_REQUEST');
      assert.equal(await tenpayError(pay.refund({ out_trade_no, out_refund_no: `RF${randomString(10)}`, total_fee: 1000, refund_fee: 10 })), 'PARAM_ERROR', 'total_fee must match the order');
      assert.equal(await tenpayError(pay.refund({ out_trade_no, out_refund_no: `RF${randomString(10)}`, total_fee: 1234, refund_fee: 900 })), 'INVALID_REQUEST', 'more than is left');
      assert.equal(await tenpayError(pay.refund({ out_trade_no: 'NOPE123456', out_refund_no: `RF${randomString(10)}`, total_fee: 1234, refund_fee: 1 })), 'ORDERNOTEXIST');
      assert.equal(await tenpayError(pay.refund({ out_trade_no, out_refund_no: 'bad no!', total_fee: 1234, refund_fee: 1 })), 'PARAM_ERROR');

      const r2 = await pay.refund({ out_trade_no, out_refund_no: `RF${randomString(10)}`, total_fee: 1234, refund_fee: 100, notify_url: refundRx.url, sign_type: 'HMAC-SHA256' });
      assert.equal(r2.result_code, 'SUCCESS');
      await e.platform.worker.drain();
      const after = await balances(e, f, c.id);
      assert.equal(after.wallet, before.wallet + 500n);
      assert.equal(after.pending, before.pending - 500n);

      const q = await pay.refundQuery({ out_trade_no });
      assert.equal(q.refund_count, '2');
      assert.deepEqual([q.out_refund_no_0, q.refund_fee_0, q.refund_status_0, q.refund_id_0], [r1.out_refund_no, '400', 'SUCCESS', r1.refund_id]);
      assert.deepEqual([q.out_refund_no_1, q.refund_fee_1, q.refund_status_1], [r2.out_refund_no, '100', 'SUCCESS']);
      assert.match(String(q.refund_success_time_0), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      assert.equal(q.total_fee, '1234');
      assert.equal((await pay.refundQuery({ refund_id: String(r2.refund_id) })).refund_count, '2');
      assert.equal((await pay.refundQuery({ out_refund_no: String(r1.out_refund_no) })).out_trade_no, out_trade_no);
      assert.equal((await pay.orderQuery({ out_trade_no })).trade_state, 'REFUND');
      assert.equal(await tenpayError(pay.refundQuery({ out_refund_no: 'NOPE-REFUND' })), 'REFUNDNOTEXIST');
      assert.equal(await tenpayError(pay.refundQuery({})), 'PARAM_ERROR');

      // The refund with a notify_url was announced in v2's format; tenpay's refund middleware decrypts req_info.
      assert.equal(refundRx.got.length, 1);
      const info = refundRx.got[0]!.verified?.req_info as Record<string, string> | undefined;
      assert.ok(info, `tenpay accepted the refund notification: ${refundRx.got[0]!.refusal}`);
      assert.equal(info.out_refund_no, r2.out_refund_no);
      assert.equal(info.refund_status, 'SUCCESS');
    } finally {
      await payRx.close();
      await refundRx.close();
    }
  });

  it("another merchant can neither refund nor query A's order or refunds; a refund of an unpaid order is refused and moves nothing", async () => {
    const e = env();
    const a = await createPayMerchant(e);
    const b = await createPayMerchant(e);
    const payA = tenpayFor(e, a);
    const payB = tenpayFor(e, b);
    const rx = await startNotifyReceiver(payA);
    try {
      const { out_trade_no } = await paidOrder(e, a, payA, 800, rx.url);
      const r = await payA.refund({ out_trade_no, out_refund_no: `RF${randomString(10)}`, total_fee: 800, refund_fee: 100 });
      assert.equal(await tenpayError(payB.refund({ out_trade_no, out_refund_no: `RF${randomString(10)}`, total_fee: 800, refund_fee: 100 })), 'ORDERNOTEXIST');
      assert.equal(await tenpayError(payB.refundQuery({ out_trade_no })), 'ORDERNOTEXIST');
      assert.equal(await tenpayError(payB.refundQuery({ out_refund_no: String(r.out_refund_no) })), 'REFUNDNOTEXIST');
      assert.equal(await tenpayError(payB.refundQuery({ refund_id: String(r.refund_id) })), 'REFUNDNOTEXIST');

      const { openid } = await createPayer(e, a.appidOk, 0n);
      const unpaid = `U${randomString(12)}`;
      await payA.unifiedOrder({ body: 'x', out_trade_no: unpaid, total_fee: 100, spbill_create_ip: '127.0.0.1', notify_url: rx.url, trade_type: 'JSAPI', openid });
      assert.equal(await tenpayError(payA.refund({ out_trade_no: unpaid, out_refund_no: `RF${randomString(10)}`, total_fee: 100, refund_fee: 100 })), 'INVALID_REQUEST');
      assert.equal(await tenpayError(payA.refundQuery({ out_trade_no: unpaid })), 'REFUNDNOTEXIST');
      const refunds = await e.platform.handle.db.selectFrom('pay_refunds').select('mch_id').where('mch_id', 'in', [a.mchId, b.mchId]).execute();
      assert.deepEqual(refunds.map((x) => x.mch_id), [a.mchId]);
    } finally {
      await rx.close();
    }
  });

  it('downloadbill: the text bill of a CST day (gzip on request); No Bill Exist as unsigned XML; bad dates refused; only the own bill', async () => {
    const e = env();
    const f = await createPayMerchant(e);
    const other = await createPayMerchant(e);
    const pay = tenpayFor(e, f);
    const rx = await startNotifyReceiver(pay);
    try {
      const { out_trade_no } = await paidOrder(e, f, pay, 1500, rx.url);
      const bill = await pay.downloadBill({ bill_date: todayCst() });
      assert.ok(bill.includes(`\`${out_trade_no}`), bill);
      assert.ok(bill.includes('`15.00'), 'amounts in yuan');
      assert.match(bill.split(/\r?\n/)[0] ?? '', /^交易时间,/);
      assert.ok(bill.includes(`\`${out_trade_no}`) && (await pay.downloadBill({ bill_date: todayCst(), bill_type: 'SUCCESS' })).includes(out_trade_no));
      assert.equal(await tenpayError(pay.downloadBill({ bill_date: todayCst(), bill_type: 'REFUND' })), 'No Bill Exist');
      assert.equal(await tenpayError(pay.downloadBill({ bill_date: '20200101' })), 'No Bill Exist');
      assert.equal(await tenpayError(pay.downloadBill({ bill_date: '2020-01-01' })), 'invalid bill_date');
      assert.equal(await tenpayError(pay.downloadBill({ bill_date: todayCst(), bill_type: 'FUNDS' })), 'invalid bill_type');
      assert.equal(await tenpayError(tenpayFor(e, other).downloadBill({ bill_date: todayCst() })), 'No Bill Exist');

      const fields = { appid: f.appidOk, mch_id: f.mchId, nonce_str: randomString(16), bill_date: todayCst(), bill_type: 'ALL', tar_type: 'GZIP' };
      const gz = await e.app.inject({ method: 'POST', url: '/pay/downloadbill', payload: `<xml>${Object.entries({ ...fields, sign: v2Sign(fields, f.apiV2Key) }).map(([k, v]) => `<${k}>${v}</${k}>`).join('')}</xml>` });
      assert.equal(gz.headers['content-type'], 'application/x-gzip');
      assert.equal(gunzipSync(gz.rawPayload).toString('utf8'), bill);
      const none = await e.app.inject({ method: 'POST', url: '/pay/downloadbill', payload: `<xml><appid>${f.appidOk}</appid><mch_id>${f.mchId}</mch_id><nonce_str>n</nonce_str><bill_date>20200101</bill_date><sign>${v2Sign({ appid: f.appidOk, mch_id: f.mchId, nonce_str: 'n', bill_date: '20200101' }, f.apiV2Key)}</sign></xml>` });
      assert.deepEqual(parseWechatXml(none.body), { return_code: 'FAIL', return_msg: 'No Bill Exist', error_code: '20002' });
    } finally {
      await rx.close();
    }
  });
}, { listen: true, background: true });
