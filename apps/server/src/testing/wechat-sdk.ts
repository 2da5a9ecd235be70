// The unmodified community SDK `wechat-api`, pointed at an in-process test server, and the tenant
// most OA suites start from: a merchant with an account followed by fresh consumers.
import WechatAPI from 'wechat-api';
import type { AccountType } from '../modules/accounts/tables.ts';
import { accessToken, createAccount, createConsumer, createMerchant, follow, type TestAccount, type TestConsumer, type TestMerchant } from './factories.ts';
import type { TestEnv } from './harness.ts';

/** Only the base URL changes: the SDK is used as merchants use it. */
export function sdkFor(env: TestEnv, account: TestAccount): WechatAPI {
  const api = new WechatAPI(account.appid, account.appsecret);
  api.endpoint = env.baseUrl;
  api.mpPrefix = `${env.baseUrl}/cgi-bin/`;
  api.fileServerPrefix = `${env.baseUrl}/cgi-bin/`;
  return api;
}

export type SdkError = Error & { code?: number };

/** Runs a callback-style SDK call as a promise. */
export const call = <T>(fn: (cb: (err: SdkError | null, result: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result))));

/** The WeChat errcode an SDK call failed with, or undefined when it succeeded. */
export async function errcodeOf(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    const code = (err as SdkError).code;
    if (typeof code !== 'number') throw err;
    return code;
  }
}

export interface Tenant {
  merchant: TestMerchant;
  account: TestAccount;
  api: WechatAPI;
  token: string;
  consumers: TestConsumer[];
  /** The consumers' openids for `account`, in creation order. */
  openids: string[];
}

/** A merchant with one account followed (by search) by `followers` fresh consumers. */
export async function tenantWithFollowers(env: TestEnv, followers: number, type: AccountType = 'service'): Promise<Tenant> {
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
