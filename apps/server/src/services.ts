import type { Config } from './config.ts';
import type { Db } from './platform/database.ts';
import type { OutboxWorker } from './platform/outbox.ts';
import type { RealtimeHub } from './platform/realtime.ts';
import { createAccountsService } from './modules/accounts/service.ts';
import { createTokenService } from './modules/accounts/tokens.ts';
import { createFollowersService } from './modules/followers/service.ts';
import { createIdentityService } from './modules/identity/service.ts';
import { createConversationService } from './modules/messaging/service.ts';
import { createPushHandler, verifyCallbackUrl } from './wire/wechat/push-delivery.ts';

export interface ServiceDeps {
  config: Config;
  db: Db;
  hub: RealtimeHub;
  worker: OutboxWorker;
  fetch?: typeof fetch;
}

/** Every domain service, wired once. Modules call each other through these, never each other's tables. */
export function createServices(deps: ServiceDeps) {
  const { db, hub, worker } = deps;
  const identity = createIdentityService(db);
  const accounts = createAccountsService(db, (url, token) => verifyCallbackUrl(url, token, deps.fetch));
  const tokens = createTokenService(db, accounts.findByAppId);
  const followers = createFollowersService(db);
  const conversations = createConversationService({ db, hub, accounts, followers, kick: (ids) => worker.kick(ids) });
  return { identity, accounts, tokens, followers, conversations };
}

export type Services = ReturnType<typeof createServices>;

export function registerOutboxHandlers(worker: OutboxWorker, services: Services, deps: { db: Db; hub: RealtimeHub; fetch?: typeof fetch }): void {
  worker.register(createPushHandler({ db: deps.db, hub: deps.hub, findAccount: services.accounts.findById, ...(deps.fetch ? { fetch: deps.fetch } : {}) }));
}

export function registerRealtimeLoaders(hub: RealtimeHub, services: Services): void {
  hub.registerLoader('message', async (consumerId, ref) => {
    const message = await services.conversations.viewForConsumer(consumerId, ref.id);
    return message ? { type: 'message', message } : undefined;
  });
}
