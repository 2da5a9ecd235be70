import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookStub {
  url: string;
  got: ReceivedWebhook[];
  /** The HTTP status the stub answers with (change it to take the endpoint "down"). */
  status: number;
  close(): Promise<void>;
}

/** A merchant's webhook receiver for tests: records every POST with its exact body and answers `status`. */
export async function startWebhookStub(status = 200): Promise<WebhookStub> {
  const stub: WebhookStub = { url: '', got: [], status, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      stub.got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(stub.status, { 'content-type': 'text/plain' }).end(stub.status < 300 ? 'ok' : 'down');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  stub.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return stub;
}
