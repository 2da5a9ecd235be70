import type { DbOrTx } from '../../platform/database.ts';
import '../payments/tables.ts';
import './tables.ts';

/** What one code brought: scans, follows made by a scan, and paid orders of the consumers who followed through it. */
export interface QrcodeCounts {
  scans: number;
  follows: number;
  paidOrders: number;
}

export const NO_COUNTS: QrcodeCounts = { scans: 0, follows: 0, paidOrders: 0 };

/**
 * Per-code counts of an account's codes. A read-only statistics query that reads, besides this module's
 * `qr_scans`, the payments module's `pay_orders` (read only; never written here):
 *  - scans: every scan of the code (`qr_scans`);
 *  - follows: scans that made the consumer a follower (`resulted_in_follow`, the follow history of the
 *    code: a scan by someone already following is a SCAN event, not a follow);
 *  - paidOrders: this account's orders in SUCCESS or REFUND (paid, maybe refunded since) whose payer
 *    followed through this code before paying. An order counts once per code.
 */
export async function qrcodeCounts(db: DbOrTx, accountId: string, tickets: readonly string[]): Promise<Map<string, QrcodeCounts>> {
  const out = new Map<string, QrcodeCounts>();
  if (tickets.length === 0) return out;
  const scans = await db
    .selectFrom('qr_scans')
    .select((eb) => ['ticket', eb.fn.countAll<bigint>().as('scans'), eb.fn.sum<bigint>(eb.case().when('resulted_in_follow', '=', true).then(1).else(0).end()).as('follows')])
    .where('account_id', '=', accountId)
    .where('ticket', 'in', [...tickets])
    .groupBy('ticket')
    .execute();
  const paid = await db
    .selectFrom('qr_scans as s')
    .innerJoin('pay_orders as o', (j) => j.onRef('o.account_id', '=', 's.account_id').onRef('o.consumer_id', '=', 's.consumer_id').onRef('o.success_time', '>=', 's.at'))
    .select((eb) => ['s.ticket', eb.fn.count<bigint>('o.id').distinct().as('n')])
    .where('s.account_id', '=', accountId)
    .where('s.ticket', 'in', [...tickets])
    .where('s.resulted_in_follow', '=', true)
    .where('o.state', 'in', ['SUCCESS', 'REFUND'])
    .groupBy('s.ticket')
    .execute();
  for (const r of scans) out.set(r.ticket, { scans: Number(r.scans), follows: Number(r.follows ?? 0), paidOrders: 0 });
  for (const r of paid) {
    const c = out.get(r.ticket);
    if (c) c.paidOrders = Number(r.n);
  }
  return out;
}
