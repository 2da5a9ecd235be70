import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { describeOnBothDbs, POSTGRES_AVAILABLE, startTestEnv, type TestEnv } from '../../testing/harness.ts';
import { createAccount, createConsumer, createMerchant, follow } from '../../testing/factories.ts';

interface Received {
  type: string;
  message?: { id: string; direction: string; content: { type: string; content?: string } };
}

/** Opens the consumer's socket and collects what it receives. */
async function openSocket(baseUrl: string, token: string): Promise<{ events: Received[]; waitFor: (pred: (e: Received) => boolean, ms?: number) => Promise<Received>; close: () => void }> {
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/v1/ws`, { headers: { cookie: `lj_c=${token}` } });
  const events: Received[] = [];
  const waiters: { pred: (e: Received) => boolean; resolve: (e: Received) => void }[] = [];
  ws.on('message', (data) => {
    const e = JSON.parse(String(data)) as Received;
    events.push(e);
    for (const w of [...waiters]) if (w.pred(e)) w.resolve(e);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    const hello = (data: WebSocket.RawData) => {
      if ((JSON.parse(String(data)) as Received).type === 'hello') resolve();
    };
    ws.on('message', hello);
  });
  return {
    events,
    waitFor: (pred, ms = 5000) =>
      new Promise<Received>((resolve, reject) => {
        const found = events.find(pred);
        if (found) return resolve(found);
        const t = setTimeout(() => reject(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events)}`)), ms);
        waiters.push({ pred, resolve: (e) => (clearTimeout(t), resolve(e)) });
      }),
    close: () => ws.close(),
  };
}

describeOnBothDbs('real-time WebSocket', (env) => {
  it('pushes the auto-reply to the signed-in consumer after commit, and refuses an anonymous socket', async () => {
    const e = env();
    const m = await createMerchant(e);
    const a = await createAccount(e, m);
    await e.platform.services.accounts.addAutoReply(m.ctx, a.id, { match: 'default', replyText: 'live reply' });
    const c = await createConsumer(e);
    await follow(e, c, a);
    const sock = await openSocket(e.baseUrl, c.token);
    const other = await openSocket(e.baseUrl, (await createConsumer(e)).token);
    await e.platform.services.conversations.sendMessage(c.ctx, a.id, { type: 'text', content: 'hi' });
    const got = await sock.waitFor((x) => x.message?.content.content === 'live reply');
    assert.equal(got.message?.direction, 'out');
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!other.events.some((x) => x.type === 'message'), 'another consumer receives nothing');
    sock.close();
    other.close();

    const anon = new WebSocket(`${e.baseUrl.replace('http', 'ws')}/api/v1/ws`);
    const code = await new Promise<number>((resolve) => anon.on('close', (c2) => resolve(c2)));
    assert.equal(code, 4401);
  });
}, { listen: true, background: true });

describe('two instances on one PostgreSQL', { skip: POSTGRES_AVAILABLE ? false : 'PostgreSQL not reachable' }, () => {
  let a: TestEnv & { close(): Promise<void> };
  let b: TestEnv & { close(): Promise<void> };
  before(async () => {
    a = await startTestEnv('postgres', { listen: true, background: true });
    b = await startTestEnv('postgres', { listen: true, background: true, schema: a.schema });
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  it('a message sent through instance A reaches the consumer connected to instance B', async () => {
    const m = await createMerchant(a);
    const acc = await createAccount(a, m);
    await a.platform.services.accounts.addAutoReply(m.ctx, acc.id, { match: 'default', replyText: 'from A' });
    const c = await createConsumer(a);
    await follow(a, c, acc);
    const onB = await openSocket(b.baseUrl, c.token);
    const res = await fetch(`${a.baseUrl}/api/v1/threads/${acc.id}/messages`, { method: 'POST', headers: { ...c.headers, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'text', content: 'sent via A' }) });
    assert.equal(res.status, 201);
    const mine = await onB.waitFor((x) => x.message?.content.content === 'sent via A');
    const reply = await onB.waitFor((x) => x.message?.content.content === 'from A');
    assert.equal(mine.message?.direction, 'in');
    assert.equal(reply.message?.direction, 'out');
    assert.equal(b.platform.hub.connectedCount(), 1);
    assert.equal(a.platform.hub.connectedCount(), 0, 'the consumer is connected to B only');
    onB.close();
  });

  it('both instances run the outbox worker and each row is delivered exactly once', async () => {
    const m = await createMerchant(a);
    const acc = await createAccount(a, m);
    const hits: string[] = [];
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET') return res.end(u.searchParams.get('echostr') ?? '');
      let body = '';
      req.on('data', (d: Buffer) => (body += d));
      req.on('end', () => {
        hits.push(/<MsgId>(\d+)<\/MsgId>/.exec(body)?.[1] ?? /<Event><!\[CDATA\[(\w+)/.exec(body)?.[1] ?? '?');
        res.end('success');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await a.platform.services.accounts.setCallback(m.ctx, acc.id, { url: `http://127.0.0.1:${port}/cb`, token: acc.token, encodingAESKey: acc.encodingAESKey, mode: 'plain' });
    const consumers = await Promise.all(Array.from({ length: 5 }, () => createConsumer(a)));
    for (const c of consumers) await follow(a, c, acc);
    await Promise.all(consumers.flatMap((c, i) => [0, 1, 2].map((k) => (i % 2 ? a : b).platform.services.conversations.sendMessage(c.ctx, acc.id, { type: 'text', content: `m${k}` }))));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const pending = await a.platform.handle.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute();
      if (pending.length === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    server.close();
    const msgIds = hits.filter((h) => /^\d+$/.test(h));
    assert.equal(msgIds.length, 15, 'every message pushed');
    assert.equal(new Set(msgIds).size, 15, 'none pushed twice');
    assert.equal(hits.filter((h) => h === 'subscribe').length, 5);
  });
});
