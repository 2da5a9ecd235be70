import type { FastifyInstance } from 'fastify';
import type { Platform } from './app.ts';
import { accountRoutes } from './modules/accounts/routes.ts';
import { identityRoutes } from './modules/identity/routes.ts';
import { conversationRoutes } from './modules/messaging/routes.ts';
import { registerOaScope, type OaRoutes } from './wire/wechat/oa-scope.ts';
import { tokenRoutes } from './wire/wechat/routes-token.ts';

/** The WeChat OA wire: one list, each entry a thin adapter over the modules. */
const OA_ROUTES: readonly OaRoutes[] = [tokenRoutes];

export async function registerRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  identityRoutes(app, platform);
  accountRoutes(app, platform);
  conversationRoutes(app, platform);
  await registerOaScope(app, platform, OA_ROUTES);
}
