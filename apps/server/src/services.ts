import type { Config } from './config.ts';
import type { Db } from './platform/database.ts';
import type { OutboxWorker } from './platform/outbox.ts';
import type { RealtimeHub } from './platform/realtime.ts';
import type { CacheBus } from './platform/cache.ts';
import { createAccountsService } from './modules/accounts/service.ts';
import { createAnalyticsService } from './modules/analytics/service.ts';
import { createChartsService } from './modules/analytics/charts.ts';
import { createTokenService } from './modules/accounts/tokens.ts';
import { createFollowersService } from './modules/followers/service.ts';
import { createBlacklistService } from './modules/tags/blacklist.ts';
import { createAccountScope } from './modules/tags/model.ts';
import { createTagsService } from './modules/tags/service.ts';
import { createOaUsersService } from './modules/tags/users.ts';
import { createIdentityService } from './modules/identity/service.ts';
import { createTeamService } from './modules/identity/team.ts';
import { createConversationService } from './modules/messaging/service.ts';
import { createMediaService } from './modules/media/service.ts';
import { createMenusService } from './modules/menus/service.ts';
import { createQrcodesService } from './modules/qrcodes/service.ts';
import { createCustomMessageService } from './modules/notifications/cs.ts';
import { createInboxService } from './modules/inbox/service.ts';
import { createQuickRepliesService } from './modules/inbox/quick-replies.ts';
import { createFollowerCrmService } from './modules/followers/crm.ts';
import { createMassService } from './modules/notifications/mass.ts';
import { createMassJobHandler } from './modules/notifications/mass-runner.ts';
import { createTemplateService } from './modules/notifications/templates.ts';
import { createBroadcastConsole } from './modules/notifications/console.ts';
import { createJssdkService } from './modules/jssdk/service.ts';
import { createOAuthService } from './modules/oauth/service.ts';
import { createSnsService } from './modules/oauth/sns.ts';
import { createSocialService } from './modules/social/service.ts';
import { createPayMerchantsService } from './modules/paymerchants/service.ts';
import { createShareService } from './modules/social/share.ts';
import { createLedgerService } from './modules/ledger/service.ts';
import { createWalletService } from './modules/wallet/service.ts';
import { createPaymentsService } from './modules/payments/service.ts';
import { createPayerService } from './modules/payments/pay.ts';
import { createPayMethodsService } from './modules/payments/methods.ts';
import { createPayCodesService } from './modules/payments/paycodes.ts';
import { createMicropayService } from './modules/payments/micropay.ts';
import { createPayNotifyHandler } from './modules/payments/notify.ts';
import { createRefundsService } from './modules/refunds/service.ts';
import { createSettlementService } from './modules/settlement/service.ts';
import { createPayoutsService } from './modules/settlement/payouts.ts';
import { createBillsService } from './modules/bills/service.ts';
import { createRefundCompleteHandler } from './modules/refunds/complete.ts';
import { createRefundNotifyV2Handler, createRefundNotifyV3Handler } from './modules/refunds/notify.ts';
import { createPayNotifyV2Handler } from './wire/wechatpay/notify-v2.ts';
import { createApiKeysService } from './modules/merchantapi/keys.ts';
import { createIdempotencyStore } from './modules/merchantapi/idempotency.ts';
import { createMerchantPayService } from './modules/merchantapi/orders.ts';
import { createWebhooksService } from './modules/webhooks/service.ts';
import { createWebhookDeliveryHandler, createWebhookFanoutHandler } from './modules/webhooks/delivery.ts';
import { createInsuranceService } from './modules/insurance/service.ts';
import { createDeliveriesService } from './modules/deliveries/service.ts';
import { createPayActivityService } from './modules/payments/activity.ts';
import { createOperatorMerchantsService } from './modules/operator/merchants.ts';
import { createOperatorOverviewService } from './modules/operator/overview.ts';
import { createAccountReportsService } from './modules/operator/reports.ts';
import { systemContext } from './platform/context.ts';
import { createPushHandler, verifyCallbackUrl } from './wire/wechat/push-delivery.ts';

export interface ServiceDeps {
  config: Config;
  db: Db;
  hub: RealtimeHub;
  worker: OutboxWorker;
  caches: CacheBus;
}

/** Every domain service, wired once. Modules call each other through these, never each other's tables. */
export function createServices(deps: ServiceDeps) {
  const { db, hub, worker } = deps;
  const identity = createIdentityService(db, deps.caches, { reviewNewMerchants: deps.config.merchantReview });
  const team = createTeamService(db, identity);
  const accounts = createAccountsService(db, (url, token) => verifyCallbackUrl(url, token), deps.caches);
  const tokens = createTokenService(db, (appid, secret) => accounts.accountBySecret(appid, secret));
  const followers = createFollowersService(db);
  const followerScope = createAccountScope(accounts.ownAccount);
  const tags = createTagsService({ db, followers, scope: followerScope });
  const oaUsers = createOaUsersService({ db, followers, tags, scope: followerScope });
  const blacklist = createBlacklistService({ db, followers, scope: followerScope });
  const conversations = createConversationService({ db, hub, accounts, followers, kick: (ids) => worker.kick(ids), isBlacklisted: blacklist.isBlacklisted });
  const analytics = createAnalyticsService(db, accounts);
  const charts = createChartsService(db, accounts);
  const qrcodes = createQrcodesService({ db, publicUrl: deps.config.publicUrl, accounts, conversations });
  const media = createMediaService({ db, publicUrl: deps.config.publicUrl });
  const menus = createMenusService({
    db,
    accounts,
    followers,
    conversations,
    tagsOf: async (accountId, openid) => (await tags.tagIdsOf(db, accountId, [openid])).get(openid) ?? [],
    requireTag: (ctx, accountId, tagId) => tags.get(ctx, accountId, tagId),
  });
  // Merchant → consumer messages: customer service, templates, mass (modules/notifications).
  const notify = { db, hub, accounts, followers, requireOwnMedia: media.requireOwnMedia, kick: (ids: readonly (bigint | undefined)[]) => worker.kick(ids) };
  const customMessages = createCustomMessageService(notify);
  // The console's customer-service inbox and followers CRM (issue 6).
  const inbox = createInboxService({ db, accounts, followers, customMessages });
  const quickReplies = createQuickRepliesService(db);
  const followerCrm = createFollowerCrmService({ db, accounts, tags, oaUsers, blacklist });
  const templates = createTemplateService(notify);
  const mass = createMassService({ ...notify, tags });
  const broadcastConsole = createBroadcastConsole({ db, accounts, tags, templates, mass, media });
  const jssdk = createJssdkService({ db, findByAppId: accounts.findByAppId });
  // OAuth2 web login: the consumer's side (authorize, consent) and the merchant server's (/sns/*).
  const oauth = createOAuthService({ db, accounts });
  const sns = createSnsService({ db, accounts, followers, identity, publicUrl: deps.config.publicUrl });
  // Person-to-person: friends, 1:1 threads, sharing accounts and pages with referral attribution.
  const social = createSocialService({ db, hub, accounts });
  const share = createShareService({ db, social, follow: conversations.follow });
  // Money: the insert-only double-entry ledger (ADR 0004) and the consumer wallet on it.
  const ledger = createLedgerService(db);
  const wallet = createWalletService({ db, ledger });
  // Pay: merchant pay accounts (mch_id, API keys, platform signing keys).
  const payMerchants = createPayMerchantsService({ db, accounts });
  // Pay orders: the merchant's side (v3 wire) and the payer's (pay sheet, wallet + PIN).
  const payments = createPaymentsService({ db, accounts, followers });
  const payer = createPayerService({ db, hub, ledger, wallet, followers, accounts });
  // Pay methods: JSAPI paySign, Native / H5 codes, payment codes (consumer) and micropay / reverse (merchant).
  const payMethods = createPayMethodsService({ db, hub, ledger, wallet, followers, accounts, payMerchants });
  const payCodes = createPayCodesService({ db, hub, ledger, wallet, accounts });
  const micropay = createMicropayService({ db, hub, ledger, accounts, followers });
  // Refunds: accepted with the order locked, completed by an outbox job (modules/refunds).
  const refunds = createRefundsService({ db, ledger, kick: (ids) => worker.kick(ids) });
  // Settlement (pending → available less the fee), payouts of available balance, and trade bills.
  const settlement = createSettlementService({ db, ledger, defaultDelay: deps.config.settlementDelay });
  const payouts = createPayoutsService({ db, ledger });
  const bills = createBillsService({ db, settlement });
  // Our own merchant JSON pay API: API keys, Idempotency-Key replay, signed webhooks, insured shares.
  const insurance = createInsuranceService({ db });
  const apiKeys = createApiKeysService(db);
  const idempotency = createIdempotencyStore(db);
  const webhooks = createWebhooksService({ db });
  const merchantPay = createMerchantPayService({ db, payMerchants, payments, accounts, followers, insurance, refunds, publicUrl: deps.config.publicUrl });
  // Console reads: the delivery log (with resends) and an order's ledger movements.
  const deliveries = createDeliveriesService({ db, kick: (ids) => worker.kick(ids) });
  const payActivity = createPayActivityService({ db });
  // Operator admin (issue 6): organisation review and suspension, the platform overview, account reports.
  const operatorMerchants = createOperatorMerchantsService({ db, caches: deps.caches });
  const operatorOverview = createOperatorOverviewService({ db, ledger, workerEnabled: deps.config.outboxWorker });
  const accountReports = createAccountReportsService({ db, merchants: operatorMerchants });
  return { operatorMerchants, operatorOverview, accountReports, inbox, quickReplies, followerCrm, deliveries, payActivity, apiKeys, idempotency, merchantPay, webhooks, insurance, ledger, wallet, payMerchants, payments, payer, payMethods, payCodes, micropay, refunds, settlement, payouts, bills, social, share, oauth, sns, identity, team, accounts, tokens, followers, conversations, analytics, charts, qrcodes, media, tags, oaUsers, blacklist, menus, customMessages, templates, mass, broadcastConsole, jssdk };
}

export type Services = ReturnType<typeof createServices>;

export function registerOutboxHandlers(worker: OutboxWorker, services: Services, deps: { db: Db; hub: RealtimeHub }): void {
  worker.register(createPushHandler({ db: deps.db, hub: deps.hub, findAccount: services.accounts.findById }));
  worker.register(createMassJobHandler(services.mass, systemContext()));
  worker.register(createPayNotifyHandler({ db: deps.db, payMerchants: services.payMerchants }));
  worker.register(createWebhookFanoutHandler({ db: deps.db, webhooks: services.webhooks, presentOrder: services.merchantPay.present }));
  worker.register(createWebhookDeliveryHandler({ db: deps.db, webhooks: services.webhooks, presentOrder: services.merchantPay.present }));
  worker.register(createRefundCompleteHandler({ db: deps.db, hub: deps.hub, ledger: services.ledger }));
  worker.register(createRefundNotifyV3Handler({ db: deps.db, payMerchants: services.payMerchants }));
  worker.register(createRefundNotifyV2Handler({ db: deps.db, payMerchants: services.payMerchants }));
  worker.register(createPayNotifyV2Handler({ db: deps.db, payMerchants: services.payMerchants, followers: services.followers }));
}

export function registerRealtimeLoaders(hub: RealtimeHub, services: Services): void {
  hub.registerLoader('message', async (consumerId, ref) => {
    const message = await services.conversations.viewForConsumer(consumerId, ref.id);
    return message ? { type: 'message', message } : undefined;
  });
  hub.registerLoader('dm', async (consumerId, ref) => {
    const message = await services.social.viewForConsumer(consumerId, ref.id);
    return message ? { type: 'dm', message } : undefined;
  });
}
