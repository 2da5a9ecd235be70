import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { accessToken, createAccount, createConsumer, createMerchant, wxPost, type TestAccount, type TestConsumer } from '../../testing/factories.ts';
import { startMerchantStub, type MerchantStub } from '../../testing/merchant-stub.ts';
import { xmlText } from '../../wire/wechat/xml.ts';

const stubs: MerchantStub[] = [];
after(async () => {
  await Promise.all(stubs.map((s) => s.close()));
});

async function accountWithServer(e: TestEnv) {
  const merchant = await createMerchant(e);
  const account = await createAccount(e, merchant);
  const stub = await startMerchantStub(account, { body: 'success' });
  stubs.push(stub);
  await e.platform.services.accounts.setCallback(merchant.ctx, account.id, { url: stub.url, token: account.token, encodingAESKey: account.encodingAESKey, mode: 'plain' });
  return { merchant, account, stub };
}

async function createCode(e: TestEnv, a: TestAccount, body: Record<string, unknown>): Promise<{ ticket: string; url: string }> {
  const res = await wxPost(e, '/cgi-bin/qrcode/create', await accessToken(e, a), body);
  assert.ok(res.ticket, JSON.stringify(res));
  return { ticket: String(res.ticket), url: String(res.url) };
}

const scan = (e: TestEnv, c: TestConsumer, content: string, what: 'scan' | 'resolve' = 'scan') => e.app.inject({ method: 'POST', url: `/api/v1/qr/${what}`, headers: c.headers, payload: { content } });

describeOnBothDbs('scanning scene QR codes (consumer)', (env) => {
  it('a scan follows with ADD_SCENE_QR_CODE; the merchant gets subscribe with EventKey qrscene_<id> and Ticket; a second scan is SCAN', async () => {
    const e = env();
    const { merchant, account, stub } = await accountWithServer(e);
    const code = await createCode(e, account, { expire_seconds: 600, action_name: 'QR_SCENE', action_info: { scene: { scene_id: 321 } } });
    const c = await createConsumer(e);

    const resolved = await scan(e, c, code.url, 'resolve');
    assert.equal(resolved.statusCode, 200);
    const body = resolved.json() as { account: { id: string } };
    assert.deepEqual({ ...body, account: body.account.id }, { kind: 'account', account: account.id, scene: '321', expired: false, following: false });

    const first = await scan(e, c, code.url);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().isNew, true);
    assert.equal(first.json().scene, '321');
    const openid = first.json().openid;
    await e.platform.worker.drain();
    const sub = stub.pushes.find((p) => xmlText(p.fields, 'Event') === 'subscribe');
    assert.ok(sub, 'the merchant received subscribe');
    assert.equal(xmlText(sub.fields, 'FromUserName'), openid);
    assert.equal(xmlText(sub.fields, 'EventKey'), 'qrscene_321');
    assert.equal(xmlText(sub.fields, 'Ticket'), code.ticket);

    const row = await e.platform.handle.db.selectFrom('follows').selectAll().where('account_id', '=', account.id).where('consumer_id', '=', c.id).executeTakeFirstOrThrow();
    assert.equal(row.subscribed, true);
    assert.equal(row.subscribe_scene, 'ADD_SCENE_QR_CODE');
    assert.equal(row.qr_scene, 321n);

    // A follower scanning again (the bare ticket this time) is a SCAN event with the scene as EventKey.
    const second = await scan(e, c, code.ticket);
    assert.equal(second.json().isNew, false);
    await e.platform.worker.drain();
    const scanEvent = stub.pushes.find((p) => xmlText(p.fields, 'Event') === 'SCAN');
    assert.ok(scanEvent, 'the merchant received SCAN');
    assert.equal(xmlText(scanEvent.fields, 'EventKey'), '321');
    assert.equal(xmlText(scanEvent.fields, 'Ticket'), code.ticket);
    assert.equal((await scan(e, c, code.url, 'resolve')).json().following, true);

    const scans = await e.platform.handle.db.selectFrom('qr_scans').selectAll().where('ticket', '=', code.ticket).orderBy('id').execute();
    assert.deepEqual(scans.map((s) => [s.consumer_id, s.resulted_in_follow]), [[c.id, true], [c.id, false]]);
    const list = (await e.app.inject({ url: `/api/v1/merchant/accounts/${account.id}/qrcodes`, headers: merchant.headers })).json();
    assert.deepEqual(list.map((q: { ticket: string; scans: number; follows: number }) => [q.ticket, q.scans, q.follows]), [[code.ticket, 2, 1]]);
  });

  it('a permanent string scene is recorded as qr_scene_str and pushed as qrscene_<str>', async () => {
    const e = env();
    const { account, stub } = await accountWithServer(e);
    const code = await createCode(e, account, { action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: 'table-12' } } });
    const c = await createConsumer(e);
    const res = await scan(e, c, code.url);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().scene, 'table-12');
    await e.platform.worker.drain();
    const sub = stub.pushes.find((p) => xmlText(p.fields, 'Event') === 'subscribe');
    assert.equal(sub && xmlText(sub.fields, 'EventKey'), 'qrscene_table-12');
    const row = await e.platform.handle.db.selectFrom('follows').selectAll().where('account_id', '=', account.id).where('consumer_id', '=', c.id).executeTakeFirstOrThrow();
    assert.equal(row.qr_scene_str, 'table-12');
    assert.equal(row.qr_scene, null);
  });

  it('unknown, expired and foreign codes are typed not_found and change nothing; signed-out scans are 401', async () => {
    const e = env();
    const { account } = await accountWithServer(e);
    const code = await createCode(e, account, { expire_seconds: 60, action_name: 'QR_SCENE', action_info: { scene: { scene_id: 1 } } });
    const c = await createConsumer(e);
    const reason = async (content: string, what: 'scan' | 'resolve' = 'scan') => {
      const res = await scan(e, c, content, what);
      assert.equal(res.statusCode, 404, res.body);
      assert.equal(res.json().error.code, 'not_found');
      return res.json().error.details?.reason;
    };
    assert.equal(await reason(`gQ${'z'.repeat(40)}`), 'unknown');
    assert.equal(await reason(`https://evil.example/q/${code.ticket}`), 'not_lianjie');
    assert.equal(await reason(`${e.config.publicUrl}/x/${code.ticket}`), 'not_lianjie');
    assert.equal(await reason('hello world'), 'not_lianjie');
    await e.platform.handle.db.updateTable('qrcodes').set({ expires_at: new Date(Date.now() - 1) }).where('ticket', '=', code.ticket).execute();
    assert.equal(await reason(code.url), 'expired');
    assert.equal(await reason(code.url, 'resolve'), 'expired');
    assert.equal((await e.app.inject({ method: 'POST', url: '/api/v1/qr/scan', payload: { content: code.url } })).statusCode, 401);
    assert.equal((await scan(e, c, '')).statusCode, 400);
    const follows = await e.platform.handle.db.selectFrom('follows').select('consumer_id').where('account_id', '=', account.id).execute();
    assert.equal(follows.length, 0);
    assert.equal((await e.platform.handle.db.selectFrom('qr_scans').select('id').where('account_id', '=', account.id).execute()).length, 0);
  });

  it("B's codes lead to B: a scan follows the code's own account and is counted only there", async () => {
    const e = env();
    const a = await accountWithServer(e);
    const b = await accountWithServer(e);
    const codeB = await createCode(e, b.account, { action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 7 } } });
    await createCode(e, a.account, { action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 7 } } });
    const c = await createConsumer(e);
    const res = await scan(e, c, codeB.url);
    assert.equal(res.json().account.id, b.account.id);
    await e.platform.worker.drain();
    assert.equal(a.stub.pushes.length, 0, "A's server hears nothing");
    assert.equal(b.stub.pushes.length, 1);
    const listA = (await e.app.inject({ url: `/api/v1/merchant/accounts/${a.account.id}/qrcodes`, headers: a.merchant.headers })).json();
    assert.deepEqual(listA.map((q: { scans: number }) => q.scans), [0]);
    assert.equal((await e.platform.handle.db.selectFrom('follows').select('account_id').where('consumer_id', '=', c.id).execute()).map((f) => f.account_id).join(), b.account.id);
  });
});
