import type { FastifyInstance } from 'fastify';
import type { Platform } from './app.ts';
import { accountRoutes } from './modules/accounts/routes.ts';
import { analyticsRoutes } from './modules/analytics/routes.ts';
import { identityRoutes } from './modules/identity/routes.ts';
import { teamRoutes } from './modules/identity/routes-team.ts';
import { conversationRoutes } from './modules/messaging/routes.ts';
import { inboxRoutes } from './modules/inbox/routes.ts';
import { followerConsoleRoutes } from './modules/followers/routes-console.ts';
import { mediaRoutes } from './modules/media/routes.ts';
import { consumerMenuRoutes } from './modules/menus/routes.ts';
import { merchantMenuRoutes } from './modules/menus/routes-merchant.ts';
import { qrcodeRoutes } from './modules/qrcodes/routes.ts';
import { simulatorRoutes } from './modules/simulator/routes.ts';
import { oauthRoutes } from './modules/oauth/routes.ts';
import { snsRoutes } from './wire/wechat/routes-sns.ts';
import { registerOaScope, type OaRoutes } from './wire/wechat/oa-scope.ts';
import { tokenRoutes } from './wire/wechat/routes-token.ts';
import { userRoutes } from './wire/wechat/routes-users.ts';
import { mediaRoutes as oaMediaRoutes } from './wire/wechat/routes-media.ts';
import { qrcodeRoutes as oaQrcodeRoutes } from './wire/wechat/routes-qrcode.ts';
import { datacubeRoutes } from './wire/wechat/routes-datacube.ts';
import { menuRoutes } from './wire/wechat/routes-menu.ts';
import { messageRoutes } from './wire/wechat/routes-message.ts';
import { ticketRoutes } from './wire/wechat/routes-ticket.ts';
import { jssdkRoutes } from './modules/jssdk/routes.ts';
import { socialRoutes } from './modules/social/routes.ts';
import { walletRoutes } from './modules/wallet/routes.ts';
import { registerPayV3Scope, type PayV3Routes } from './wire/wechatpay/v3-scope.ts';
import { certificateRoutes } from './wire/wechatpay/routes-v3-certificates.ts';
import { transactionRoutes } from './wire/wechatpay/routes-v3-transactions.ts';
import { refundRoutes } from './wire/wechatpay/routes-v3-refunds.ts';
import { billRoutes } from './wire/wechatpay/routes-v3-bills.ts';
import { settlementRoutes } from './modules/settlement/routes.ts';
import { operatorRoutes } from './modules/operator/routes.ts';
import { paymentRoutes } from './modules/payments/routes.ts';
import { payMerchantRoutes } from './modules/paymerchants/routes.ts';
import { apiKeyRoutes } from './modules/merchantapi/routes-keys.ts';
import { merchantPayRoutes } from './modules/merchantapi/routes-orders.ts';
import { webhookRoutes } from './modules/webhooks/routes.ts';
import { consolePayRoutes } from './modules/merchantapi/routes-console.ts';
import { deliveryRoutes } from './modules/deliveries/routes.ts';
import { insuranceRoutes } from './modules/insurance/routes.ts';
import { payMethodRoutes } from './modules/payments/routes-methods.ts';
import { consoleTemplateRoutes } from './modules/notifications/routes-console-templates.ts';
import { consoleBroadcastRoutes } from './modules/notifications/routes-console-broadcasts.ts';
import { registerPayV2Scope, type PayV2Routes } from './wire/wechatpay/v2-scope.ts';
import { orderRoutesV2 } from './wire/wechatpay/routes-v2-orders.ts';
import { micropayRoutesV2 } from './wire/wechatpay/routes-v2-micropay.ts';
import { refundRoutesV2 } from './wire/wechatpay/routes-v2-refunds.ts';
import { billRoutesV2 } from './wire/wechatpay/routes-v2-bills.ts';

/** The WeChat OA wire: one list, each entry a thin adapter over the modules. */
const OA_ROUTES: readonly OaRoutes[] = [tokenRoutes, datacubeRoutes, oaQrcodeRoutes, oaMediaRoutes, userRoutes, menuRoutes, messageRoutes, ticketRoutes, snsRoutes];

/** The WeChat Pay v3 wire (`/v3/*`): signed requests and responses, `{code, message}` errors. */
const PAY_V3_ROUTES: readonly PayV3Routes[] = [certificateRoutes, transactionRoutes, refundRoutes, billRoutes];

/** The WeChat Pay v2 wire (`/pay/*`, `/secapi/pay/*`): signed XML in and out. */
const PAY_V2_ROUTES: readonly PayV2Routes[] = [orderRoutesV2, micropayRoutesV2, refundRoutesV2, billRoutesV2];

export async function registerRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  identityRoutes(app, platform);
  teamRoutes(app, platform);
  accountRoutes(app, platform);
  analyticsRoutes(app, platform);
  conversationRoutes(app, platform);
  inboxRoutes(app, platform);
  followerConsoleRoutes(app, platform);
  consumerMenuRoutes(app, platform);
  merchantMenuRoutes(app, platform);
  qrcodeRoutes(app, platform);
  mediaRoutes(app, platform);
  simulatorRoutes(app, platform);
  oauthRoutes(app, platform);
  jssdkRoutes(app, platform);
  socialRoutes(app, platform);
  walletRoutes(app, platform);
  paymentRoutes(app, platform);
  payMerchantRoutes(app, platform);
  apiKeyRoutes(app, platform);
  merchantPayRoutes(app, platform);
  webhookRoutes(app, platform);
  consolePayRoutes(app, platform);
  deliveryRoutes(app, platform);
  insuranceRoutes(app, platform);
  settlementRoutes(app, platform);
  operatorRoutes(app, platform);
  payMethodRoutes(app, platform);
  consoleTemplateRoutes(app, platform);
  consoleBroadcastRoutes(app, platform);
  await registerOaScope(app, platform, OA_ROUTES);
  await registerPayV3Scope(app, platform, PAY_V3_ROUTES);
  await registerPayV2Scope(app, platform, PAY_V2_ROUTES);
}
