import assert from 'node:assert/strict';
import { it } from 'node:test';
import WebSocket from 'ws';
import { createAccount, createConsumer, createMerchant, follow } from '../../testing/factories.ts';
import { describeOnBothDbs } from '../../testing/harness.ts';

interface Received {
  type: string;
  openid?: string;
  message?: { direction: string; source: string; content: { type: string; content?: string } };
}

/** Opens a merchant socket with a session cookie; resolves with its events once greeted (or its close code). */
async function open(baseUrl: string, token: string): Promise<{ events: Received[]; closed: Promise<number>; close: () => void }> {
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/v1/merchant/ws`, { headers: { cookie: `lj_m=${token}` } });
  const events: Received[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('close', () => resolve());
    ws.on('message', (data) => {
      const e = JSON.parse(String(data)) as Received;
      events.push(e);
      if (e.type === 'hello') resolve();
    });
  });
  return { events, closed, close: () => ws.close() };
}

async function until(pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describeOnBothDbs('Inbox merchant socket', (env) => {
  it("receives the org's thread events live (other orgs nothing); refuses anonymous and finance sockets", async () => {
    const e = env();
    const owner = await createMerchant(e);
    const account = await createAccount(e, owner);
    const consumer = await createConsumer(e);
    const openid = await follow(e, consumer, account);
    const mine = await open(e.baseUrl, owner.token);
    const other = await open(e.baseUrl, (await createMerchant(e)).token);
    await e.platform.services.conversations.sendMessage(consumer.ctx, account.id, { type: 'text', content: 'live to the inbox' });
    await until(() => mine.events.some((x) => x.message?.content.content === 'live to the inbox'));
    assert.equal(mine.events.find((x) => x.type === 'inbox.message')?.openid, openid);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!other.events.some((x) => x.type === 'inbox.message'), 'another org receives nothing');
    mine.close();
    other.close();

    const anon = await open(e.baseUrl, 'nope');
    assert.equal(await anon.closed, 4401);
    const email = `fin${Date.now()}@member.test`;
    await e.platform.services.team.invite(owner.ctx, { email, name: 'Fin', role: 'finance', password: 'member-pass-1' });
    const signed = await e.app.inject({ method: 'POST', url: '/api/v1/merchant/signin', payload: { email, password: 'member-pass-1' } });
    const finance = await open(e.baseUrl, String((signed.json() as { token: string }).token));
    assert.equal(await finance.closed, 4403);
  });
}, { listen: true, background: true });
