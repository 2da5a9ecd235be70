import type {} from '@fastify/cookie';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import type { IdentityService } from '../modules/identity/service.ts';
import type { SessionKind } from '../modules/identity/tables.ts';
import { makeContext, type RequestContext } from './context.ts';
import { AppError, HTTP_STATUS, isAppError, type ErrorCode } from './errors.ts';

/** Session cookies, one per kind so a person can be a consumer and a merchant in one browser. */
export const SESSION_COOKIE: Record<SessionKind, string> = { consumer: 'lj_c', merchant: 'lj_m', operator: 'lj_o' };

export function setSessionCookie(reply: FastifyReply, kind: SessionKind, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE[kind], token, { path: '/', httpOnly: true, sameSite: 'lax', expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply, kind: SessionKind): void {
  reply.clearCookie(SESSION_COOKIE[kind], { path: '/' });
}

/** The session token of a kind from its cookie or an `Authorization: Bearer` header (CLI, SDK). */
export function sessionToken(req: FastifyRequest, kind: SessionKind): string | undefined {
  const cookie = req.cookies[SESSION_COOKIE[kind]];
  if (cookie) return cookie;
  const auth = req.headers.authorization;
  const header = req.headers['x-lianjie-session-kind'];
  if (auth?.startsWith('Bearer ') && (header === undefined || header === kind)) return auth.slice(7);
  return undefined;
}

/** Resolves the caller of a kind, or throws unauthenticated. */
export async function contextFor(identity: IdentityService, req: FastifyRequest, kind: SessionKind): Promise<RequestContext> {
  const token = sessionToken(req, kind);
  const actor = token ? await identity.resolveSession(kind, token) : undefined;
  if (!actor) throw new AppError('unauthenticated', `sign in as ${kind === 'consumer' ? 'a consumer' : `an ${kind}`} first`);
  return makeContext(actor, req.id);
}

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** Maps any error to our API's typed error body; used once, for every /api route. */
export function toApiError(err: unknown): { status: number; body: ApiErrorBody } {
  if (isAppError(err)) {
    return { status: HTTP_STATUS[err.code], body: { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } } };
  }
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return { status: 400, body: { error: { code: 'invalid_argument', message: issues.map((i) => `${i.path || 'body'}: ${i.message}`).join('; '), details: { issues } } } };
  }
  const fe = err as FastifyError & { validation?: unknown };
  if (fe.validation || fe.code === 'FST_ERR_VALIDATION') {
    return { status: 400, body: { error: { code: 'invalid_argument', message: fe.message } } };
  }
  if (fe.statusCode === 413 || fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, body: { error: { code: 'payload_too_large', message: 'request body too large' } } };
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { error: { code: fe.statusCode === 404 ? 'not_found' : 'invalid_argument', message: fe.message } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal error' } } };
}
