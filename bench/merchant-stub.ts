import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Content of a plain-mode XML element (CDATA or bare). */
const field = (xml: string, name: string) => new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(xml)?.slice(1).find((v) => v !== undefined);

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export interface BenchMerchant {
  url: string;
  /** performance.now() when each push (keyed by its Content) arrived. */
  arrivals: Map<string, number>;
  close(): Promise<void>;
}

/**
 * A merchant server as small as one can be: answers the echostr check and every text push with a
 * passive text reply `re: <content>` built as XML (plain mode; signatures are not checked).
 */
export async function startBenchMerchant(): Promise<BenchMerchant> {
  const arrivals = new Map<string, number>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    if (req.method === 'GET') {
      res.end(url.searchParams.get('echostr') ?? '');
      return;
    }
    void readBody(req).then((xml) => {
      const content = field(xml, 'Content');
      if (field(xml, 'MsgType') !== 'text' || content === undefined) {
        res.end('success');
        return;
      }
      arrivals.set(content, performance.now());
      const reply =
        `<xml><ToUserName><![CDATA[${field(xml, 'FromUserName') ?? ''}]]></ToUserName><FromUserName><![CDATA[${field(xml, 'ToUserName') ?? ''}]]></FromUserName>` +
        `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[re: ${content}]]></Content></xml>`;
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(reply);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
