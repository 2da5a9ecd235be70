import { randomBytes } from 'node:crypto';
import { makeContext } from '../apps/server/src/platform/context.ts';
import type { DbKind } from '../apps/server/src/platform/db.ts';
import { completePayment } from '../apps/server/src/modules/payments/pay.ts';
import type { CreateOrderInput } from '../apps/server/src/modules/payments/service.ts';
import { createAccount, createConsumer, createMerchant, follow } from '../apps/server/src/testing/factories.ts';
import { startTestEnv } from '../apps/server/src/testing/harness.ts';
import { closedLoop, type RunResult } from './load.ts';
import { runTpcbInProcess } from './tpcb.ts';

export interface PaymentsSpec {
  kind: DbKind;
  warmup: number;
  requests: number;
  concurrency: number;
  /** Requests of the second run that includes the consumer's payment PIN (scrypt); 0 skips it. */
  pinRequests: number;
}

export interface PaymentsReport {
  /** create + pay (lock, ledger, SUCCESS, outbox row, thread receipt), without the PIN hash. */
  payments: RunResult;
  /** The same through the payer service, PIN included. */
  paymentsWithPin: RunResult | null;
  /** pgbench's tpcb-like transaction run in this process on the same database handle. */
  tpcbInProcess: RunResult;
  outboxRows: number;
  ledgerClean: boolean;
}

/**
 * JSAPI-equivalent payments against a platform in this process, no network to the merchant (the
 * notification is an outbox row, no worker runs): the merchant's create (payments.create, what
 * POST /v3/pay/transactions/jsapi calls) then the consumer's payment transaction (order locked, payer
 * checked, completePayment). One consumer per lane, each with a funded wallet.
 */
export async function runPayments(spec: PaymentsSpec): Promise<PaymentsReport> {
  const env = await startTestEnv(spec.kind, { poolSize: Math.max(10, spec.concurrency) });
  try {
    const { services, handle, hub } = env.platform;
    const db = handle.db;
    const merchant = await createMerchant(env, 'Bench Restaurant');
    const account = await createAccount(env, merchant, 'service', 'Bench Restaurant');
    const pay = await services.payMerchants.create(merchant.ctx, { appid: account.appid });
    const m = await services.payMerchants.byMchId(pay.mchId);
    if (!m) throw new Error('no pay merchant');
    const appCtx = makeContext({ kind: 'app', orgId: merchant.orgId, accountId: account.id });
    const lanes = await Promise.all(
      Array.from({ length: spec.concurrency }, async () => {
        const c = await createConsumer(env);
        const openid = await follow(env, c, account);
        const card = await services.wallet.addCard(c.ctx, { number: '4111111111111111', bank: 'ICBC' });
        await services.wallet.topUp(c.ctx, { cardId: card.id, amount: 5_000_000n });
        await services.wallet.setPin(c.ctx, { pin: '135790' });
        return { c, openid };
      }),
    );
    const order = (openid: string): CreateOrderInput => ({
      tradeType: 'JSAPI',
      appid: account.appid,
      mchid: pay.mchId,
      description: '招牌牛肉面',
      outTradeNo: `B${randomBytes(12).toString('hex')}`,
      notifyUrl: 'http://127.0.0.1:9/notify',
      total: 1n,
      currency: 'CNY',
      payerOpenid: openid,
    });
    const payOnce = async (lane: number): Promise<number> => {
      const l = lanes[lane];
      if (!l) throw new Error('no lane');
      const t0 = performance.now();
      const { order: o } = await services.payments.create(appCtx, m.merchant, order(l.openid));
      await db.transaction().execute(async (tx) => {
        const locked = await tx.selectFrom('pay_orders').selectAll().where('prepay_id', '=', o.prepay_id).forUpdate().executeTakeFirstOrThrow();
        if ((await services.followers.consumerOfOpenid(tx, locked.account_id, l.openid)) !== l.c.id) throw new Error('not the payer');
        await completePayment(tx, { hub, ledger: services.ledger }, locked, l.c.id, l.openid);
      });
      return performance.now() - t0;
    };
    const payWithPin = async (lane: number): Promise<number> => {
      const l = lanes[lane];
      if (!l) throw new Error('no lane');
      const t0 = performance.now();
      const { order: o } = await services.payments.create(appCtx, m.merchant, order(l.openid));
      await services.payer.payByPrepay(l.c.ctx, o.prepay_id ?? '', '135790');
      return performance.now() - t0;
    };
    if (spec.warmup > 0) await closedLoop(spec.warmup, spec.concurrency, payOnce);
    const payments = await closedLoop(spec.requests, spec.concurrency, payOnce);
    const paymentsWithPin = spec.pinRequests > 0 ? await closedLoop(spec.pinRequests, spec.concurrency, payWithPin) : null;
    const outbox = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('n')).where('kind', '=', 'pay.notify.v3').executeTakeFirstOrThrow();
    const report = await services.ledger.verify();
    const ledgerClean = Object.values(report).every((list) => list.length === 0);
    const tpcbInProcess = await runTpcbInProcess(db, { warmup: spec.warmup, requests: spec.requests, concurrency: spec.concurrency });
    return { payments, paymentsWithPin, tpcbInProcess, outboxRows: Number(outbox.n), ledgerClean };
  } finally {
    await env.close();
  }
}
