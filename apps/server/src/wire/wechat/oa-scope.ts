import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import type { Platform } from '../../app.ts';
import { makeContext, type RequestContext } from '../../platform/context.ts';
import { isAppError } from '../../platform/errors.ts';
import { requireAllowedIp } from '../../modules/accounts/ip-allowlist.ts';

/** A WeChat error body: HTTP 200 with errcode/errmsg. */
export interface WxError {
  errcode: number;
  errmsg: string;
}

export const wxOk = { errcode: 0, errmsg: 'ok' } as const;

/** WeChat appends a hint with a request id to errmsg; clients only read errcode. */
export const wxError = (errcode: number, errmsg: string, rid?: string): WxError => ({ errcode, errmsg: rid ? `${errmsg} rid: ${rid}` : errmsg });

export function toWxError(err: unknown, rid: string): WxError {
  if (isAppError(err)) return wxError(err.wxErrcode, err.message, rid);
  if (err instanceof ZodError) {
    const first = err.issues[0];
    return wxError(47001, `data format error${first ? `: ${first.path.join('.') || 'body'} ${first.message}` : ''}`, rid);
  }
  const fe = err as FastifyError;
  if (fe.statusCode === 413 || fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return wxError(47001, 'data format error: request body too large', rid);
  if (fe.statusCode === 415 || fe.statusCode === 400 || err instanceof SyntaxError) return wxError(47001, 'data format error', rid);
  return wxError(-1, 'system error', rid);
}

/** The OA API caller (an access_token of one account), as a request context. */
export async function appContext(platform: Platform, req: FastifyRequest): Promise<RequestContext> {
  const q = req.query as Record<string, string | undefined>;
  const owner = await platform.services.tokens.authenticate(q.access_token);
  requireAllowedIp((await platform.services.accounts.findById(owner.accountId))?.ip_allowlist ?? [], req.ip);
  return makeContext({ kind: 'app', orgId: owner.orgId, accountId: owner.accountId }, req.id);
}

export function accountIdOf(ctx: RequestContext): string {
  if (ctx.actor.kind !== 'app') throw new Error('not an app context');
  return ctx.actor.accountId;
}

/** JSON bodies parsed leniently (any or no Content-Type), as WeChat's servers do. */
function parseJsonBody(_req: FastifyRequest, body: string, done: (err: Error | null, value?: unknown) => void): void {
  if (body.trim() === '') return done(null, {});
  try {
    done(null, JSON.parse(body));
  } catch (err) {
    done(err as Error);
  }
}

/** Paths served by the OA wire: unknown ones get a WeChat error, not our API's. */
export const isOaPath = (url: string) => url.startsWith('/cgi-bin/') || url.startsWith('/datacube/') || url.startsWith('/sns/');

export type OaRoutes = (scope: FastifyInstance, platform: Platform) => void | Promise<void>;

/**
 * The WeChat OA wire (`/cgi-bin/*`, `/datacube/*`): an encapsulated scope whose errors are
 * `{errcode, errmsg}` with HTTP 200, and whose JSON is parsed whatever the Content-Type says.
 * Multipart (media upload) keeps its own parser.
 */
export async function registerOaScope(app: FastifyInstance, platform: Platform, routes: readonly OaRoutes[]): Promise<void> {
  await app.register(async (scope) => {
    scope.removeContentTypeParser(['application/json', 'text/plain']);
    scope.addContentTypeParser(['application/json', 'text/plain', 'text/json', 'application/x-www-form-urlencoded'], { parseAs: 'string' }, parseJsonBody);
    scope.addContentTypeParser('*', { parseAs: 'string' }, parseJsonBody);
    scope.setErrorHandler((err, req, reply: FastifyReply) => {
      const body = toWxError(err, req.id);
      if (body.errcode === -1) req.log.error({ err }, 'OA API call failed');
      return reply.status(200).send(body);
    });
    for (const r of routes) await r(scope, platform);
  });
}
