// Pay pieces without a browser: the bridge's pay answers, Code 128, money formatting and parsing.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createBridge, type NativeHandlers, type PayRequest, type PayResult } from '../src/webview/bridge.ts';
import { code128Bars, code128Values, code128Widths } from '../src/pay/code128.ts';
import { fenOf, yuan } from '../src/pay/api.ts';

const ORIGIN = 'https://shop.example.com';

function setup(answer: (req: PayRequest) => Promise<PayResult>) {
  const sent: Record<string, unknown>[] = [];
  const frame = { postMessage: (msg: Record<string, unknown>) => sent.push(msg) } as unknown as Window;
  const asked: PayRequest[] = [];
  const handlers: NativeHandlers = {
    verify: async () => ['chooseWXPay'],
    getLocation: async () => ({}),
    scan: async () => null,
    chooseImage: async () => null,
    share: () => {},
    close: () => {},
    title: () => {},
    pay: (req) => {
      asked.push(req);
      return answer(req);
    },
  };
  const bridge = createBridge({ frame: () => frame, pageOrigin: ORIGIN, handlers });
  const post = async (id: string, method: string, args: Record<string, unknown> = {}) => {
    bridge.onMessage({ source: frame, origin: ORIGIN, data: { __lianjie: 1, id, method, args } });
    await new Promise((r) => setTimeout(r, 5));
    return sent.find((m) => m.id === id);
  };
  return { post, asked };
}

const config = { appId: 'wxapp1', url: `${ORIGIN}/p`, timestamp: 1, nonceStr: 'n', signature: 'good', jsApiList: ['chooseWXPay'] };
const pay = { timestamp: '1700000000', nonceStr: 'abc', package: 'prepay_id=wx123', signType: 'RSA', paySign: 'sig' };

it('wx.chooseWXPay pays with the configured appId and answers ok / cancel / fail', async () => {
  const results: PayResult[] = [{ kind: 'ok' }, { kind: 'cancel' }, { kind: 'fail', reason: 'PAY_SIGN_INVALID' }];
  const { post, asked } = setup(async () => results.shift() ?? { kind: 'ok' });
  await post('p:1', 'config', config);
  assert.deepEqual(await post('p:2', 'chooseWXPay', pay), { __lianjie: 1, id: 'p:2', ok: true, result: { errMsg: 'chooseWXPay:ok' } });
  assert.deepEqual(asked[0], { appId: 'wxapp1', timeStamp: '1700000000', nonceStr: 'abc', package: 'prepay_id=wx123', signType: 'RSA', paySign: 'sig' });
  assert.deepEqual((await post('p:3', 'chooseWXPay', pay))?.error, { errMsg: 'chooseWXPay:cancel' });
  assert.deepEqual((await post('p:4', 'chooseWXPay', pay))?.error, { errMsg: 'chooseWXPay:fail PAY_SIGN_INVALID' });
});

it('getBrandWCPayRequest answers err_msg get_brand_wcpay_request:ok / :cancel / :fail with the page’s own appId', async () => {
  const results: PayResult[] = [{ kind: 'ok' }, { kind: 'cancel' }, { kind: 'fail', reason: 'ORDERPAID' }];
  const { post, asked } = setup(async () => results.shift() ?? { kind: 'ok' });
  await post('b:1', 'config', config);
  const brand = { appId: 'wxother', timeStamp: '1700000001', nonceStr: 'n2', package: 'prepay_id=wx9', signType: 'MD5', paySign: 'ABC' };
  assert.deepEqual((await post('b:2', 'getBrandWCPayRequest', brand))?.result, { err_msg: 'get_brand_wcpay_request:ok', errMsg: 'get_brand_wcpay_request:ok' });
  assert.deepEqual(asked[0], brand);
  assert.equal(((await post('b:3', 'getBrandWCPayRequest', brand))?.result as { err_msg: string }).err_msg, 'get_brand_wcpay_request:cancel');
  assert.deepEqual((await post('b:4', 'getBrandWCPayRequest', brand))?.result, { err_msg: 'get_brand_wcpay_request:fail', errMsg: 'get_brand_wcpay_request:fail', err_desc: 'ORDERPAID' });
});

it('refuses pay before wx.config grants chooseWXPay, and a second sheet while one is open', async () => {
  let release: (r: PayResult) => void = () => {};
  const { post, asked } = setup(() => new Promise<PayResult>((resolve) => (release = resolve)));
  assert.deepEqual((await post('q:1', 'chooseWXPay', pay))?.error, { errMsg: 'chooseWXPay:permission denied' });
  assert.equal(asked.length, 0);
  await post('q:2', 'config', config);
  const first = post('q:3', 'chooseWXPay', pay);
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual((await post('q:4', 'chooseWXPay', pay))?.error, { errMsg: 'chooseWXPay:fail busy' });
  release({ kind: 'ok' });
  await first;
  assert.equal(asked.length, 1);
});

it('Code 128: set C for an 18-digit code, set B otherwise, checksum mod 103, 11 modules a symbol', () => {
  const code = '134567890123456789';
  const v = code128Values(code);
  assert.equal(v[0], 105, 'start C');
  assert.deepEqual(v.slice(1, 10), [13, 45, 67, 89, 1, 23, 45, 67, 89]);
  const check = v.slice(1, 10).reduce((s, x, i) => s + x * (i + 1), 105) % 103;
  assert.equal(v[10], check);
  assert.equal(v[11], 106, 'stop');
  const widths = code128Widths(code);
  assert.equal(widths.reduce((a, b) => a + b, 0), 11 * 11 + 13);
  // Set B: "PJJ123C" → start B, checksum (104 + Σ value·position) mod 103.
  const b = code128Values('PJJ123C');
  assert.equal(b[0], 104);
  assert.equal(b[b.length - 2], (104 + [48, 42, 42, 17, 18, 19, 35].reduce((s, x, i) => s + x * (i + 1), 0)) % 103);
  const { bars, width } = code128Bars(code);
  assert.equal(width, 20 + 11 * 11 + 13);
  assert.equal(bars.length, 11 * 3 + 4, 'three bars a symbol, four in the stop');
  assert.throws(() => code128Values('é'));
});

it('money: yuan from fen and fen from typed yuan, integers only', () => {
  assert.equal(yuan(1800), '¥18.00');
  assert.equal(yuan(5), '¥0.05');
  assert.equal(yuan(-1234), '-¥12.34');
  assert.equal(fenOf('12'), 1200);
  assert.equal(fenOf('12.3'), 1230);
  assert.equal(fenOf(' 0.07 '), 7);
  assert.equal(fenOf('0'), undefined);
  assert.equal(fenOf('1.234'), undefined);
  assert.equal(fenOf('-3'), undefined);
  assert.equal(fenOf('abc'), undefined);
});
