import { ApiError, call } from '../lib/api.ts';

/** The consumer's side of Pay: the wallet (balance, cards, transfers, history, PIN) and paying orders. */

export interface Wallet {
  balance: number;
  currency: 'CNY';
  pinSet: boolean;
  pinLockedUntil: string | null;
}

export interface Card {
  id: string;
  bank: string;
  last4: string;
  createdAt: string;
}

export interface Transfer {
  id: string;
  direction: 'topup' | 'withdraw';
  cardId: string;
  amount: number;
  balance: number;
  createdAt: string;
}

/** One wallet movement: `amount` is signed fen (+ in, − out). */
export interface Receipt {
  id: string;
  kind: string;
  amount: number;
  counterparty: string;
  reference: string;
  createdAt: string;
}

export type PayState = 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'CLOSED' | 'PAYERROR' | 'REFUND' | 'REVOKED';

/** What the pay sheet shows; the consumer pays `total − insuredTotal` (fen). */
export interface Sheet {
  prepayId?: string;
  accountName: string;
  description: string;
  total: number;
  insuredTotal: number;
  currency: string;
  state: PayState;
  expiresAt: string;
  tradeType?: string;
  orderId?: string;
}

export interface Paid {
  state: PayState;
  transactionId: string;
  total: number;
  successTime: string | null;
}

/** The JSAPI parameters a merchant page hands to `chooseWXPay` / `getBrandWCPayRequest`. */
export interface JsapiParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}

export interface PayCode {
  code: string;
  expiresAt: string;
}

const enc = encodeURIComponent;
/** A fresh key per user action: a retried request (same key) is not a second transfer. */
const idempotencyKey = () => (typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

async function transfer(path: string, body: { cardId: string; amount: number }): Promise<Transfer> {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': 'application/json', 'idempotency-key': idempotencyKey() },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText, err?.details);
  }
  return json as Transfer;
}

export const payApi = {
  wallet: () => call<Wallet>('GET', '/api/v1/wallet'),
  cards: () => call<Card[]>('GET', '/api/v1/wallet/cards'),
  addCard: (b: { number: string; bank: string }) => call<Card>('POST', '/api/v1/wallet/cards', b),
  topUp: (b: { cardId: string; amount: number }) => transfer('/api/v1/wallet/topups', b),
  withdraw: (b: { cardId: string; amount: number }) => transfer('/api/v1/wallet/withdrawals', b),
  history: (before?: string) => call<Receipt[]>('GET', `/api/v1/wallet/transactions?limit=30${before ? `&before=${enc(before)}` : ''}`),
  setPin: (b: { pin: string; currentPin?: string }) => call<{ ok: true }>('PUT', '/api/v1/wallet/pin', b),

  prepaySheet: (prepayId: string) => call<Sheet>('GET', `/api/v1/pay/prepay/${enc(prepayId)}`),
  payPrepay: (prepayId: string, pin: string) => call<Paid>('POST', `/api/v1/pay/prepay/${enc(prepayId)}/pay`, { pin }),
  /** Verifies a page's signed JSAPI parameters; answers the order's sheet. */
  jsapi: (p: JsapiParams) => call<Sheet>('POST', '/api/v1/pay/jsapi', p),

  codeSheet: (token: string) => call<Sheet>('GET', `/api/v1/pay/code/${enc(token)}`),
  payCode: (token: string, pin: string) => call<Paid>('POST', `/api/v1/pay/code/${enc(token)}/pay`, { pin }),

  newPayCode: () => call<PayCode>('POST', '/api/v1/pay/codes'),
  pending: () => call<Sheet[]>('GET', '/api/v1/pay/pending'),
  payPending: (orderId: string, pin: string) => call<Paid>('POST', `/api/v1/pay/pending/${enc(orderId)}/pay`, { pin }),
  cancelPending: (orderId: string) => call<unknown>('POST', `/api/v1/pay/pending/${enc(orderId)}/cancel`),
};

/** `¥12.34` from fen (integers only; never floats on money). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Fen from what a person typed as yuan (`12`, `12.3`, `12.34`); undefined if it is not an amount. */
export function fenOf(text: string): number | undefined {
  const m = /^\s*(\d{1,7})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return undefined;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? fen : undefined;
}

/** The typed reason of a refused pay call (`details.reason`), e.g. PIN_WRONG, NOT_ENOUGH, ORDERPAID. */
export function reasonOf(e: unknown): { reason: string; triesLeft?: number; unlockAt?: string } | undefined {
  if (!(e instanceof ApiError)) return undefined;
  const d = (e.details ?? {}) as { reason?: unknown; triesLeft?: unknown; unlockAt?: unknown };
  const reason = typeof d.reason === 'string' ? d.reason : e.code;
  return {
    reason,
    ...(typeof d.triesLeft === 'number' ? { triesLeft: d.triesLeft } : {}),
    ...(typeof d.unlockAt === 'string' ? { unlockAt: d.unlockAt } : {}),
  };
}
