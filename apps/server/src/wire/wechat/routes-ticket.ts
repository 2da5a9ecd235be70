import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../app.ts';
import { appContext, wxOk } from './oa-scope.ts';

/** `GET /cgi-bin/ticket/getticket?access_token&type=jsapi|wx_card` (modules/jssdk). */
export function ticketRoutes(scope: FastifyInstance, platform: Platform): void {
  scope.get('/cgi-bin/ticket/getticket', async (req) => {
    const ctx = await appContext(platform, req);
    const q = req.query as Record<string, string | undefined>;
    return { ...wxOk, ...(await platform.services.jssdk.getTicket(ctx, q.type)) };
  });
}
