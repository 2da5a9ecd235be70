import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { it } from 'node:test';
import { randomString } from '../../platform/ids.ts';
import { cstDate } from '../../platform/time.ts';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createPayOwner, createPayer, paidOrder, type TestPayOwner } from '../../testing/pay.ts';

const require = createRequire(import.meta.url);
interface Res { status: number; data: unknown; headers: Record<string, string> }
type Call = { get(cfg?: unknown): Promise<Res> };
type Chain = Call & { [k: string]: Chain };
const { Wechatpay } = require('wechatpay-axios-plugin') as { Wechatpay: new (cfg: { baseURL: string; mchid: string; serial: string; privateKey: string; certs: Record<string, string> }) => Chain };

function sdkOf(e: TestEnv, f: TestPayOwner): Chain {
  const key = f.platformKeys[0];
  assert.ok(key);
  // The plugin verifies every JSON response with this certificate; downloads are raw bytes it passes through.
  return new Wechatpay({ baseURL: `${e.baseUrl}/`, mchid: f.mchId, serial: f.merchantCertSerial, privateKey: f.merchantPrivateKey, certs: { [key.serial]: key.certificate } });
}

const fail = (p: Promise<Res>) => p.then(() => assert.fail('expected an error'), (x: { response?: { status: number; data: unknown } }) => {
  const data = x.response?.data;
  const body = (Buffer.isBuffer(data) ? JSON.parse(data.toString('utf8')) : data) as { code?: string };
  return { status: x.response?.status, code: body?.code };
});

const tokenOf = (url: unknown) => new URL(String(url)).searchParams.get('token') ?? '';

describeOnBothDbs('Pay v3 bills', (env) => {
  it('tradebill → download_url; the downloaded bytes hash to hash_value; only the issuing merchant can download', async () => {
    const e = env();
    const a = await createPayOwner(e);
    const b = await createPayOwner(e);
    const p = await createPayer(e, a.appidOk, 50_000n);
    const o = await paidOrder(e, a, p, 4_321n);
    const sdkA = sdkOf(e, a);
    const sdkB = sdkOf(e, b);
    const date = cstDate();

    const res = await sdkA.v3.bill.tradebill.get({ params: { bill_date: date, bill_type: 'ALL' } });
    assert.equal(res.status, 200);
    const meta = res.data as { hash_type: string; hash_value: string; download_url: string };
    assert.equal(meta.hash_type, 'SHA1');
    assert.match(meta.hash_value, /^[0-9a-f]{40}$/);
    assert.ok(meta.download_url.startsWith(`${e.platform.config.publicUrl}/v3/billdownload/file?token=`), meta.download_url);

    const file = await sdkA.v3.billdownload.file.get({ params: { token: tokenOf(meta.download_url) }, responseType: 'arraybuffer' });
    assert.equal(file.status, 200);
    const bytes = Buffer.from(file.data as ArrayBuffer);
    assert.equal(createHash('sha1').update(bytes).digest('hex'), meta.hash_value);
    const text = bytes.toString('utf8');
    assert.match(text, /^交易时间,公众账号ID,商户号,/);
    assert.match(text, new RegExp(`\`${o.transaction_id},\`${o.out_trade_no},`));
    assert.match(text, /总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n`1,`43\.21,`0\.00,`0\.00,`0\.26,`43\.21,`0\.00\r\n$/);

    // Another merchant's signed request with A's token gets nothing; neither does an unsigned one.
    assert.deepEqual(await fail(sdkB.v3.billdownload.file.get({ params: { token: tokenOf(meta.download_url) }, responseType: 'arraybuffer' })), { status: 400, code: 'INVALID_REQUEST' });
    const unsigned = await fetch(meta.download_url);
    assert.equal(unsigned.status, 401);
    assert.doesNotMatch(await unsigned.text(), new RegExp(o.out_trade_no));
    // B's own bill of the day is empty.
    assert.deepEqual(await fail(sdkB.v3.bill.tradebill.get({ params: { bill_date: date } })), { status: 400, code: 'NO_STATEMENT_EXIST' });

    // Tokens expire.
    const again = (await sdkA.v3.bill.tradebill.get({ params: { bill_date: date, bill_type: 'SUCCESS' } })).data as { download_url: string; hash_value: string };
    assert.equal(again.hash_value, meta.hash_value, 'SUCCESS of a day without refunds is the same bill');
    await e.platform.handle.db.updateTable('pay_bill_downloads').set({ expires_at: new Date(Date.now() - 1000) }).where('token', '=', tokenOf(again.download_url)).execute();
    assert.deepEqual(await fail(sdkA.v3.billdownload.file.get({ params: { token: tokenOf(again.download_url) }, responseType: 'arraybuffer' })), { status: 400, code: 'INVALID_REQUEST' });
  });

  it('refuses bad input with the protocol error and issues no download', async () => {
    const e = env();
    const a = await createPayOwner(e);
    const sdk = sdkOf(e, a);
    const tokens = async () => (await e.platform.handle.db.selectFrom('pay_bill_downloads').select('token').where('mch_id', '=', a.mchId).execute()).length;
    assert.deepEqual(await fail(sdk.v3.bill.tradebill.get({ params: { bill_date: '2001-01-01' } })), { status: 400, code: 'NO_STATEMENT_EXIST' });
    for (const bill_date of ['2026-02-30', '20261126', '']) assert.deepEqual(await fail(sdk.v3.bill.tradebill.get({ params: { bill_date } })), { status: 400, code: 'PARAM_ERROR' }, bill_date);
    assert.deepEqual(await fail(sdk.v3.bill.tradebill.get({ params: { bill_date: '2026-11-26', bill_type: 'NOPE' } })), { status: 400, code: 'PARAM_ERROR' });
    assert.deepEqual(await fail(sdk.v3.bill.tradebill.get({ params: { bill_date: '2026-11-26', tar_type: 'GZIP' } })), { status: 400, code: 'PARAM_ERROR' });
    assert.deepEqual(await fail(sdk.v3.billdownload.file.get({ params: { token: randomString(40) }, responseType: 'arraybuffer' })), { status: 400, code: 'INVALID_REQUEST' });
    assert.equal(await tokens(), 0);
  });
}, { listen: true });
