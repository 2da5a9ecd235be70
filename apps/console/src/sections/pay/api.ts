import { api, ApiError, enc } from '../../lib/api.ts';

/** Typed calls of the Pay pages (our merchant JSON API, session cookie). Money is integer fen. */

export type PayState = 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'CLOSED' | 'PAYERROR' | 'REFUND' | 'REVOKED';
export const PAY_STATES: readonly PayState[] = ['NOTPAY', 'USERPAYING', 'SUCCESS', 'REFUND', 'CLOSED', 'PAYERROR', 'REVOKED'];

export interface Order {
  id: string;
  transactionId: string;
  outTradeNo: string;
  appid: string;
  method: 'jsapi' | 'native' | 'h5' | 'micropay';
  state: PayState;
  description: string;
  amount: number;
  insuredAmount: number;
  refundedAmount: number;
  currency: string;
  payerOpenid: string | null;
  attach: string | null;
  createdAt: string;
  successTime: string | null;
  expiresAt: string;
}

export interface Refund {
  id: string;
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  status: 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
  amount: number;
  insuredAmount: number;
  reason: string | null;
  createdAt: string;
  successTime: string | null;
}

export interface Movement {
  transactionId: string;
  kind: string;
  reference: string;
  createdAt: string;
  entries: { account: string; own: boolean; amount: number }[];
}

export interface Attempt {
  id: string;
  outboxId: string;
  kind: string;
  attempt: number;
  method: string;
  url: string;
  request: { headers?: Record<string, string>; body?: string };
  responseStatus: number | null;
  responseBody: string | null;
  latencyMs: number;
  outcome: 'success' | 'failure';
  error: string | null;
  createdAt: string;
  queue: 'pending' | 'done' | 'dead';
  resendable: boolean;
  resentFrom: string | null;
}

export interface Balance {
  pending: number;
  available: number;
  fees: number;
  currency: 'CNY';
}

export interface Settlement {
  date: string;
  orders: { transactionId: string; outTradeNo: string; total: number; refunded: number; amount: number; fee: number; net: number; settledAt: string }[];
  amount: number;
  fee: number;
  net: number;
}

export interface PayoutAccount {
  id: string;
  bankName: string;
  last4: string;
  createdAt: string;
}

export interface Payout {
  id: string;
  accountId: string;
  amount: number;
  status: 'paid';
  createdAt: string;
}

export interface PlatformKey {
  serial: string;
  publicKeyId: string;
  certificate: string;
  notBefore: string;
  notAfter: string;
}

export interface PayAccount {
  mchId: string;
  appid: string;
  merchantCertSerial: string;
  verifyMode: 'certificate' | 'public_key';
  platformKeys: PlatformKey[];
}

export interface PayCredentials extends PayAccount {
  apiV2Key: string;
  apiV3Key: string;
  merchantPrivateKey: string;
  merchantCertificate: string;
}

export interface OrderQuery {
  state?: PayState | undefined;
  from?: string | undefined;
  to?: string | undefined;
  cursor?: string | undefined;
}

/** A CST day `YYYY-MM-DD` → its start as an ISO instant (+08:00). */
const cstStart = (day: string) => `${day}T00:00:00+08:00`;
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export const payApi = {
  orders(q: OrderQuery) {
    const p = new URLSearchParams({ limit: '20' });
    if (q.state) p.set('state', q.state);
    if (q.from) p.set('from', cstStart(q.from));
    if (q.to) p.set('to', cstStart(nextDay(q.to)));
    if (q.cursor) p.set('cursor', q.cursor);
    return api.get<{ orders: Order[]; nextCursor: string | null }>(`/api/v1/merchant/pay/orders?${p}`);
  },
  lookup: (q: string) => api.get<Order>(`/api/v1/merchant/pay/order-lookup?q=${enc(q)}`),
  order: (no: string) => api.get<Order>(`/api/v1/merchant/pay/orders/${enc(no)}`),
  refunds: (no: string) => api.get<Refund[]>(`/api/v1/merchant/pay/orders/${enc(no)}/refunds`),
  ledger: (no: string) => api.get<Movement[]>(`/api/v1/merchant/pay/orders/${enc(no)}/ledger`),
  notifications: (no: string) => api.get<Attempt[]>(`/api/v1/merchant/pay/orders/${enc(no)}/notifications`),
  balance: () => api.get<Balance>('/api/v1/merchant/pay/balance'),
  settlement: (date: string) => api.get<Settlement>(`/api/v1/merchant/pay/settlements?date=${enc(date)}`),
  payoutAccounts: () => api.get<PayoutAccount[]>('/api/v1/merchant/pay/payout-accounts'),
  addPayoutAccount: (b: { bankName: string; accountNumber: string }) => api.post<PayoutAccount>('/api/v1/merchant/pay/payout-accounts', b),
  payouts: () => api.get<Payout[]>('/api/v1/merchant/pay/payouts?limit=50'),
  account: () => api.get<PayAccount>('/api/v1/merchant/pay/account'),
  openAccount: (appid?: string) => api.post<PayCredentials>('/api/v1/merchant/pay/account', appid ? { appid } : {}),
  rotate: () => api.post<PayAccount>('/api/v1/merchant/pay/account/platform-keys/rotate'),
  retireOld: () => api.post<PayAccount>('/api/v1/merchant/pay/account/platform-keys/retire-old'),
  verifyMode: (mode: PayAccount['verifyMode']) => api.put<PayAccount>('/api/v1/merchant/pay/account/verify-mode', { mode }),
  resetKey: (which: 'v2' | 'v3') => api.post<{ key: string }>('/api/v1/merchant/pay/account/api-keys/reset', { which }),
  uploadMerchantKey: (b: { certificate?: string; publicKey?: string; serial?: string }) => api.put<PayAccount>('/api/v1/merchant/pay/account/merchant-key', b),
};

/** A POST with an Idempotency-Key header (refunds, payouts): a retry of the same dialog is answered once. */
export async function postIdempotent<T>(path: string, key: string, body: unknown): Promise<T> {
  const res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json', 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; details?: { reason?: string } } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText, err?.details);
  }
  return json as T;
}

export const refundOrder = (outTradeNo: string, key: string, b: { outRefundNo: string; amount: number; reason?: string }) =>
  postIdempotent<Refund>(`/api/v1/merchant/pay/orders/${enc(outTradeNo)}/refunds`, key, b);
export const requestPayout = (key: string, b: { accountId: string; amount: number }) => postIdempotent<Payout>('/api/v1/merchant/pay/payouts', key, b);

/** Fen → "¥12.34". */
export const yuan = (fen: number) => `${fen < 0 ? '−' : ''}¥${(Math.abs(fen) / 100).toFixed(2)}`;
/** "12.34" → 1234 fen; undefined when not a positive amount with at most 2 decimals. */
export function parseYuan(s: string): number | undefined {
  const m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(s);
  if (!m) return undefined;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? fen : undefined;
}
export const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** A random id for an out_refund_no / Idempotency-Key. */
export const randomKey = (prefix: string) => `${prefix}${Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => (b % 36).toString(36)).join('')}`;

/** Saves text as a file in the browser. */
export function download(filename: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
