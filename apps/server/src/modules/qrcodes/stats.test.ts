import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDbs, type TestEnv } from '../../testing/harness.ts';
import { createConsumer, createMerchant, follow, type TestConsumer } from '../../testing/factories.ts';
import { createPayOwner, paidOrder, TEST_PIN } from '../../testing/pay.ts';

interface Listed {
  ticket: string;
  name: string;
  scans: number;
  follows: number;
  paidOrders: number;
}

async function withWallet(e: TestEnv, c: TestConsumer): Promise<void> {
  const card = await e.platform.services.wallet.addCard(c.ctx, { number: '4111111111111111', bank: 'ICBC' });
  await e.platform.services.wallet.topUp(c.ctx, { cardId: card.id, amount: 100_000n });
  await e.platform.services.wallet.setPin(c.ctx, { pin: TEST_PIN });
}

describeOnBothDbs('QR code statistics (scans, follows, paid orders)', (env) => {
  it('a consumer scanning, following and paying moves the code to 1/1/1; other codes and other orgs see nothing', async () => {
    const e = env();
    const m = await createPayOwner(e);
    const account = await e.platform.services.accounts.findByAppId(m.appidOk);
    assert.ok(account);
    const base = `/api/v1/merchant/accounts/${account.id}/qrcodes`;
    const create = (payload: Record<string, unknown>) => e.app.inject({ method: 'POST', url: base, headers: m.owner.headers, payload });
    const list = async (): Promise<Listed[]> => (await e.app.inject({ url: base, headers: m.owner.headers })).json();

    const showroom = await create({ name: 'Showroom door', permanent: true });
    assert.equal(showroom.statusCode, 201, showroom.body);
    const flyer = await create({ name: 'Flyer', permanent: false, expireSeconds: 86_400 });
    assert.equal(flyer.statusCode, 201, flyer.body);
    assert.ok(flyer.json().expiresAt);

    // The consumer scans the showroom code (follows through it) and pays an order.
    const c = await createConsumer(e);
    await withWallet(e, c);
    const scan = await e.app.inject({ method: 'POST', url: '/api/v1/qr/scan', headers: c.headers, payload: { content: showroom.json().url } });
    assert.equal(scan.statusCode, 200, scan.body);
    await paidOrder(e, m, { c, openid: scan.json().openid }, 1999n);

    // Someone who followed by search and paid is nobody's conversion.
    const other = await createConsumer(e);
    await withWallet(e, other);
    await paidOrder(e, m, { c: other, openid: await follow(e, other, { id: account.id, appid: account.appid } as Parameters<typeof follow>[2]) }, 500n);

    const counts = (await list()).map((q) => [q.name, q.scans, q.follows, q.paidOrders]);
    assert.deepEqual(counts, [['Flyer', 0, 0, 0], ['Showroom door', 1, 1, 1]]);

    // A second scan by the (now) follower is a scan, not a follow; a refunded order still counts as paid.
    await e.app.inject({ method: 'POST', url: '/api/v1/qr/scan', headers: c.headers, payload: { content: showroom.json().ticket } });
    const second = await paidOrder(e, m, { c, openid: scan.json().openid }, 300n);
    await e.platform.handle.db.updateTable('pay_orders').set({ state: 'REFUND' }).where('id', '=', second.id).execute();
    assert.deepEqual((await list()).map((q) => [q.name, q.scans, q.follows, q.paidOrders]), [['Flyer', 0, 0, 0], ['Showroom door', 2, 1, 2]]);

    // Another organisation sees nothing and cannot create codes on the account.
    const stranger = await createMerchant(e);
    assert.equal((await e.app.inject({ url: base, headers: stranger.headers })).statusCode, 404);
    assert.equal((await e.app.inject({ method: 'POST', url: base, headers: stranger.headers, payload: { name: 'x' } })).statusCode, 404);
  });

  it('bad input is refused and creates nothing', async () => {
    const e = env();
    const m = await createPayOwner(e);
    const account = await e.platform.services.accounts.findByAppId(m.appidOk);
    assert.ok(account);
    const base = `/api/v1/merchant/accounts/${account.id}/qrcodes`;
    for (const payload of [{ name: '' }, { name: 'x', permanent: false, expireSeconds: 0 }, { name: 'x', permanent: false, expireSeconds: 2_592_001 }, { name: 'x', sceneId: 1, sceneStr: 'a' }, { name: 'x', permanent: true, sceneId: 100_001 }]) {
      const res = await e.app.inject({ method: 'POST', url: base, headers: m.owner.headers, payload });
      assert.equal(res.statusCode, 400, `${JSON.stringify(payload)} → ${res.body}`);
    }
    assert.deepEqual((await e.app.inject({ url: base, headers: m.owner.headers })).json(), []);
  });
});
