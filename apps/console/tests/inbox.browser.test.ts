/**
 * Browser test of the console inbox (playwright-core + Chromium, PGlite): a consumer writes to an account
 * through the consumer API → the message appears in the open inbox without a reload (merchant socket) →
 * the agent answers with a saved quick reply (an empty reply is refused inline) → the consumer's own socket receives it at
 * once. Then the 48-hour window closes and the reply box is disabled with the reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { screenshot } from '../../client/tests/browser.ts';
import WebSocket from 'ws';
import { createAccount, createConsumer, createMerchant, follow } from '../../server/src/testing/factories.ts';
import { CONSOLE_SKIP, useConsole } from './harness.ts';

interface Received {
  type: string;
  message?: { direction: string; content: { type: string; content?: string } };
}

/** The consumer's real-time socket, collecting what it receives. */
async function consumerSocket(baseUrl: string, token: string) {
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/v1/ws`, { headers: { cookie: `lj_c=${token}` } });
  const events: Received[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (data) => {
      const e = JSON.parse(String(data)) as Received;
      events.push(e);
      if (e.type === 'hello') resolve();
    });
  });
  const waitFor = async (pred: (e: Received) => boolean, ms = 8000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const found = events.find(pred);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no matching event; got ${JSON.stringify(events)}`);
  };
  return { waitFor, close: () => ws.close() };
}

describe('console inbox and followers in a browser [pglite]', { skip: CONSOLE_SKIP }, () => {
  const t = useConsole({ background: true });

  it('a consumer message appears live, the agent answers, the consumer receives it live; an expired window disables the reply box', { timeout: 60_000 }, async () => {
    const e = t.env();
    const owner = await createMerchant(e, 'Noodle Bar Ltd');
    const account = await createAccount(e, owner, 'service', 'Noodle Bar');
    const consumer = await createConsumer(e, 'Mei');
    const openid = await follow(e, consumer, account);

    const { page, errors } = await t.newPage({ cookies: [{ name: 'lj_m', value: owner.token }], timeout: 20_000 });
    await page.goto(`${e.baseUrl}/console/inbox`);
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.getByText('No conversations yet').waitFor();

    // The consumer writes through the consumer API while the inbox is open: it appears without a reload.
    const socket = await consumerSocket(e.baseUrl, consumer.token);
    const sent = await fetch(`${e.baseUrl}/api/v1/threads/${account.id}/messages`, { method: 'POST', headers: { ...consumer.headers, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'text', content: 'Are you open tonight?' }) });
    assert.equal(sent.status, 201);
    const item = page.getByRole('button', { name: /Mei.*Are you open tonight\?/ });
    await item.waitFor();
    await item.getByText('1 unread').waitFor();
    await item.click();
    await page.getByRole('log').getByText('Are you open tonight?').waitFor();
    await page.getByRole('status').filter({ hasText: 'left to answer · 5 replies left' }).waitFor();

    // The agent answers; the consumer's socket receives it at once.
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('Write something first').waitFor();
    // A quick reply saved once, inserted into the reply box.
    const quick = page.getByRole('region', { name: 'Manage quick replies' });
    await quick.getByRole('button', { name: 'Add', exact: true }).click();
    await quick.getByText('Required').first().waitFor();
    await quick.getByLabel('Title').fill('Hours');
    await quick.getByLabel('Text').fill('Yes, until 22:00!');
    await quick.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('button', { name: 'Edit Hours' }).waitFor();
    await page.getByLabel('Insert a quick reply').selectOption({ label: 'Hours' });
    assert.equal(await page.getByLabel('Your reply').inputValue(), 'Yes, until 22:00!');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('log').getByText('Yes, until 22:00!').waitFor();
    const got = await socket.waitFor((ev) => ev.type === 'message' && ev.message?.direction === 'out');
    assert.deepEqual(got.message?.content, { type: 'text', content: 'Yes, until 22:00!' });
    await page.getByRole('status').filter({ hasText: '4 replies left' }).waitFor();

    // A second consumer message arrives live in the open thread.
    await fetch(`${e.baseUrl}/api/v1/threads/${account.id}/messages`, { method: 'POST', headers: { ...consumer.headers, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'text', content: 'Great, see you' }) });
    await page.getByRole('log').getByText('Great, see you').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'console-inbox.png');

    // 49 hours later the window is closed: the reply box is disabled and says why.
    await e.platform.handle.db.updateTable('follows').set({ last_interaction_at: new Date(Date.now() - 49 * 3600_000) }).where('openid', '=', openid).execute();
    await page.reload();
    await page.getByRole('button', { name: /Mei/ }).click();
    await page.getByText('The 48-hour window has closed').waitFor();
    assert.equal(await page.getByLabel('Your reply').isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled(), true);

    socket.close();
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('followers: search, open a profile with its history, save a remark, create a tag and bulk-tag the selection', { timeout: 60_000 }, async () => {
    const e = t.env();
    const owner = await createMerchant(e, 'Tea Corner Ltd');
    const account = await createAccount(e, owner, 'service', 'Tea Corner');
    for (const nick of ['Lan', 'Bo']) {
      const c = await createConsumer(e, nick);
      await follow(e, c, account, nick === 'Bo' ? { scene: 'ADD_SCENE_QR_CODE', qrSceneStr: 'door' } : {});
      if (nick === 'Lan') await e.platform.services.conversations.sendMessage(c.ctx, account.id, { type: 'text', content: 'Do you sell oolong?' });
    }
    const { page, errors } = await t.newPage({ cookies: [{ name: 'lj_m', value: owner.token }], timeout: 20_000 });
    await page.goto(`${e.baseUrl}/console/followers`);
    await page.getByRole('heading', { name: 'Followers (2)' }).waitFor();

    // Search by nickname, then by scene.
    await page.getByLabel('Search', { exact: true }).fill('lan');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'Followers (1)' }).waitFor();
    await page.getByLabel('Search', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByLabel('How they followed').selectOption('ADD_SCENE_QR_CODE');
    await page.getByRole('button', { name: 'Open Bo' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Open Lan' }).count(), 0);
    await page.getByLabel('How they followed').selectOption('');

    // The profile: history and remark.
    await page.getByRole('button', { name: 'Open Lan' }).click();
    const profile = page.getByRole('dialog', { name: 'Follower profile' });
    await profile.getByRole('log').getByText('Do you sell oolong?').waitFor();
    await profile.getByLabel('Remark').fill('Oolong fan');
    await profile.getByRole('button', { name: 'Save remark' }).click();
    await page.getByRole('button', { name: 'Open Oolong fan' }).waitFor();

    // A tag, then bulk tagging of both followers.
    await page.getByLabel('New tag name').fill('Regulars');
    await page.getByRole('button', { name: 'Create tag' }).click();
    await page.getByText('Regulars · 0 followers').waitFor();
    await page.getByLabel('Select all on this page').check();
    await page.getByRole('group', { name: '2 selected' }).getByLabel('Tag to apply').selectOption({ label: 'Regulars' });
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByText('Regulars · 2 followers').waitFor();
    await page.getByLabel('Tag', { exact: true }).selectOption({ label: 'Regulars' });
    await page.getByRole('heading', { name: 'Followers (2)' }).waitFor();

    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
