/**
 * The child of the payment crash test (modules/payments/crash.test.ts): starts a listening platform on
 * the given database, sets up a merchant, paying consumers and unpaid JSAPI orders, prints them as one
 * JSON line, then serves until it is killed. Usage: node pay-burst-child.ts <pglite|postgres> <dir|schema> <orders>
 */
import { makeContext } from '../platform/context.ts';
import { randomString } from '../platform/ids.ts';
import { createAccount, createConsumer, createMerchant, follow } from './factories.ts';
import { startTestEnv } from './harness.ts';

const [kind, where, count] = process.argv.slice(2);
if ((kind !== 'pglite' && kind !== 'postgres') || !where || !count) throw new Error('usage: pay-burst-child.ts <pglite|postgres> <dir|schema> <orders>');
const env = await startTestEnv(kind, { listen: true, poolSize: 10, ...(kind === 'pglite' ? { pgliteDir: where } : { schema: where }) });
const { services } = env.platform;
const merchant = await createMerchant(env, 'Crash Test Noodles');
const account = await createAccount(env, merchant);
const pay = await services.payMerchants.create(merchant.ctx, { appid: account.appid });
const m = await services.payMerchants.byMchId(pay.mchId);
if (!m) throw new Error('no pay merchant');
const appCtx = makeContext({ kind: 'app', orgId: merchant.orgId, accountId: account.id });
const payers = await Promise.all(
  Array.from({ length: 8 }, async () => {
    const c = await createConsumer(env);
    const openid = await follow(env, c, account);
    const card = await services.wallet.addCard(c.ctx, { number: '4111111111111111', bank: 'ICBC' });
    await services.wallet.topUp(c.ctx, { cardId: card.id, amount: 1_000_000n });
    await services.wallet.setPin(c.ctx, { pin: '135790' });
    return { c, openid };
  }),
);
const orders = [];
for (let i = 0; i < Number(count); i++) {
  const p = payers[i % payers.length];
  if (!p) throw new Error('no payer');
  const { order } = await services.payments.create(appCtx, m.merchant, {
    tradeType: 'JSAPI', appid: account.appid, mchid: pay.mchId, description: `面 ${i}`, outTradeNo: `CR${randomString(14)}`,
    notifyUrl: 'http://127.0.0.1:9/notify', total: BigInt(100 + i), currency: 'CNY', payerOpenid: p.openid,
  });
  orders.push({ orderId: order.id, prepayId: order.prepay_id, consumerId: p.c.id, token: p.c.token, total: String(order.total) });
}
process.stdout.write(`${JSON.stringify({ baseUrl: env.baseUrl, orgId: merchant.orgId, orders })}\n`);
setInterval(() => {}, 60_000);
