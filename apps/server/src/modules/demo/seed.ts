import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Platform } from '../../app.ts';
import { makeContext } from '../../platform/context.ts';
import { randomString } from '../../platform/ids.ts';
import { fundInsurance } from '../insurance/service.ts';

export interface DemoCredentials {
  platform: string;
  operator: { email: string; password: string };
  /** `apiKey`: an `lj_sk_…` key for the merchant JSON pay API (`Authorization: Bearer …`). */
  merchant: { email: string; password: string; orgId: string; apiKey: string };
  account: { id: string; name: string; originalId: string; appid: string; appsecret: string; token: string; encodingAESKey: string; type: string };
  /** The wallet has ¥500 from a simulated card; `pin` is the payment PIN. */
  consumer: { phone: string; password: string; id: string; pin: string };
  /** The merchant's Pay account: everything a WeChat Pay v2/v3 SDK is configured with. */
  pay: {
    mchId: string;
    appid: string;
    apiV2Key: string;
    apiV3Key: string;
    merchantCertSerial: string;
    merchantPrivateKey: string;
    merchantCertificate: string;
    verifyMode: string;
    platformCertSerial: string;
    platformCertificate: string;
    platformPublicKeyId: string;
  };
}

/**
 * On first start with an empty database: an operator, "Demo Restaurant" with a service account and a
 * Pay account (settling at once), and a consumer following it with ¥500 in the wallet; credentials
 * written to DATA_DIR/demo-credentials.json.
 */
export async function seedDemoIfEmpty(platform: Platform): Promise<DemoCredentials | undefined> {
  const { db } = platform.handle;
  const any = await db.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
  if (any) return undefined;
  const { identity, accounts, conversations } = platform.services;
  const anon = makeContext({ kind: 'anonymous' });
  const operatorPassword = platform.config.operatorPassword ?? randomString(16);
  await identity.bootstrapOperator(platform.config.operatorEmail, operatorPassword);

  const merchantPassword = randomString(12);
  const m = await identity.signUpMerchant(anon, { orgName: 'Demo Restaurant', email: 'owner@demo-restaurant.test', password: merchantPassword, name: 'Demo Owner' });
  const owner = makeContext({ kind: 'merchant', userId: m.user.id, orgId: m.org.id, role: 'owner' });
  // The demo organisation is approved at once (MERCHANT_REVIEW would leave a new sign-up pending).
  await db.updateTable('organizations').set({ status: 'approved', reviewed_at: new Date() }).where('id', '=', m.org.id).execute();
  const apiKey = await platform.services.apiKeys.create(owner, { name: 'Demo server' });
  const account = await accounts.create(owner, { name: 'Demo Restaurant', type: 'service', description: 'Scan, order and pay at the table. 扫码点餐。' });
  // A demo shows money arriving at once: its payments settle immediately, not at T+1.
  await platform.services.settlement.setDelay(owner, 'now');
  await accounts.updateProfile(owner, account.id, { welcomeMessage: 'Welcome to Demo Restaurant! Reply "menu" for today\'s dishes. 欢迎光临！' });
  await accounts.addAutoReply(owner, account.id, { match: 'contains', keyword: 'menu', replyText: "Today: mapo tofu ¥28, kung pao chicken ¥36, rice ¥2." });
  await accounts.addAutoReply(owner, account.id, { match: 'default', replyText: 'Thanks for your message — a waiter will answer shortly.' });
  // A template for `message/template/send` (see get_all_private_template).
  await platform.services.templates.create(owner, account.id, {
    title: '订单支付成功 Order paid',
    primaryIndustry: 'IT科技',
    deputyIndustry: '餐饮',
    content: '{{first.DATA}}\n订单号：{{keyword1.DATA}}\n支付金额：{{keyword2.DATA}}\n{{remark.DATA}}',
    example: '您的订单已支付成功\n订单号：202401010001\n支付金额：¥36.00\n欢迎再次光临',
  });

  // The platform's insurance fund (¥100,000 from the bank), so demo insured (hospital-style) orders can be paid.
  await fundInsurance(db, platform.services.ledger, { amount: 10_000_000n, reference: 'demo-seed' });

  const pay = await platform.services.payMerchants.create(owner, { appid: account.appid });
  const platformKey = pay.platformKeys[0];
  if (!platformKey) throw new Error('the demo pay account has no platform key');

  const consumerPassword = 'demo-pass-1234';
  const pin = '123456';
  const c = await identity.signUpConsumer(anon, { phone: '13800000000', password: consumerPassword, nickname: 'Demo Diner' });
  const diner = makeContext({ kind: 'consumer', consumerId: c.consumer.id });
  await conversations.follow(diner, account.id, { scene: 'ADD_SCENE_SEARCH' });
  const card = await platform.services.wallet.addCard(diner, { number: '6222020200000000006', bank: 'ICBC' });
  await platform.services.wallet.topUp(diner, { cardId: card.id, amount: 50_000n });
  await platform.services.wallet.setPin(diner, { pin });

  const creds: DemoCredentials = {
    platform: platform.config.publicUrl,
    operator: { email: platform.config.operatorEmail, password: operatorPassword },
    merchant: { email: 'owner@demo-restaurant.test', password: merchantPassword, orgId: m.org.id, apiKey: apiKey.key },
    account: { id: account.id, name: account.name, originalId: account.originalId, appid: account.appid, appsecret: account.appsecret, token: account.token, encodingAESKey: account.encodingAESKey, type: account.type },
    consumer: { phone: '13800000000', password: consumerPassword, id: c.consumer.id, pin },
    pay: {
      mchId: pay.mchId,
      appid: pay.appid,
      apiV2Key: pay.apiV2Key,
      apiV3Key: pay.apiV3Key,
      merchantCertSerial: pay.merchantCertSerial,
      merchantPrivateKey: pay.merchantPrivateKey,
      merchantCertificate: pay.merchantCertificate,
      verifyMode: pay.verifyMode,
      platformCertSerial: platformKey.serial,
      platformCertificate: platformKey.certificate,
      platformPublicKeyId: platformKey.publicKeyId,
    },
  };
  mkdirSync(platform.config.dataDir, { recursive: true });
  writeFileSync(path.join(platform.config.dataDir, 'demo-credentials.json'), `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  return creds;
}
