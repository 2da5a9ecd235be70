import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../app.ts';
import { makeContext } from '../../platform/context.ts';
import { wxOk } from './oa-scope.ts';

type Query = Record<string, string | undefined>;

/** OAuth2 web login for the merchant's server: `/sns/oauth2/access_token|refresh_token`, `/sns/userinfo`, `/sns/auth`. */
export function snsRoutes(scope: FastifyInstance, platform: Platform): void {
  const { sns } = platform.services;
  const anon = (id: string) => makeContext({ kind: 'anonymous' }, id);
  scope.get('/sns/oauth2/access_token', async (req) => sns.exchangeCode(anon(req.id), req.query as Query));
  scope.get('/sns/oauth2/refresh_token', async (req) => sns.refresh(anon(req.id), req.query as Query));
  scope.get('/sns/userinfo', async (req) => sns.userinfo(anon(req.id), req.query as Query));
  scope.get('/sns/auth', async (req) => {
    await sns.check(anon(req.id), req.query as Query);
    return wxOk;
  });
}
