import { randomInt } from 'node:crypto';
import type { Db, Tx } from '../../platform/database.ts';
import { requireConsumer, type RequestContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import type { RealtimeHub } from '../../platform/realtime.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { LedgerService } from '../ledger/service.ts';
import type { PinVerdict } from '../wallet/pin.ts';
import type { WalletService } from '../wallet/service.ts';
import { transition, type PayOrderRow } from './lifecycle.ts';
import { requirePayable, sheetOf } from './methods.ts';
import { completePayment, type PaySheet } from './pay.ts';
import './paycode-tables.ts';

/** A payment code is valid for 60 seconds. */
export const PAY_CODE_TTL_MS = 60_000;

/** `13` + 16 random digits (WeChat's payment codes are 18 digits starting 10–15). */
export const newPayCode = () => `13${Array.from({ length: 16 }, () => String(randomInt(0, 10))).join('')}`;

export type PayCodesService = ReturnType<typeof createPayCodesService>;

/**
 * The consumer's side of payment codes: showing a code (each new one invalidates the older unused
 * ones) and confirming or cancelling the payments above the no-PIN limit (USERPAYING orders).
 */
export function createPayCodesService(deps: { db: Db; hub: RealtimeHub; ledger: LedgerService; wallet: Pick<WalletService, 'checkPin' | 'precheckPin' | 'pinError'>; accounts: Pick<AccountsService, 'findById'> }) {
  const { db, hub, ledger, wallet, accounts } = deps;

  /** A USERPAYING-era order paid with one of this consumer's codes, locked; anyone else's: not found. */
  async function ownPending(tx: Tx, consumerId: string, orderId: string): Promise<PayOrderRow> {
    const code = await tx.selectFrom('pay_codes').select('consumer_id').where('order_id', '=', orderId).executeTakeFirst();
    if (code?.consumer_id !== consumerId) throw notFound('order');
    const order = await tx.selectFrom('pay_orders').selectAll().where('id', '=', orderId).forUpdate().executeTakeFirst();
    if (!order) throw notFound('order');
    return order;
  }

  return {
    async issue(ctx: RequestContext): Promise<{ code: string; expiresAt: Date }> {
      const consumerId = requireConsumer(ctx);
      return db.transaction().execute(async (tx) => {
        await tx.deleteFrom('pay_codes').where('consumer_id', '=', consumerId).where('used_at', 'is', null).execute();
        for (;;) {
          const expiresAt = new Date(Date.now() + PAY_CODE_TTL_MS);
          const row = await tx
            .insertInto('pay_codes')
            .values({ code: newPayCode(), consumer_id: consumerId, expires_at: expiresAt })
            .onConflict((oc) => oc.column('code').doNothing())
            .returning(['code', 'expires_at'])
            .executeTakeFirst();
          if (row) return { code: row.code, expiresAt: row.expires_at };
        }
      });
    },

    /** The consumer's payment-code orders waiting for their PIN (not yet expired), newest first. */
    async pending(ctx: RequestContext): Promise<(PaySheet & { orderId: string })[]> {
      const consumerId = requireConsumer(ctx);
      const rows = await db
        .selectFrom('pay_orders')
        .innerJoin('pay_codes', 'pay_codes.order_id', 'pay_orders.id')
        .selectAll('pay_orders')
        .where('pay_codes.consumer_id', '=', consumerId)
        .where('pay_orders.state', '=', 'USERPAYING')
        .where('pay_orders.expires_at', '>', new Date())
        .orderBy('pay_orders.created_at', 'desc')
        .limit(20)
        .execute();
      const names = new Map<string, string>();
      for (const r of rows) if (!names.has(r.account_id)) names.set(r.account_id, (await accounts.findById(r.account_id))?.name ?? '');
      return rows.map((r) => ({ ...sheetOf(r, names.get(r.account_id) ?? ''), orderId: r.id }));
    },

    /** Confirms a USERPAYING order with the PIN: one transaction, like paying a prepay (a wrong PIN commits its count). */
    async pay(ctx: RequestContext, orderId: string, pin: string): Promise<PayOrderRow> {
      const consumerId = requireConsumer(ctx);
      const pre = await wallet.precheckPin(consumerId, pin);
      const outcome = await db.transaction().execute(async (tx): Promise<{ paid: PayOrderRow } | { refused: Exclude<PinVerdict, { ok: true }> }> => {
        const order = await ownPending(tx, consumerId, orderId);
        requirePayable(order, 'USERPAYING');
        const verdict = await wallet.checkPin(tx, consumerId, pin, pre);
        if (!verdict.ok) return { refused: verdict };
        return { paid: await completePayment(tx, { hub, ledger }, order, consumerId, order.payer_openid ?? '') };
      });
      if ('refused' in outcome) throw wallet.pinError(outcome.refused);
      return outcome.paid;
    },

    /** The consumer declines a USERPAYING order: it becomes PAYERROR (the merchant sees it on orderquery). */
    async cancel(ctx: RequestContext, orderId: string): Promise<PayOrderRow> {
      const consumerId = requireConsumer(ctx);
      return db.transaction().execute(async (tx) => {
        const order = await ownPending(tx, consumerId, orderId);
        requirePayable(order, 'USERPAYING');
        return transition(tx, order, 'PAYERROR');
      });
    },
  };
}
