import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeOnBothDbs } from '../../testing/harness.ts';
import { createAccount, createMerchant } from '../../testing/factories.ts';

describeOnBothDbs('auto-replies and the welcome message (console API)', (env) => {
  it('create, edit in place, delete; matching follows the edit; welcome message saved; other orgs get 404; bad input changes nothing', async () => {
    const e = env();
    const m = await createMerchant(e);
    const a = await createAccount(e, m);
    const base = `/api/v1/merchant/accounts/${a.id}/auto-replies`;
    const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: Record<string, unknown>, headers = m.headers) => e.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

    const hours = await send('POST', base, { match: 'contains', keyword: 'hours', replyText: 'Open 9–18' });
    assert.equal(hours.statusCode, 201, hours.body);
    const dflt = await send('POST', base, { match: 'default', replyText: 'We will answer soon' });
    assert.equal(dflt.statusCode, 201);
    const db = e.platform.handle.db;
    assert.equal(await e.platform.services.accounts.matchAutoReply(db, a.id, 'opening hours?'), 'Open 9–18');

    const edited = await send('PUT', `${base}/${hours.json().id}`, { match: 'exact', keyword: '营业时间', replyText: '每天 9–18 点' });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.deepEqual(edited.json(), { id: hours.json().id, match: 'exact', keyword: '营业时间', replyText: '每天 9–18 点' });
    assert.equal(await e.platform.services.accounts.matchAutoReply(db, a.id, '营业时间'), '每天 9–18 点');
    assert.equal(await e.platform.services.accounts.matchAutoReply(db, a.id, 'opening hours?'), 'We will answer soon');

    // Bad input: 400 and nothing changes.
    for (const body of [{ match: 'exact', keyword: '', replyText: 'x' }, { match: 'exact', keyword: 'k', replyText: '' }, { match: 'contains', keyword: 'x'.repeat(31), replyText: 'x' }, { match: 'exact', keyword: 'k', replyText: 'x'.repeat(601) }]) {
      assert.equal((await send('PUT', `${base}/${hours.json().id}`, body)).statusCode, 400, JSON.stringify(body));
    }
    const list = await e.app.inject({ url: base, headers: m.headers });
    assert.deepEqual(list.json().map((r: { keyword: string }) => r.keyword), ['营业时间', '']);

    // Welcome message (the account profile).
    const welcome = await e.app.inject({ method: 'PATCH', url: `/api/v1/merchant/accounts/${a.id}`, headers: m.headers, payload: { welcomeMessage: '欢迎关注！' } });
    assert.equal(welcome.json().welcomeMessage, '欢迎关注！');
    assert.equal((await e.app.inject({ method: 'PATCH', url: `/api/v1/merchant/accounts/${a.id}`, headers: m.headers, payload: { welcomeMessage: 'x'.repeat(601) } })).statusCode, 400);

    // Another organisation: nothing to see, edit or delete.
    const other = await createMerchant(e);
    assert.equal((await e.app.inject({ url: base, headers: other.headers })).statusCode, 404);
    assert.equal((await send('PUT', `${base}/${hours.json().id}`, { match: 'exact', keyword: 'x', replyText: 'y' }, other.headers)).statusCode, 404);
    assert.equal((await send('DELETE', `${base}/${hours.json().id}`, undefined, other.headers)).statusCode, 404);
    const otherAccount = await createAccount(e, other);
    assert.equal((await send('PUT', `/api/v1/merchant/accounts/${otherAccount.id}/auto-replies/${hours.json().id}`, { match: 'exact', keyword: 'x', replyText: 'y' }, other.headers)).statusCode, 404);

    assert.equal((await send('DELETE', `${base}/${hours.json().id}`)).statusCode, 200);
    assert.equal((await send('PUT', `${base}/${hours.json().id}`, { match: 'exact', keyword: 'x', replyText: 'y' })).statusCode, 404);
    assert.deepEqual((await e.app.inject({ url: base, headers: m.headers })).json().map((r: { match: string }) => r.match), ['default']);
  });
});
