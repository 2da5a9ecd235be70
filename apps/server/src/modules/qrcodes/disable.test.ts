import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDbs } from '../../testing/harness.ts';
import { createAccount, createConsumer, createMerchant } from '../../testing/factories.ts';

describeOnBothDbs('disabling a scene QR code (console API)', (env) => {
  it('a disabled code stops working (scan, image, landing) and counts stay; enabling restores it; other orgs and cs get nothing', async () => {
    const e = env();
    const m = await createMerchant(e);
    const a = await createAccount(e, m);
    const base = `/api/v1/merchant/accounts/${a.id}/qrcodes`;
    const code = (await e.app.inject({ method: 'POST', url: base, headers: m.headers, payload: { name: 'Door' } })).json() as { ticket: string; url: string };
    const c = await createConsumer(e);
    assert.equal((await e.app.inject({ method: 'POST', url: '/api/v1/qr/scan', headers: c.headers, payload: { content: code.url } })).statusCode, 200);
    const set = (disabled: unknown, headers = m.headers, url = `${base}/${code.ticket}`) => e.app.inject({ method: 'PATCH', url, headers, payload: { disabled } as Record<string, unknown> });

    // Another org, a cs member and bad input change nothing.
    const other = await createMerchant(e);
    assert.equal((await set(true, other.headers)).statusCode, 404);
    const otherAccount = await createAccount(e, other);
    assert.equal((await set(true, other.headers, `/api/v1/merchant/accounts/${otherAccount.id}/qrcodes/${code.ticket}`)).statusCode, 404);
    await e.platform.services.team.invite(m.ctx, { email: `cs${Date.now()}@qr.test`, name: 'cs', role: 'cs', password: 'staff-pass-12' });
    const signin = await e.app.inject({ method: 'POST', url: '/api/v1/merchant/signin', payload: { email: (await e.platform.services.team.list(m.ctx)).find((x) => x.role === 'cs')?.email, password: 'staff-pass-12' } });
    const cs = { cookie: `lj_m=${signin.cookies.find((k) => k.name === 'lj_m')?.value ?? ''}` };
    assert.equal((await set(true, cs)).statusCode, 403);
    assert.equal((await e.app.inject({ url: base, headers: cs })).statusCode, 403);
    assert.equal((await set('yes')).statusCode, 400);
    assert.equal((await set(true, m.headers, `${base}/gQnotAticketOfThisAccount000`)).statusCode, 404);
    assert.equal((await e.app.inject({ url: `/cgi-bin/showqrcode?ticket=${code.ticket}` })).statusCode, 200);

    const off = await set(true);
    assert.deepEqual(off.json(), { ticket: code.ticket, disabled: true });
    const scan = await e.app.inject({ method: 'POST', url: '/api/v1/qr/scan', headers: (await createConsumer(e)).headers, payload: { content: code.url } });
    assert.equal(scan.statusCode, 404);
    assert.equal(scan.json().error.details.reason, 'disabled');
    assert.equal((await e.app.inject({ url: `/cgi-bin/showqrcode?ticket=${code.ticket}` })).statusCode, 404);
    assert.equal((await e.app.inject({ url: `/q/${code.ticket}` })).statusCode, 404);
    const listed = (await e.app.inject({ url: base, headers: m.headers })).json() as { disabled: boolean; scans: number; follows: number }[];
    assert.deepEqual(listed.map((q) => [q.disabled, q.scans, q.follows]), [[true, 1, 1]]);

    assert.deepEqual((await set(false)).json(), { ticket: code.ticket, disabled: false });
    assert.equal((await e.app.inject({ method: 'POST', url: '/api/v1/qr/scan', headers: (await createConsumer(e)).headers, payload: { content: code.url } })).statusCode, 200);
  });
});
