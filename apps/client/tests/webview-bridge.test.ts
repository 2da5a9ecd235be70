// The web view's bridge logic without a browser: source/origin checks, per-page grants, refusals.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { BridgeFailure, createBridge, type NativeHandlers } from '../src/webview/bridge.ts';

const ORIGIN = 'https://shop.example.com';

function setup(granted: string[] = ['getLocation', 'scanQRCode']) {
  const sent: Array<{ msg: Record<string, unknown>; target: string }> = [];
  const frame = { postMessage: (msg: Record<string, unknown>, target: string) => sent.push({ msg, target }) } as unknown as Window;
  const verified: unknown[] = [];
  const handlers: NativeHandlers = {
    verify: async (body) => {
      verified.push(body);
      if (body.signature !== 'good') throw new BridgeFailure('config:invalid signature');
      return granted;
    },
    getLocation: async () => ({ latitude: 1, longitude: 2, speed: 0, accuracy: 5, errMsg: 'getLocation:ok' }),
    scan: async () => 'scanned',
    chooseImage: async () => null,
    share: () => {},
    close: () => {},
    title: () => {},
  };
  const bridge = createBridge({ frame: () => frame, pageOrigin: ORIGIN, handlers });
  const post = async (id: string, method: string, args: Record<string, unknown> = {}, from: { source?: unknown; origin?: string } = {}) => {
    bridge.onMessage({ source: (from.source ?? frame) as Window, origin: from.origin ?? ORIGIN, data: { __lianjie: 1, id, method, args } });
    await new Promise((r) => setTimeout(r, 5));
    return sent.find((s) => s.msg.id === id);
  };
  return { post, sent, verified, frame };
}

const config = { appId: 'wx1', url: `${ORIGIN}/p`, timestamp: 1, nonceStr: 'n', signature: 'good', jsApiList: ['getLocation'] };

it('refuses calls before wx.config, then allows only the granted ones, per page', async () => {
  const { post } = setup();
  assert.deepEqual((await post('p1:1', 'getLocation'))?.msg, { __lianjie: 1, id: 'p1:1', ok: false, error: { errMsg: 'getLocation:permission denied' } });
  assert.equal((await post('p1:2', 'config', config))?.msg.ok, true);
  const loc = await post('p1:3', 'getLocation');
  assert.equal(loc?.target, ORIGIN, 'replies go only to the page origin');
  assert.deepEqual(loc?.msg.result, { latitude: 1, longitude: 2, speed: 0, accuracy: 5, errMsg: 'getLocation:ok' });
  assert.deepEqual((await post('p1:4', 'scanQRCode', { needResult: 1 }))?.msg.result, { resultStr: 'scanned', errMsg: 'scanQRCode:ok' });
  assert.equal((await post('p1:5', 'chooseImage'))?.msg.ok, false, 'not granted by the server');
  assert.deepEqual((await post('p2:1', 'getLocation'))?.msg.error, { errMsg: 'getLocation:permission denied' }, 'another page has its own grant');
  assert.deepEqual((await post('p1:6', 'checkJsApi', { jsApiList: ['getLocation', 'chooseImage'] }))?.msg.result, { checkResult: { getLocation: true, chooseImage: false }, errMsg: 'checkJsApi:ok' });
});

it('passes typed config failures through and checks the signed URL is the page origin', async () => {
  const { post, verified } = setup();
  assert.deepEqual((await post('a:1', 'config', { ...config, signature: 'bad' }))?.msg.error, { errMsg: 'config:invalid signature' });
  assert.deepEqual((await post('a:2', 'config', { ...config, url: 'https://other.example.com/p' }))?.msg.error, { errMsg: 'config:invalid url domain' });
  assert.equal(verified.length, 1, 'a URL of another origin is refused before asking the server');
});

it('ignores messages from another window or another origin', async () => {
  const { post, sent } = setup();
  await post('x:1', 'config', config, { source: {} });
  await post('x:2', 'config', config, { origin: 'https://evil.example.com' });
  await post('x:3', 'config', config, { origin: 'null' });
  assert.equal(sent.length, 0);
  const { post: post2, sent: sent2 } = setup();
  await post2('ok:1', 'config', config);
  assert.equal(sent2.length, 1);
});

it('answers chooseWXPay / getBrandWCPayRequest as not available once granted', async () => {
  const { post } = setup(['chooseWXPay']);
  await post('w:1', 'config', config);
  assert.deepEqual((await post('w:2', 'chooseWXPay'))?.msg.error, { errMsg: 'chooseWXPay:not available' });
  assert.deepEqual((await post('w:3', 'getBrandWCPayRequest'))?.msg.error, { errMsg: 'getBrandWCPayRequest:not available' });
});
