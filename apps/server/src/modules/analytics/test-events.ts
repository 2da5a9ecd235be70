import { randomUUID } from 'node:crypto';
import type { TestEnv } from '../../testing/harness.ts';
import { randomString } from '../../platform/ids.ts';
import { OA_PUSH_KIND } from '../messaging/push.ts';
import { cstDayStart } from './range.ts';

/** Test support: raw event rows at chosen instants (the analytics read model's inputs), no 1M rows. */

const HOUR = 3600_000;
/** `hh` hours (and `ms` milliseconds) into CST day `day`. */
export const atCst = (day: number, hh: number, ms = 0) => new Date(cstDayStart(day).getTime() + hh * HOUR + ms);
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const openid = () => `o${randomUUID().replaceAll('-', '').slice(0, 27)}`;

export interface EventTarget {
  accountId: string;
  orgId: string;
  appid: string;
  mchId: string;
}

export function eventWriter(e: TestEnv, t: EventTarget) {
  const db = e.platform.handle.db;
  return {
    async follow(consumerId: string, kind: 'subscribe' | 'unsubscribe', at: Date, scene: string | null = 'ADD_SCENE_SEARCH') {
      await db.insertInto('follow_events').values({ account_id: t.accountId, consumer_id: consumerId, openid: openid(), kind, scene: kind === 'subscribe' ? scene : null, qr_scene: null, at }).execute();
    },
    async message(consumerId: string, type: string, at: Date) {
      await db.insertInto('messages').values({ account_id: t.accountId, consumer_id: consumerId, openid: openid(), direction: 'in', source: 'consumer', msg_type: type, content: JSON.stringify({ type }), created_at: at }).execute();
    },
    async tap(consumerId: string, event: string, key: string, at: Date) {
      await db.insertInto('messages').values({ account_id: t.accountId, consumer_id: consumerId, openid: openid(), direction: 'in', source: 'consumer', msg_type: 'event', content: JSON.stringify({ type: 'event', event, eventKey: key }), created_at: at }).execute();
    },
    async qrcode(scene: string, name: string | null): Promise<string> {
      const ticket = `gQ${randomString(20)}`;
      await db.insertInto('qrcodes').values({ ticket, account_id: t.accountId, permanent: true, scene_id: null, scene_str: scene, name, expires_at: null }).execute();
      return ticket;
    },
    async scan(ticket: string, consumerId: string, followed: boolean, at: Date) {
      await db.insertInto('qr_scans').values({ ticket, account_id: t.accountId, consumer_id: consumerId, resulted_in_follow: followed, at }).execute();
    },
    async order(consumerId: string | null, total: bigint, createdAt: Date, paidAt: Date | null): Promise<string> {
      const id = `ord_${randomString(16)}`;
      await db.insertInto('pay_orders').values({
        id, transaction_id: digits(28), mch_id: t.mchId, org_id: t.orgId, account_id: t.accountId, appid: t.appid, out_trade_no: `T${randomString(16)}`, description: 'x', total,
        trade_type: 'JSAPI', payer_openid: null, consumer_id: consumerId, notify_url: 'https://m.example/n', prepay_id: null, code_token: null, attach: null,
        state: paidAt ? 'SUCCESS' : 'NOTPAY', created_at: createdAt, success_time: paidAt, expires_at: new Date(createdAt.getTime() + 2 * HOUR), v2_sign_type: null, settled_at: null,
      }).execute();
      return id;
    },
    async refund(orderId: string, amount: bigint, at: Date) {
      await db.insertInto('pay_refunds').values({ id: `rf_${randomString(16)}`, refund_id: digits(29), mch_id: t.mchId, org_id: t.orgId, order_id: orderId, out_refund_no: `R${randomString(16)}`, reason: null, amount, status: 'SUCCESS', api: 'v3', notify_url: null, created_at: at, success_time: at }).execute();
    },
    async pushAttempt(outcome: 'success' | 'failure', latencyMs: number, at: Date) {
      const row = await db.insertInto('outbox').values({ kind: OA_PUSH_KIND, tenant_id: t.orgId, payload: JSON.stringify({ accountId: t.accountId }), status: 'done' }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('delivery_attempts').values({ outbox_id: row.id, tenant_id: t.orgId, kind: OA_PUSH_KIND, attempt: 1, request: JSON.stringify({}), response_status: outcome === 'success' ? 200 : 500, response_body: '', latency_ms: latencyMs, outcome, error: null, created_at: at }).execute();
    },
  };
}
export type EventWriter = ReturnType<typeof eventWriter>;
