import assert from 'node:assert/strict';
import type { TestEnv } from './harness.ts';
import { makeContext, type RequestContext } from '../platform/context.ts';
import { randomString } from '../platform/ids.ts';
import type { AccountType } from '../modules/accounts/tables.ts';

/** Test factories: each call makes fresh, independent rows (never fixtures dumped from a DB). */

export interface TestMerchant {
  orgId: string;
  userId: string;
  email: string;
  password: string;
  token: string;
  ctx: RequestContext;
  /** Headers that authenticate as this merchant on our JSON API. */
  headers: Record<string, string>;
}

export interface TestAccount {
  id: string;
  appid: string;
  appsecret: string;
  originalId: string;
  token: string;
  encodingAESKey: string;
  type: AccountType;
}

export interface TestConsumer {
  id: string;
  phone: string;
  password: string;
  token: string;
  ctx: RequestContext;
  headers: Record<string, string>;
}

const bearer = (kind: string, token: string) => ({ authorization: `Bearer ${token}`, 'x-lianjie-session-kind': kind });

export async function createMerchant(env: TestEnv, orgName = `Org ${randomString(6)}`): Promise<TestMerchant> {
  const email = `${randomString(10).toLowerCase()}@merchant.test`;
  const password = 'merchant-pass-1';
  const res = await env.platform.services.identity.signUpMerchant(makeContext({ kind: 'anonymous' }), { orgName, email, password, name: 'Owner' });
  return {
    orgId: res.org.id,
    userId: res.user.id,
    email,
    password,
    token: res.session.token,
    ctx: makeContext({ kind: 'merchant', userId: res.user.id, orgId: res.org.id, role: 'owner' }),
    headers: bearer('merchant', res.session.token),
  };
}

export async function createAccount(env: TestEnv, merchant: TestMerchant, type: AccountType = 'service', name = `Account ${randomString(5)}`): Promise<TestAccount> {
  const a = await env.platform.services.accounts.create(merchant.ctx, { name, type });
  return { id: a.id, appid: a.appid, appsecret: a.appsecret, originalId: a.originalId, token: a.token, encodingAESKey: a.encodingAESKey, type };
}

let phoneCounter = 0;
export async function createConsumer(env: TestEnv, nickname?: string): Promise<TestConsumer> {
  const phone = `139${String(process.pid % 10000).padStart(4, '0')}${String(++phoneCounter).padStart(4, '0')}`;
  const password = 'consumer-pass-1';
  const res = await env.platform.services.identity.signUpConsumer(makeContext({ kind: 'anonymous' }), { phone, password, nickname });
  return { id: res.consumer.id, phone, password, token: res.session.token, ctx: makeContext({ kind: 'consumer', consumerId: res.consumer.id }), headers: bearer('consumer', res.session.token) };
}

/** A fresh access_token for an account through the real `/cgi-bin/token` route. */
export async function accessToken(env: TestEnv, account: TestAccount): Promise<string> {
  const res = await env.app.inject({ method: 'GET', url: `/cgi-bin/token?grant_type=client_credential&appid=${account.appid}&secret=${account.appsecret}` });
  const body = res.json() as { access_token?: string };
  assert.ok(body.access_token, `token failed: ${res.body}`);
  return body.access_token;
}

/** The consumer follows the account; returns their openid for it. */
export async function follow(env: TestEnv, consumer: TestConsumer, account: TestAccount, input: { scene?: 'ADD_SCENE_SEARCH' | 'ADD_SCENE_QR_CODE'; qrScene?: bigint; qrSceneStr?: string } = {}): Promise<string> {
  const res = await env.platform.services.conversations.follow(consumer.ctx, account.id, { scene: input.scene ?? 'ADD_SCENE_SEARCH', qrScene: input.qrScene ?? null, qrSceneStr: input.qrSceneStr ?? null });
  return res.openid;
}

/** POST JSON to an OA API path with an access_token. */
export async function wxPost(env: TestEnv, path: string, token: string, body: unknown) {
  const res = await env.app.inject({ method: 'POST', url: `${path}${path.includes('?') ? '&' : '?'}access_token=${token}`, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  assert.equal(res.statusCode, 200, `OA API answers HTTP 200 (got ${res.statusCode})`);
  return res.json() as Record<string, unknown> & { errcode?: number; errmsg?: string };
}

export async function wxGet(env: TestEnv, path: string, token: string) {
  const res = await env.app.inject({ method: 'GET', url: `${path}${path.includes('?') ? '&' : '?'}access_token=${token}` });
  assert.equal(res.statusCode, 200);
  return res.json() as Record<string, unknown> & { errcode?: number; errmsg?: string };
}
