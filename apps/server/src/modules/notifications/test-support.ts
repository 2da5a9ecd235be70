// Test support for the notifications suites: a merchant server stub and thread/event readers (the
// SDK client and the tenant come from testing/wechat-sdk.ts).
import type { TestEnv } from '../../testing/harness.ts';
import type { TestConsumer } from '../../testing/factories.ts';
import type { Tenant } from '../../testing/wechat-sdk.ts';
import { startMerchantStub, type MerchantStub } from '../../testing/merchant-stub.ts';
import { xmlText } from '../../wire/wechat/xml.ts';
import type { MessageView } from '../messaging/model.ts';

export { call, errcodeOf, sdkFor, tenantWithFollowers as tenant, type Tenant } from '../../testing/wechat-sdk.ts';

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
