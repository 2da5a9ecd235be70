// Test support for the notifications suites: a `wechat-api` client pointed at the test server, a
// merchant with followers made through the real follow path, and a merchant server stub.
import assert from 'node:assert/strict';
import WechatAPI from 'wechat-api';
import type { TestEnv } from '../../testing/harness.ts';
import { accessToken, createAccount, createConsumer, createMerchant, follow, type TestAccount, type TestConsumer, type TestMerchant } from '../../testing/factories.ts';
import { startMerchantStub, type MerchantStub } from '../../testing/merchant-stub.ts';
import { xmlText } from '../../wire/wechat/xml.ts';
import type { AccountType } from '../accounts/tables.ts';
import type { MessageView } from '../messaging/model.ts';

/** Runs a callback-style SDK call as a promise. */
export const call = <T>(fn: (cb: WechatAPI.Callback<T>) => void) =>
  new Promise<T>((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result))));

/** The WeChat errcode an SDK call failed with (fails the test if it succeeded). */
export async function errcodeOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'number') throw err;
    return code;
  }
  assert.fail('expected the call to fail with an errcode');
}

export function sdkFor(env: TestEnv, account: TestAccount): WechatAPI {
  const api = new WechatAPI(account.appid, account.appsecret);
  api.endpoint = env.baseUrl;
  api.mpPrefix = `${env.baseUrl}/cgi-bin/`;
  api.fileServerPrefix = `${env.baseUrl}/cgi-bin/`;
  return api;
}

export interface Tenant {
  merchant: TestMerchant;
  account: TestAccount;
  api: WechatAPI;
  token: string;
  consumers: TestConsumer[];
  openids: string[];
}

export async function tenant(env: TestEnv, followers: number, type: AccountType = 'service'): Promise<Tenant> {
  const merchant = await createMerchant(env);
  const account = await createAccount(env, merchant, type);
  const consumers: TestConsumer[] = [];
  const openids: string[] = [];
  for (let i = 0; i < followers; i++) {
    const c = await createConsumer(env);
    consumers.push(c);
    openids.push(await follow(env, c, account));
  }
  return { merchant, account, api: sdkFor(env, account), token: await accessToken(env, account), consumers, openids };
}

/** A merchant server (plain mode) set as the account's callback URL. */
export async function withMerchantServer(env: TestEnv, t: Tenant): Promise<MerchantStub> {
  const stub = await startMerchantStub({ token: t.account.token, encodingAESKey: t.account.encodingAESKey, appid: t.account.appid });
  await env.platform.services.accounts.setCallback(t.merchant.ctx, t.account.id, { url: stub.url, token: t.account.token, encodingAESKey: t.account.encodingAESKey, mode: 'plain' });
  return stub;
}

/** The pushes of one event the stub received, as flat string fields. */
export const eventsOf = (stub: MerchantStub, event: string) =>
  stub.pushes
    .filter((p) => xmlText(p.fields, 'Event') === event)
    .map((p) => Object.fromEntries(Object.keys(p.fields).map((k) => [k, xmlText(p.fields, k) ?? ''])));

/** The consumer's thread with the account (newest last). */
export const threadOf = (env: TestEnv, c: TestConsumer, t: Tenant): Promise<MessageView[]> => env.platform.services.conversations.messages(c.ctx, t.account.id);

/** Moves the consumer's last interaction back by `hours`. */
export async function ageInteraction(env: TestEnv, t: Tenant, c: TestConsumer, hours: number): Promise<void> {
  await env.platform.handle.db
    .updateTable('follows')
    .set({ last_interaction_at: new Date(Date.now() - hours * 3600_000) })
    .where('account_id', '=', t.account.id)
    .where('consumer_id', '=', c.id)
    .execute();
}
