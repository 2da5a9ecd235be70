import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { TestEnv } from './harness.ts';
import type { TestPayMerchant } from './pay.ts';

/** The `tenpay` npm package (a Pay v2 SDK) pointed at a test platform, and a v2 notify receiver built on it. */

const require = createRequire(import.meta.url);

export type TenpayParams = Record<string, string | number>;
export type TenpayAnswer = Record<string, string | undefined>;
interface KoaLike {
  request: { body: string; weixin?: Record<string, unknown> };
  type?: string;
  body?: string;
  reply?: (msg?: string) => void;
}
export interface TenpayClient {
  urls: Record<string, string>;
  unifiedOrder(p: TenpayParams): Promise<TenpayAnswer>;
  orderQuery(p: TenpayParams): Promise<TenpayAnswer>;
  closeOrder(p: TenpayParams): Promise<TenpayAnswer>;
  micropay(p: TenpayParams): Promise<TenpayAnswer>;
  reverse(p: TenpayParams): Promise<TenpayAnswer>;
  refund(p: TenpayParams): Promise<TenpayAnswer>;
  refundQuery(p: TenpayParams): Promise<TenpayAnswer>;
  downloadBill(p: TenpayParams): Promise<string>;
  getPayParamsByPrepay(p: { prepay_id: string }, signType?: string): Record<string, string>;
  middleware(type?: string): (ctx: KoaLike, next: () => Promise<void>) => Promise<void>;
  _getSign(params: Record<string, string>, type?: string): string;
}
type TenpayCtor = new (cfg: { appid: string; mchid: string; partnerKey: string; notify_url?: string }) => TenpayClient;
const Tenpay = require('tenpay') as TenpayCtor;

const PATHS: Record<string, string> = {
  micropay: '/pay/micropay',
  reverse: '/secapi/pay/reverse',
  unifiedorder: '/pay/unifiedorder',
  orderquery: '/pay/orderquery',
  closeorder: '/pay/closeorder',
  refund: '/secapi/pay/refund',
  refundquery: '/pay/refundquery',
  downloadbill: '/pay/downloadbill',
};

/** A tenpay client for the merchant, its URLs rewritten to the test platform (tenpay has no base-URL option). */
export function tenpayFor(e: TestEnv, m: Pick<TestPayMerchant, 'appidOk' | 'mchId' | 'apiV2Key'>, over: { appid?: string; partnerKey?: string } = {}): TenpayClient {
  const pay = new Tenpay({ appid: over.appid ?? m.appidOk, mchid: m.mchId, partnerKey: over.partnerKey ?? m.apiV2Key });
  for (const [name, path] of Object.entries(PATHS)) pay.urls[name] = `${e.baseUrl}${path}`;
  return pay;
}

/** The err_code (or return_msg) tenpay throws with. */
export const tenpayError = (p: Promise<unknown>) => p.then(() => 'no error', (err: unknown) => (err instanceof Error ? err.message : String(err)));

export interface NotifyReceiver {
  url: string;
  /** Every notification body received, with whether tenpay's middleware accepted it (appid, mch_id, sign). */
  got: { body: string; contentType: string | undefined; verified?: Record<string, unknown>; refusal?: string }[];
  /** How many of the next notifications to refuse with return_code FAIL. */
  refuseNext: number;
  close(): Promise<void>;
}

/** A merchant notify_url that checks each v2 notification with tenpay's own Koa middleware, as a merchant would. */
export async function startNotifyReceiver(pay: TenpayClient, type: 'pay' | 'refund' = 'pay'): Promise<NotifyReceiver> {
  const rx: NotifyReceiver = { url: '', got: [], refuseNext: 0, close: async () => {} };
  const mw = pay.middleware(type);
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const ctx: KoaLike = { request: { body } };
      const entry: NotifyReceiver['got'][number] = { body, contentType: req.headers['content-type'] };
      rx.got.push(entry);
      void mw(ctx, async () => {
        entry.verified = ctx.request.weixin;
        if (rx.refuseNext > 0) {
          rx.refuseNext -= 1;
          ctx.reply?.('busy, try later');
        } else ctx.reply?.();
      }).then(() => {
        if (!entry.verified) entry.refusal = ctx.body;
        res.writeHead(200, { 'content-type': 'application/xml' }).end(ctx.body ?? '');
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  rx.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wxpay/notify`;
  rx.close = () => new Promise<void>((r) => server.close(() => r()));
  return rx;
}
