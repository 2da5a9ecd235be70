import type { BadgeTone } from '../../kit/index.ts';
import { defineStrings } from '../../lib/i18n.ts';
import type { PayState } from './api.ts';

/** Order and refund state names and badge colours, shared by the Pay pages. */
export const stateStrings = defineStrings({
  en: { NOTPAY: 'Unpaid', USERPAYING: 'Paying', SUCCESS: 'Paid', REFUND: 'Refunded', CLOSED: 'Closed', PAYERROR: 'Failed', REVOKED: 'Revoked', PROCESSING: 'Processing', ABNORMAL: 'Abnormal' },
  zh: { NOTPAY: '未支付', USERPAYING: '支付中', SUCCESS: '已支付', REFUND: '转入退款', CLOSED: '已关闭', PAYERROR: '支付失败', REVOKED: '已撤销', PROCESSING: '退款中', ABNORMAL: '退款异常' },
});

export const stateTone = (s: PayState | 'PROCESSING' | 'ABNORMAL'): BadgeTone =>
  s === 'SUCCESS' ? 'success' : s === 'REFUND' || s === 'PROCESSING' || s === 'USERPAYING' ? 'info' : s === 'NOTPAY' ? 'warning' : s === 'PAYERROR' || s === 'ABNORMAL' ? 'danger' : 'neutral';
