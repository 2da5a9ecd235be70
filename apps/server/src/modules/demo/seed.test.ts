import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { makeContext } from '../../platform/context.ts';
import { describeOnBothDbs } from '../../testing/harness.ts';
import { seedDemoIfEmpty, type DemoCredentials } from './seed.ts';

const require = createRequire(import.meta.url);
interface Res { status: number; data: Record<string, unknown> }
type Chain = { get(cfg?: unknown): Promise<Res>; post(body: unknown, cfg?: unknown): Promise<Res> } & { [k: string]: Chain };
const { Wechatpay } = require('wechatpay-axios-plugin') as { Wechatpay: new (cfg: { baseURL: string; mchid: string; serial: string; privateKey: string; certs: Record<string, string> }) => Chain };

const dataDir = mkdtempSync(path.join(tmpdir(), 'lianjie-demo-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

describeOnBothDbs('the demo seed', (env) => {
  it('writes credentials a Pay SDK and the consumer can use as they are: order, pay with the PIN, settled at once', async () => {
    const e = env();
    const seeded = await seedDemoIfEmpty(e.platform);
    assert.ok(seeded);
    assert.equal(await seedDemoIfEmpty(e.platform), undefined, 'only once');
    const creds = JSON.parse(readFileSync(path.join(e.config.dataDir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
    assert.equal(creds.pay.mchId, seeded.pay.mchId);
    const sdk = new Wechatpay({ baseURL: `${e.baseUrl}/`, mchid: creds.pay.mchId, serial: creds.pay.merchantCertSerial, privateKey: creds.pay.merchantPrivateKey, certs: { [creds.pay.platformCertSerial]: creds.pay.platformCertificate } });
    const { services } = e.platform;
    const diner = makeContext({ kind: 'consumer', consumerId: creds.consumer.id });
    assert.equal((await services.wallet.summary(diner)).balance, 50_000n);
    const openid = (await services.followers.findFollow(e.platform.handle.db, creds.account.id, creds.consumer.id))?.openid;
    assert.ok(openid);
    const created = await sdk.v3!.pay!.transactions!.jsapi!.post({
      appid: creds.pay.appid, mchid: creds.pay.mchId, description: '麻婆豆腐', out_trade_no: 'DEMO0000001', notify_url: 'http://127.0.0.1:9/notify', amount: { total: 2800, currency: 'CNY' }, payer: { openid },
    });
    const paid = await services.payer.payByPrepay(diner, String(created.data.prepay_id), creds.consumer.pin);
    assert.equal(paid.state, 'SUCCESS');
    await services.settlement.settleDue(new Date());
    const owner = makeContext({ kind: 'merchant', userId: 'demo', orgId: creds.merchant.orgId, role: 'owner' });
    const balance = await services.settlement.balance(owner);
    assert.equal(balance.pending, 0n, 'the demo settles at once');
    assert.equal(balance.available + balance.fees, 2800n);
  });
}, { listen: true, env: { DATA_DIR: dataDir } });
