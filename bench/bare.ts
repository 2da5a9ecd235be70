import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { closedLoop, httpClient, type RunResult } from './load.ts';
import { startBenchMerchant } from './merchant-stub.ts';
import { httpRequest } from '../apps/server/src/platform/http-client.ts';

/** One measured run: `requests` operations with `concurrency` lanes. */
export interface RunSpec {
  requests: number;
  concurrency: number;
}

export interface BareOptions {
  warmup: number;
  runs: readonly RunSpec[];
}

const maxLanes = (runs: readonly RunSpec[]) => Math.max(1, ...runs.map((r) => r.concurrency));

async function measure(url: string, opts: BareOptions, check: (sent: string, status: number, body: string) => boolean): Promise<RunResult[]> {
  const client = httpClient(maxLanes(opts.runs));
  const op = (phase: string) => async (lane: number, seq: number) => {
    const body = JSON.stringify({ type: 'text', content: `${phase} ${lane} ${seq}` });
    const t0 = performance.now();
    const res = await client.post(url, body);
    const ms = performance.now() - t0;
    if (!check(body, res.status, res.body)) throw new Error(`${url} answered ${res.status} ${res.body}`);
    return ms;
  };
  try {
    await closedLoop(opts.warmup, maxLanes(opts.runs), op('warm'));
    const results: RunResult[] = [];
    for (const [i, run] of opts.runs.entries()) results.push(await closedLoop(run.requests, run.concurrency, op(`bench${i}`)));
    return results;
  } finally {
    client.close();
  }
}

/** The baseline of the issue: a bare Fastify route that answers a JSON POST with the same JSON. */
export async function runBareEcho(opts: BareOptions): Promise<RunResult[]> {
  const app = Fastify({ logger: false });
  app.post('/echo', async (req) => req.body);
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await measure(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/echo`, opts, (sent, status, body) => status === 200 && body === sent);
  } finally {
    await app.close();
  }
}

/**
 * The HTTP floor of a relay, no database: a Fastify route that POSTs the message as push XML to the
 * same merchant stub (with the platform's own HTTP client) and answers with the stub's reply. Whatever
 * the relay costs above this is the platform's own work (queries, transactions, NOTIFY, WebSocket).
 */
export async function runBareProxy(opts: BareOptions): Promise<RunResult[]> {
  const stub = await startBenchMerchant();
  const app = Fastify({ logger: false });
  app.post('/proxy', async (req) => {
    const { content } = req.body as { content: string };
    const xml = `<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[o_bench]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>1</MsgId></xml>`;
    const { body: reply } = await httpRequest({ method: 'POST', url: stub.url, headers: { 'content-type': 'text/xml' }, body: xml, timeoutMs: 5000 });
    stub.arrivals.delete(content);
    return { reply };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await measure(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/proxy`, opts, (_sent, status, body) => status === 200 && body.includes('re: '));
  } finally {
    await app.close();
    await stub.close();
  }
}
