import { defineStrings } from '../../lib/i18n.ts';

/** People's names of the outbox kinds in the delivery log. */
export const kindStrings = defineStrings({
  en: {
    'pay.notify.v3': 'Pay notification (v3)', 'pay.notify.v2': 'Pay notification (v2)', 'refund.notify.v3': 'Refund notification (v3)', 'refund.notify.v2': 'Refund notification (v2)',
    'pay.webhook': 'Webhook event (fan-out)', 'pay.webhook.delivery': 'Webhook delivery', 'oa.push': 'Message push to callback URL', 'refund.complete': 'Refund completion (internal)', 'mass.job': 'Broadcast job (internal)',
  },
  zh: {
    'pay.notify.v3': '支付通知（v3）', 'pay.notify.v2': '支付通知（v2）', 'refund.notify.v3': '退款通知（v3）', 'refund.notify.v2': '退款通知（v2）',
    'pay.webhook': 'Webhook 事件（分发）', 'pay.webhook.delivery': 'Webhook 投递', 'oa.push': '推送到回调 URL 的消息', 'refund.complete': '退款完成（内部）', 'mass.job': '群发任务（内部）',
  },
});
