import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody, Ok } from '../../platform/api.ts';
import { MEMBER_ROLES, makeContext } from '../../platform/context.ts';
import { clearSessionCookie, contextFor, sessionToken, setSessionCookie } from '../../platform/http.ts';

const Consumer = z.object({ id: z.string(), phone: z.string(), nickname: z.string(), avatarUrl: z.string().nullable(), createdAt: z.date() });
const ConsumerSession = z.object({ consumer: Consumer, token: z.string() });
const MerchantUser = z.object({ id: z.string(), orgId: z.string(), email: z.string(), name: z.string(), role: z.enum(MEMBER_ROLES) });

export function identityRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { identity } = platform.services;
  const anon = (id: string) => makeContext({ kind: 'anonymous' }, id);

  r.post('/api/v1/consumer/signup', {
    schema: { tags: ['consumer'], summary: 'Sign up with a phone number', body: z.object({ phone: z.string(), password: z.string(), nickname: z.string().optional() }), response: { 201: ConsumerSession, 400: ErrorBody, 409: ErrorBody } },
  }, async (req, reply) => {
    const { consumer, session } = await identity.signUpConsumer(anon(req.id), req.body);
    setSessionCookie(reply, 'consumer', session.token, session.expiresAt);
    return reply.status(201).send({ consumer, token: session.token });
  });

  r.post('/api/v1/consumer/signin', {
    schema: { tags: ['consumer'], summary: 'Sign in with phone and password', body: z.object({ phone: z.string(), password: z.string() }), response: { 200: ConsumerSession, 401: ErrorBody } },
  }, async (req, reply) => {
    const { consumer, session } = await identity.signInConsumer(anon(req.id), req.body);
    setSessionCookie(reply, 'consumer', session.token, session.expiresAt);
    return { consumer, token: session.token };
  });

  r.post('/api/v1/consumer/signout', { schema: { tags: ['consumer'], response: { 200: Ok } } }, async (req, reply) => {
    const token = sessionToken(req, 'consumer');
    if (token) await identity.signOut(token);
    clearSessionCookie(reply, 'consumer');
    return { ok: true as const };
  });

  r.get('/api/v1/consumer/session', {
    schema: { tags: ['consumer'], summary: 'The signed-in consumer, or null (a probe that never answers 401)', response: { 200: z.object({ consumer: Consumer.nullable() }) } },
  }, async (req) => {
    const token = sessionToken(req, 'consumer');
    const actor = token ? await identity.resolveSession('consumer', token) : undefined;
    return { consumer: actor ? await identity.me(makeContext(actor, req.id)) : null };
  });

  r.get('/api/v1/consumer/me', { schema: { tags: ['consumer'], response: { 200: Consumer, 401: ErrorBody } } }, async (req) =>
    identity.me(await contextFor(identity, req, 'consumer')),
  );

  r.patch('/api/v1/consumer/me', {
    schema: { tags: ['consumer'], body: z.object({ nickname: z.string().optional(), avatarUrl: z.string().url().nullable().optional() }), response: { 200: Consumer, 400: ErrorBody, 401: ErrorBody } },
  }, async (req) => identity.updateProfile(await contextFor(identity, req, 'consumer'), req.body));

  r.post('/api/v1/merchant/signup', {
    schema: {
      tags: ['merchant'],
      summary: 'Register an organisation and its owner',
      body: z.object({ orgName: z.string(), email: z.string(), password: z.string(), name: z.string().default('') }),
      response: { 201: z.object({ org: z.object({ id: z.string(), name: z.string(), status: z.string() }), user: MerchantUser.omit({ orgId: true }), token: z.string() }), 400: ErrorBody, 409: ErrorBody },
    },
  }, async (req, reply) => {
    const res = await identity.signUpMerchant(anon(req.id), req.body);
    setSessionCookie(reply, 'merchant', res.session.token, res.session.expiresAt);
    return reply.status(201).send({ org: res.org, user: res.user, token: res.session.token });
  });

  r.post('/api/v1/merchant/signin', {
    schema: { tags: ['merchant'], body: z.object({ email: z.string(), password: z.string() }), response: { 200: z.object({ user: MerchantUser, token: z.string() }), 401: ErrorBody } },
  }, async (req, reply) => {
    const res = await identity.signInMerchant(anon(req.id), req.body);
    setSessionCookie(reply, 'merchant', res.session.token, res.session.expiresAt);
    return { user: res.user, token: res.session.token };
  });

  r.post('/api/v1/merchant/signout', { schema: { tags: ['merchant'], response: { 200: Ok } } }, async (req, reply) => {
    const token = sessionToken(req, 'merchant');
    if (token) await identity.signOut(token);
    clearSessionCookie(reply, 'merchant');
    return { ok: true as const };
  });

  r.post('/api/v1/operator/signin', {
    schema: { tags: ['operator'], body: z.object({ email: z.string(), password: z.string() }), response: { 200: z.object({ operator: z.object({ id: z.string(), email: z.string() }), token: z.string() }), 401: ErrorBody } },
  }, async (req, reply) => {
    const res = await identity.signInOperator(anon(req.id), req.body);
    setSessionCookie(reply, 'operator', res.session.token, res.session.expiresAt);
    return { operator: res.operator, token: res.session.token };
  });
}
