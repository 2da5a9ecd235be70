import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { makeContext } from '../../platform/context.ts';
import { contextFor, sessionToken } from '../../platform/http.ts';
import type { AuthorizeQuery } from './authorize.ts';
import { SHARED_FIELDS } from './service.ts';
import { sendAuthorizeError } from './page.ts';

const Params = z.object({ id: z.string().max(64) });
const Consent = z.object({
  account: z.object({ id: z.string(), name: z.string(), avatarUrl: z.string().nullable(), description: z.string() }),
  scope: z.enum(['snsapi_base', 'snsapi_userinfo']),
  redirectHost: z.string().describe('host[:port] the consumer returns to'),
  fields: z.array(z.enum(SHARED_FIELDS)).describe('profile fields the account will receive'),
});
const Redirect = z.object({ redirect: z.string().describe('where the browser goes next (redirect_uri with code and state, or state only on refusal)') });

/** Client pages the authorize endpoint sends the browser to. */
export const SIGNIN_PATH = '/signin';
export const CONSENT_PATH = '/oauth/consent';

/**
 * `/connect/oauth2/authorize` (WeChat's web login entry: redirects, or an HTML error page) and the
 * consent API the client's consent page calls.
 */
export function oauthRoutes(app: FastifyInstance, platform: Platform): void {
  const { identity, oauth } = platform.services;
  const consumer = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'consumer');

  app.get('/connect/oauth2/authorize', { schema: { hide: true } }, async (req, reply) => {
    const q = req.query as AuthorizeQuery;
    try {
      const { account, checked } = await oauth.check(makeContext({ kind: 'anonymous' }, req.id), q);
      const token = sessionToken(req, 'consumer');
      const actor = token ? await identity.resolveSession('consumer', token) : undefined;
      if (!actor) return reply.redirect(`${SIGNIN_PATH}?next=${encodeURIComponent(req.url)}`, 302);
      const outcome = await oauth.authorize(makeContext(actor, req.id), account, checked);
      reply.header('cache-control', 'no-store');
      if (outcome.kind === 'redirect') return reply.redirect(outcome.location, 302);
      return reply.redirect(`${CONSENT_PATH}?request=${encodeURIComponent(outcome.requestId)}`, 302);
    } catch (err) {
      return sendAuthorizeError(req, reply, err);
    }
  });

  const r = api(app);
  const tags = ['consumer oauth'];
  r.get('/api/v1/oauth/requests/:id', {
    schema: { tags, summary: 'A pending OAuth consent request of the signed-in consumer', params: Params, response: { 200: Consent, 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => oauth.consentView(await consumer(req), req.params.id));

  r.post('/api/v1/oauth/requests/:id/approve', {
    schema: { tags, summary: 'Share the profile with the account; answers the redirect with a code', params: Params, response: { 200: Redirect, 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => ({ redirect: (await oauth.approve(await consumer(req), req.params.id)).redirect }));

  r.post('/api/v1/oauth/requests/:id/deny', {
    schema: { tags, summary: 'Refuse; answers the redirect with the state and no code', params: Params, response: { 200: Redirect, 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => oauth.deny(await consumer(req), req.params.id));

  r.delete('/api/v1/oauth/grants/:accountId', {
    schema: { tags, summary: 'Stop sharing the profile with an account (its web tokens for you stop working)', params: z.object({ accountId: z.string() }), response: { 200: z.object({ ok: z.literal(true) }), 401: ErrorBody } },
  }, async (req) => {
    await oauth.revokeProfile(await consumer(req), req.params.accountId);
    return { ok: true as const };
  });
}
