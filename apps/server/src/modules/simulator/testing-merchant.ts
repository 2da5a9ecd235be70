// Test helper: the sample merchant (examples/echo-merchant, built on the community `wechat`
// middleware) on a loopback port, recording what it received and able to fail on purpose.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEchoMerchant, type MerchantConfig } from '../../../../../examples/echo-merchant/server.ts';

export interface ReceivedByMerchant {
  query: Record<string, string>;
  /** The message as the middleware parsed it (undefined for pushes answered with a failure). */
  message: Record<string, unknown> | undefined;
  status: number;
}

export interface WechatMerchant {
  url: string;
  received: ReceivedByMerchant[];
  /** Answer the next N pushes with HTTP 500 before the middleware sees them. */
  failNext: number;
  /** Answer every push with HTTP 500. */
  failAll: boolean;
  close(): Promise<void>;
}

export async function startWechatMerchant(config: MerchantConfig): Promise<WechatMerchant> {
  const handle = createEchoMerchant(config);
  const merchant: WechatMerchant = { url: '', received: [], failNext: 0, failAll: false, close: async () => {} };
  const server = createServer((req, res) => {
    const query = Object.fromEntries(new URL(req.url ?? '/', 'http://merchant').searchParams);
    if (req.method === 'POST' && (merchant.failAll || merchant.failNext > 0)) {
      merchant.failNext = Math.max(0, merchant.failNext - 1);
      req.resume();
      req.on('end', () => {
        merchant.received.push({ query, message: undefined, status: 500 });
        res.writeHead(500).end('temporarily broken');
      });
      return;
    }
    res.on('finish', () => {
      const message = (req as { weixin?: Record<string, unknown> }).weixin;
      if (req.method === 'POST') merchant.received.push({ query, message, status: res.statusCode });
    });
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  merchant.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat`;
  merchant.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return merchant;
}
