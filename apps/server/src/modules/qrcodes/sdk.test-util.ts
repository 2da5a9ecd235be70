import WechatAPI from 'wechat-api';
import type { TestEnv } from '../../testing/harness.ts';
import type { TestAccount } from '../../testing/factories.ts';

/** The unmodified community SDK pointed at the in-process server. */
export function sdkFor(env: TestEnv, account: TestAccount): WechatAPI {
  const api = new WechatAPI(account.appid, account.appsecret);
  api.endpoint = env.baseUrl;
  api.mpPrefix = `${env.baseUrl}/cgi-bin/`;
  api.fileServerPrefix = `${env.baseUrl}/cgi-bin/`;
  return api;
}

export type SdkError = Error & { code?: number };

/** Promisifies one callback-style SDK call. */
export function call<T>(fn: (cb: (err: SdkError | null, result: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result))));
}

/** The errcode an SDK call failed with (fails the test if it succeeded). */
export async function errcodeOf(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
  } catch (err) {
    return (err as SdkError).code;
  }
  throw new Error('the call was expected to fail');
}
