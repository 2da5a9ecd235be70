import type { Db } from '../../platform/database.ts';
import { httpRequest, type HttpClient } from '../../platform/http-client.ts';
import { enqueue, type DeliveryOutcome, type OutboxHandler, type OutboxRow } from '../../platform/outbox.ts';
import { presentRefund, type OrderView } from '../merchantapi/present.ts';
import type { PayOrderRow } from '../payments/lifecycle.ts';
import { PAY_NOTIFY_SCHEDULE } from '../payments/notify.ts';
import { PAY_WEBHOOK } from '../payments/pay.ts';
import '../payments/tables.ts';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook } from './signing.ts';
import { WEBHOOK_EVENTS, type WebhookEvent, type WebhooksService } from './service.ts';

/** One event to one endpoint: delivered and retried on its own, so one endpoint's failure never re-sends to another. */
export const WEBHOOK_DELIVERY = 'pay.webhook.delivery';
const DELIVERY_TIMEOUT_MS = 10_000;

interface EventPayload {
  orderId: string;
  notificationId: string;
  event?: WebhookEvent;
  refundId?: string;
}

interface DeliveryPayload {
  endpointId: string;
  eventId: string;
  type: WebhookEvent;
  /** The event JSON, fixed when the event fanned out, so every endpoint and every retry get the same bytes. */
  body: string;
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function eventPayload(p: unknown): EventPayload | undefined {
  if (typeof p !== 'object' || p === null) return undefined;
  const o = p as Record<string, unknown>;
  if (!str(o.orderId) || !str(o.notificationId)) return undefined;
  const event = o.event ?? 'payment.succeeded';
  if (!(WEBHOOK_EVENTS as readonly unknown[]).includes(event)) return undefined;
  if (event === 'refund.succeeded' && !str(o.refundId)) return undefined;
  return { orderId: o.orderId, notificationId: o.notificationId, event: event as WebhookEvent, ...(str(o.refundId) ? { refundId: o.refundId } : {}) };
}

function deliveryPayload(p: unknown): DeliveryPayload | undefined {
  if (typeof p !== 'object' || p === null) return undefined;
  const o = p as Record<string, unknown>;
  return str(o.endpointId) && str(o.eventId) && str(o.body) && (WEBHOOK_EVENTS as readonly unknown[]).includes(o.type)
    ? { endpointId: o.endpointId, eventId: o.eventId, type: o.type as WebhookEvent, body: o.body }
    : undefined;
}

interface Deps {
  db: Db;
  webhooks: Pick<WebhooksService, 'subscribers' | 'endpoint'>;
  /** The order as our JSON API shows it (merchantPay.present). */
  presentOrder: (o: PayOrderRow) => OrderView;
  http?: HttpClient;
}

/**
 * `pay.webhook` (written by completePayment and the refunds module for orders of our JSON API): builds
 * the event `{id, type, createdAt, data: {order, refund?}}` and, in the transaction that marks the row
 * done, enqueues one `pay.webhook.delivery` row per enabled endpoint of the org subscribed to the type.
 */
export function createWebhookFanoutHandler(deps: Deps): OutboxHandler {
  return {
    kind: PAY_WEBHOOK,
    schedule: PAY_NOTIFY_SCHEDULE,
    async deliver(row: OutboxRow): Promise<DeliveryOutcome> {
      const request = { method: 'FANOUT', url: `webhooks:${row.tenantId ?? ''}` };
      const p = eventPayload(row.payload);
      if (!p) return { ok: false, request, error: 'bad payload', retryable: false };
      const order = await deps.db.selectFrom('pay_orders').selectAll().where('id', '=', p.orderId).executeTakeFirst();
      if (!order) return { ok: false, request, error: 'order gone', retryable: false };
      const type = p.event ?? 'payment.succeeded';
      let data: Record<string, unknown> = { order: deps.presentOrder(order) };
      let createdAt = order.success_time ?? order.created_at;
      if (type === 'refund.succeeded') {
        const refund = await deps.db.selectFrom('pay_refunds').selectAll().where('id', '=', p.refundId ?? '').where('order_id', '=', order.id).executeTakeFirst();
        if (!refund) return { ok: false, request, error: 'refund gone', retryable: false };
        data = { ...data, refund: presentRefund(refund, order.out_trade_no) };
        createdAt = refund.success_time ?? refund.created_at;
      }
      const body = JSON.stringify({ id: p.notificationId, type, createdAt: createdAt.toISOString(), data });
      return {
        ok: true,
        request: { ...request, body },
        onSuccess: async (tx) => {
          for (const endpoint of await deps.webhooks.subscribers(tx, order.org_id, type)) {
            const payload: DeliveryPayload = { endpointId: endpoint.id, eventId: p.notificationId, type, body };
            await enqueue(tx, { kind: WEBHOOK_DELIVERY, tenantId: order.org_id, payload, dedupeKey: `${WEBHOOK_DELIVERY}:${p.notificationId}:${endpoint.id}` });
          }
        },
      };
    },
  };
}

/** `pay.webhook.delivery`: POSTs one event to one endpoint, signed with its current secret; any 2xx is success. */
export function createWebhookDeliveryHandler(deps: Deps): OutboxHandler {
  const send = deps.http ?? httpRequest;
  return {
    kind: WEBHOOK_DELIVERY,
    schedule: PAY_NOTIFY_SCHEDULE,
    async deliver(row: OutboxRow): Promise<DeliveryOutcome> {
      const p = deliveryPayload(row.payload);
      if (!p) return { ok: false, request: { method: 'POST', url: '' }, error: 'bad payload', retryable: false };
      const endpoint = await deps.webhooks.endpoint(deps.db, p.endpointId);
      if (!endpoint || endpoint.org_id !== row.tenantId) return { ok: false, request: { method: 'POST', url: '' }, error: 'endpoint deleted', retryable: false };
      if (!endpoint.enabled) return { ok: false, request: { method: 'POST', url: endpoint.url }, error: 'endpoint disabled', retryable: false };
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Lianjie-Webhooks/1.0',
        [SIGNATURE_HEADER]: signWebhook(endpoint.secret, p.body),
        [EVENT_ID_HEADER]: p.eventId,
        'lianjie-event-type': p.type,
      };
      const request = { method: 'POST', url: endpoint.url, headers, body: p.body };
      try {
        const res = await send({ method: 'POST', url: endpoint.url, headers, body: p.body, timeoutMs: DELIVERY_TIMEOUT_MS, maxResponseBytes: 64 * 1024 });
        const ok = res.status >= 200 && res.status < 300;
        return { ok, request, responseStatus: res.status, responseBody: res.body, ...(ok ? {} : { error: `HTTP ${res.status}` }) };
      } catch (err) {
        return { ok: false, request, error: err instanceof Error ? err.message : String(err) };
      }
    },
  };
}
