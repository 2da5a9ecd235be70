import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signWebhook, verifyWebhook } from './signing.ts';

describe('webhook signatures', () => {
  const secret = 'whsec_testsecret0123456789';
  const body = JSON.stringify({ id: 'evt_1', type: 'payment.succeeded', data: { order: { amount: 1234 } } });
  const now = Date.now();
  const t = Math.floor(now / 1000);

  it('accepts a good signature over the exact body', () => {
    const header = signWebhook(secret, body, t);
    assert.match(header, /^t=\d+,s=[0-9a-f]{64}$/);
    assert.equal(verifyWebhook(secret, header, body, 300, now), true);
  });

  it('refuses a tampered body', () => {
    const header = signWebhook(secret, body, t);
    assert.equal(verifyWebhook(secret, header, body.replace('1234', '1'), 300, now), false);
    assert.equal(verifyWebhook(secret, header, `${body} `, 300, now), false);
  });

  it('refuses an old (or far future) timestamp, even correctly signed', () => {
    assert.equal(verifyWebhook(secret, signWebhook(secret, body, t - 301), body, 300, now), false);
    assert.equal(verifyWebhook(secret, signWebhook(secret, body, t + 301), body, 300, now), false);
    assert.equal(verifyWebhook(secret, signWebhook(secret, body, t - 299), body, 300, now), true);
  });

  it('refuses the wrong secret, a missing or malformed header', () => {
    assert.equal(verifyWebhook('whsec_other', signWebhook(secret, body, t), body, 300, now), false);
    assert.equal(verifyWebhook(secret, undefined, body, 300, now), false);
    assert.equal(verifyWebhook(secret, `t=${t}`, body, 300, now), false);
    assert.equal(verifyWebhook(secret, `t=${t},s=zz`, body, 300, now), false);
    assert.equal(verifyWebhook(secret, 'garbage', body, 300, now), false);
  });

  it('accepts any of several s= parts (secret rotation)', () => {
    const good = signWebhook(secret, body, t).split(',s=')[1];
    assert.equal(verifyWebhook(secret, `t=${t},s=${'0'.repeat(64)},s=${good}`, body, 300, now), true);
  });
});
