import type { Selectable, Updateable } from 'kysely';
import type { Tx } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { PayOrdersTable, PayState } from './tables.ts';
import './tables.ts';

export type PayOrderRow = Selectable<PayOrdersTable>;

/**
 * The only state changes an order may make. REFUND is reached by a (partial) refund of a paid order.
 * SUCCESS → REVOKED is for payment-code (MICROPAY) orders only: `micropay.reverse` gives the money back
 * (it enforces the trade type; nothing else may make this change).
 */
export const TRANSITIONS: Readonly<Record<PayState, readonly PayState[]>> = {
  NOTPAY: ['SUCCESS', 'CLOSED', 'PAYERROR', 'USERPAYING'],
  USERPAYING: ['SUCCESS', 'PAYERROR', 'REVOKED'],
  SUCCESS: ['REFUND', 'REVOKED'],
  REFUND: [],
  CLOSED: [],
  PAYERROR: [],
  REVOKED: [],
};

export const TRADE_STATE_DESC: Readonly<Record<PayState, string>> = {
  NOTPAY: '未支付',
  USERPAYING: '用户支付中（付款码支付）',
  SUCCESS: '支付成功',
  CLOSED: '已关闭',
  PAYERROR: '支付失败',
  REFUND: '转入退款',
  REVOKED: '已撤销（付款码支付）',
};

export const canTransition = (from: PayState, to: PayState) => TRANSITIONS[from].includes(to);

/**
 * Moves an order to `to` inside the caller's transaction, refusing any change the table does not allow.
 * The update is conditional on the state the caller read, so a concurrent change is a conflict, not a lost update.
 */
export async function transition(tx: Tx, order: PayOrderRow, to: PayState, set: Omit<Updateable<PayOrdersTable>, 'state' | 'id'> = {}): Promise<PayOrderRow> {
  if (!canTransition(order.state, to)) {
    throw new AppError('failed_precondition', `an order in state ${order.state} cannot become ${to}`, { details: { reason: 'BAD_TRANSITION', from: order.state, to } });
  }
  const row = await tx.updateTable('pay_orders').set({ ...set, state: to }).where('id', '=', order.id).where('state', '=', order.state).returningAll().executeTakeFirst();
  if (!row) throw new AppError('conflict', 'the order changed concurrently', { details: { reason: 'CONCURRENT_CHANGE' } });
  return row;
}
