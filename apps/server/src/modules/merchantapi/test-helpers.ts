import assert from 'node:assert/strict';
import type { TestEnv } from '../../testing/harness.ts';
import { createAccount, createMerchant, type TestMerchant } from '../../testing/factories.ts';

/** Test helpers of the merchant JSON pay API (used by merchantapi, webhooks and insurance tests). */

export interface ApiMerchant {
  m: TestMerchant;
  appid: string;
  mchId: string;
  key: string;
  /** `Authorization: Bearer lj_sk_…` */
  auth: Record<string, string>;
}

export interface JsonResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  raw: string;
  body: Record<string, unknown> & { error?: { code: string; message: string; details?: { reason?: string } } };
}

export async function call(e: TestEnv, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string>, body?: unknown): Promise<JsonResponse> {
  const res = await e.app.inject({ method, url, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
  return { status: res.statusCode, headers: res.headers, raw: res.body, body: res.body ? (JSON.parse(res.body) as JsonResponse['body']) : {} };
}

/** A merchant with an official account, a pay account and an API key made through the API. */
export async function createApiMerchant(e: TestEnv): Promise<ApiMerchant> {
  const m = await createMerchant(e);
  const account = await createAccount(e, m);
  const pay = await e.platform.services.payMerchants.create(m.ctx, { appid: account.appid });
  const res = await call(e, 'POST', '/api/v1/merchant/api-keys', m.headers, { name: 'server' });
  assert.equal(res.status, 201, res.raw);
  const key = String(res.body.key);
  return { m, appid: account.appid, mchId: pay.mchId, key, auth: { authorization: `Bearer ${key}` } };
}

export const orderCount = async (e: TestEnv, mchId: string) =>
  Number((await e.platform.handle.db.selectFrom('pay_orders').select((eb) => eb.fn.countAll<string>().as('n')).where('mch_id', '=', mchId).executeTakeFirstOrThrow()).n);
