import { z } from 'zod';

/** Zod schemas of the merchant pay API (the source of its OpenAPI). */
export const PayState = z.enum(['NOTPAY', 'USERPAYING', 'SUCCESS', 'CLOSED', 'PAYERROR', 'REFUND', 'REVOKED']);
const OutNo = (max: number) => z.string().regex(new RegExp(`^[A-Za-z0-9_\\-|*@]{6,${max}}$`), `6–${max} letters, digits or _-|*@`);
export const OutTradeNo = OutNo(32);
export const OutRefundNo = OutNo(64);
const Fen = z.number().int().min(1).max(1_000_000_000);

export const CreateOrderBody = z
  .object({
    appid: z.string().regex(/^wx[0-9a-f]{16}$/).optional().describe("default: the appid of the org's pay account"),
    outTradeNo: OutTradeNo,
    description: z.string().min(1).max(127),
    amount: Fen.describe('fen'),
    method: z.enum(['jsapi', 'native', 'h5']),
    payerOpenid: z.string().min(1).max(128).optional().describe('jsapi: the payer (an openid of the appid)'),
    attach: z.string().max(128).optional(),
    insurance: z.object({ amount: Fen.describe('fen the payer’s insurance pays; less than amount') }).optional().describe('jsapi only; the payer needs a bound insurance card (412 NO_INSURANCE_CARD)'),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('default: 2 hours after creation'),
  })
  .superRefine((b, ctx) => {
    if (b.method === 'jsapi' && !b.payerOpenid) ctx.addIssue({ code: 'custom', path: ['payerOpenid'], message: 'required for jsapi' });
    if (b.insurance && b.insurance.amount >= b.amount) ctx.addIssue({ code: 'custom', path: ['insurance', 'amount'], message: 'must be less than amount' });
  });

export const Order = z.object({
  id: z.string(),
  transactionId: z.string(),
  outTradeNo: z.string(),
  appid: z.string(),
  method: z.enum(['jsapi', 'native', 'h5', 'micropay']),
  state: PayState,
  description: z.string(),
  amount: z.number().int().describe('fen'),
  insuredAmount: z.number().int().describe('fen paid by the payer’s insurance; the payer pays amount − insuredAmount'),
  refundedAmount: z.number().int().describe('fen'),
  currency: z.string(),
  payerOpenid: z.string().nullable(),
  attach: z.string().nullable(),
  prepayId: z.string().optional().describe('jsapi: what the page passes to the pay sheet'),
  codeUrl: z.string().optional().describe('native: the QR code content'),
  h5Url: z.string().optional().describe('h5: the page to send the payer to'),
  createdAt: z.string(),
  successTime: z.string().nullable(),
  expiresAt: z.string(),
});

export const Refund = z.object({
  id: z.string(),
  refundId: z.string(),
  outRefundNo: z.string(),
  outTradeNo: z.string(),
  status: z.enum(['PROCESSING', 'SUCCESS', 'CLOSED', 'ABNORMAL']),
  amount: z.number().int().describe('fen'),
  insuredAmount: z.number().int().describe('fen going back to the insurance fund'),
  reason: z.string().nullable(),
  createdAt: z.string(),
  successTime: z.string().nullable(),
});

export const RefundBody = z.object({ outRefundNo: OutRefundNo, amount: Fen.describe('fen'), reason: z.string().min(1).max(80).optional() });

export const ListQuery = z.object({
  state: PayState.optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('created at or after'),
  to: z.iso.datetime({ offset: true }).optional().describe('created before'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(64).optional().describe('nextCursor of the previous page'),
});

export const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(255).optional() }).loose();
