import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import WebSocket from 'ws';
import { seedDemoIfEmpty } from '../apps/server/src/modules/demo/seed.ts';
import { makeContext } from '../apps/server/src/platform/context.ts';
import type { DbKind } from '../apps/server/src/platform/db.ts';
import { startTestEnv } from '../apps/server/src/testing/harness.ts';
import { closedLoop, httpClient, summarize, type LatencyStats, type RunResult } from './load.ts';
import { startBenchMerchant } from './merchant-stub.ts';
import type { RunSpec } from './bare.ts';

export interface RelayOptions {
  kind: DbKind;
  warmup: number;
  /** Measured runs, one after another on the same platform; one consumer per lane. */
  runs: readonly RunSpec[];
  /** Give up on a reply after this long (ms). */
  replyTimeoutMs?: number;
}

export interface RelayResult extends RunResult {
  /** Where the time of one relay goes (ms, from the moment the consumer sends). */
  segments: {
    /** POST /threads/:id/messages until its 201 (message stored, push queued, commit). */
    api: LatencyStats;
    /** Send until the merchant stub has the push (adds kick → claim → HTTP to the merchant). */
    toMerchant: LatencyStats;
    /** Merchant answered until the reply is on the consumer's socket (reply tx → NOTIFY → WS). */
    back: LatencyStats;
  };
}

export interface RelayReport {
  runs: RelayResult[];
  /** Every push of the whole session (warm-up included): all must be done on the first attempt. */
  outbox: { done: number; retried: number; dead: number };
}

const consumerHeaders = (token: string) => ({ authorization: `Bearer ${token}`, 'x-lianjie-session-kind': 'consumer' });

/**
 * Consumer message → push to a local merchant stub → passive reply back on the consumer's
 * WebSocket, end to end over real HTTP against a platform started in this process.
 */
export async function runRelay(opts: RelayOptions): Promise<RelayReport> {
  const lanes = Math.max(1, ...opts.runs.map((r) => r.concurrency));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lianjie-bench-'));
  const env = await startTestEnv(opts.kind, { listen: true, background: true, poolSize: 10, env: { DATA_DIR: dataDir } });
  const stub = await startBenchMerchant();
  const client = httpClient(lanes);
  const sockets: WebSocket[] = [];
  try {
    const { identity, accounts, conversations } = env.platform.services;
    const anon = makeContext({ kind: 'anonymous' });
    const demo = await seedDemoIfEmpty(env.platform);
    if (!demo) throw new Error('the bench database was not empty');
    const accountId = demo.account.id;

    // One consumer per lane, each following the demo account: the demo diner and new ones.
    const tokens = [(await identity.signInConsumer(anon, demo.consumer)).session.token];
    for (let i = 1; i < lanes; i++) {
      const c = await identity.signUpConsumer(anon, { phone: `1370000${String(i).padStart(4, '0')}`, password: 'bench-pass-1', nickname: `Bench ${i}` });
      await conversations.follow(makeContext({ kind: 'consumer', consumerId: c.consumer.id }), accountId, { scene: 'ADD_SCENE_SEARCH' });
      tokens.push(c.session.token);
    }
    const merchant = await identity.signInMerchant(anon, demo.merchant);
    const owner = makeContext({ kind: 'merchant', userId: merchant.user.id, orgId: merchant.user.orgId, role: merchant.user.role });
    await accounts.setCallback(owner, accountId, { url: stub.url, token: demo.account.token, encodingAESKey: demo.account.encodingAESKey, mode: 'plain' });

    // Replies are matched to requests by content: the stub answers `re: <content>`.
    const pending = new Map<string, (at: number) => void>();
    const wsUrl = `${env.baseUrl.replace(/^http/, 'ws')}/api/v1/ws`;
    for (const token of tokens) {
      const ws = new WebSocket(wsUrl, { headers: consumerHeaders(token) });
      sockets.push(ws);
      await new Promise<void>((resolve, reject) => {
        ws.once('message', () => resolve()); // the hello
        ws.once('error', reject);
        ws.once('close', (code) => reject(new Error(`socket closed (${code})`)));
      });
      ws.on('message', (data) => {
        const at = performance.now();
        const event = JSON.parse(String(data)) as { type: string; message?: { direction: string; content: { type: string; content?: string } } };
        const text = event.message?.content.content;
        if (event.type === 'message' && event.message?.direction === 'out' && text?.startsWith('re: ')) pending.get(text.slice(4))?.(at);
      });
    }

    const messagesUrl = `${env.baseUrl}/api/v1/threads/${accountId}/messages`;
    const headers = tokens.map(consumerHeaders);
    const timeoutMs = opts.replyTimeoutMs ?? 10_000;
    let segments = { api: [] as number[], toMerchant: [] as number[], back: [] as number[] };
    const op = (phase: string) => async (lane: number, seq: number) => {
      const content = `${phase} ${lane} ${seq}`;
      const replied = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply to "${content}" within ${timeoutMs} ms`)), timeoutMs);
        pending.set(content, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
      const t0 = performance.now();
      const res = await client.post(messagesUrl, JSON.stringify({ type: 'text', content }), headers[lane]);
      const t1 = performance.now();
      if (res.status !== 201) throw new Error(`sending answered ${res.status} ${res.body}`);
      const t4 = await replied;
      pending.delete(content);
      const t2 = stub.arrivals.get(content) ?? NaN;
      stub.arrivals.delete(content);
      segments.api.push(t1 - t0);
      segments.toMerchant.push(t2 - t0);
      segments.back.push(t4 - t2);
      return t4 - t0;
    };
    await closedLoop(opts.warmup, lanes, op('warm'));
    const runs: RelayResult[] = [];
    for (const [i, spec] of opts.runs.entries()) {
      segments = { api: [], toMerchant: [], back: [] };
      const run = await closedLoop(spec.requests, spec.concurrency, op(`bench${i}`));
      runs.push({ ...run, segments: { api: summarize(segments.api), toMerchant: summarize(segments.toMerchant), back: summarize(segments.back) } });
    }

    const { rows } = await sql<{ done: bigint; retried: bigint; dead: bigint }>`
      select count(*) filter (where status = 'done') as done, count(*) filter (where attempts > 1) as retried,
        count(*) filter (where status = 'dead') as dead from outbox where kind = 'oa.push'`.execute(env.platform.handle.db);
    const o = rows[0];
    return { runs, outbox: { done: Number(o?.done ?? 0), retried: Number(o?.retried ?? 0), dead: Number(o?.dead ?? 0) } };
  } finally {
    for (const ws of sockets) ws.terminate();
    client.close();
    await stub.close();
    await env.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
