import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Stop reading the answer past this many bytes (the rest is dropped). */
  maxResponseBytes?: number;
}

export interface HttpResponse {
  status: number;
  body: string;
}

export class HttpTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms / 1000} s`);
    this.name = 'TimeoutError';
  }
}

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16 }),
};

/**
 * Calls out to a merchant server: node:http with keep-alive connections (cheaper than fetch per
 * call), one overall timeout covering connect, send and the whole answer, no redirects followed.
 */
export function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.url);
  const lib = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!lib) return Promise.reject(new Error(`unsupported protocol ${url.protocol}`));
  const max = req.maxResponseBytes ?? 1024 * 1024;
  const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
  return new Promise<HttpResponse>((resolve, reject) => {
    const r = lib.request(
      url,
      {
        method: req.method,
        agent: agents[url.protocol as 'http:' | 'https:'],
        headers: { ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < max) chunks.push(c.subarray(0, max - size));
          size += c.length;
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
      },
    );
    const timer = setTimeout(() => r.destroy(new HttpTimeoutError(req.timeoutMs)), req.timeoutMs);
    r.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    r.end(body);
  });
}

export type HttpClient = typeof httpRequest;
