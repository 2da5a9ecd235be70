import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../app.ts';
import { AppError } from '../../platform/errors.ts';
import { appContext } from './oa-scope.ts';
import { requireAllowedIp } from '../../modules/accounts/ip-allowlist.ts';

const StableTokenBody = z.object({
  grant_type: z.string().optional(),
  appid: z.string().optional(),
  secret: z.string().optional(),
  force_refresh: z.boolean().optional(),
});

/** `GET /cgi-bin/token`, `POST /cgi-bin/stable_token` and `GET /cgi-bin/getcallbackip`. */
export function tokenRoutes(scope: FastifyInstance, platform: Platform): void {
  const { tokens, accounts } = platform.services;
  /** The account's IP allowlist applies before credentials are exchanged (unknown appids fail later, as before). */
  const allowedCaller = async (appid: string | undefined, ip: string) => requireAllowedIp(appid ? ((await accounts.findByAppId(appid))?.ip_allowlist ?? []) : [], ip);
  scope.get('/cgi-bin/token', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.grant_type !== 'client_credential') throw new AppError('invalid_argument', 'invalid grant_type', { wxErrcode: 40002 });
    await allowedCaller(q.appid, req.ip);
    return tokens.clientCredential(q.appid, q.secret);
  });
  scope.post('/cgi-bin/stable_token', async (req) => {
    const body = StableTokenBody.parse(req.body ?? {});
    if (body.grant_type !== 'client_credential') throw new AppError('invalid_argument', 'invalid grant_type', { wxErrcode: 40002 });
    await allowedCaller(body.appid, req.ip);
    return tokens.stable(body.appid, body.secret, body.force_refresh === true);
  });
  // The addresses our pushes come from, so merchants can allowlist them.
  scope.get('/cgi-bin/getcallbackip', async (req) => {
    await appContext(platform, req);
    return { ip_list: ['127.0.0.1'] };
  });
}
