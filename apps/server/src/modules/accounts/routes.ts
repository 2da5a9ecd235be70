import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody, Ok } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';

export const AccountSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  originalId: z.string(),
  type: z.enum(['service', 'subscription']),
  avatarUrl: z.string().nullable(),
  description: z.string(),
  appid: z.string(),
  callbackUrl: z.string().nullable(),
  token: z.string(),
  encodingAESKey: z.string(),
  msgMode: z.enum(['plain', 'compatible', 'safe']),
  welcomeMessage: z.string().nullable(),
  webDomain: z.string().nullable().describe('OAuth redirect (web-page) domain: host[:port]'),
  jssdkDomain: z.string().nullable().describe('JS-SDK safe domain: host[:port]'),
  ipAllowlist: z.array(z.string()).describe('addresses allowed to call the OA API (IPv4/IPv6 or IPv4 CIDR); empty allows any'),
  status: z.enum(['active', 'suspended']),
  createdAt: z.date(),
});
export const PublicAccountSchema = z.object({ id: z.string(), name: z.string(), type: z.enum(['service', 'subscription']), avatarUrl: z.string().nullable(), description: z.string(), originalId: z.string(), status: z.enum(['active', 'suspended']).optional() });
const AutoReply = z.object({ id: z.string(), match: z.enum(['exact', 'contains', 'default']), keyword: z.string(), replyText: z.string() });
const Params = z.object({ id: z.string() });

/** Merchant management of official accounts (our JSON API; the console uses these). */
export function accountRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { accounts, identity } = platform.services;
  const merchant = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'merchant');
  const tags = ['merchant accounts'];

  r.get('/api/v1/merchant/accounts', { schema: { tags, response: { 200: z.array(AccountSchema), 401: ErrorBody } } }, async (req) => accounts.list(await merchant(req)));

  r.post('/api/v1/merchant/accounts', {
    schema: { tags, body: z.object({ name: z.string(), type: z.enum(['service', 'subscription']), description: z.string().max(120).optional(), avatarUrl: z.string().url().nullable().optional() }), response: { 201: AccountSchema.extend({ appsecret: z.string() }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } },
  }, async (req, reply) => reply.status(201).send(await accounts.create(await merchant(req), req.body)));

  r.get('/api/v1/merchant/accounts/:id', { schema: { tags, params: Params, response: { 200: AccountSchema, 401: ErrorBody, 404: ErrorBody } } }, async (req) => accounts.get(await merchant(req), req.params.id));

  r.patch('/api/v1/merchant/accounts/:id', {
    schema: { tags, params: Params, body: z.object({ name: z.string().optional(), description: z.string().optional(), avatarUrl: z.string().url().nullable().optional(), welcomeMessage: z.string().nullable().optional() }), response: { 200: AccountSchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (req) => accounts.updateProfile(await merchant(req), req.params.id, req.body));

  r.put('/api/v1/merchant/accounts/:id/domains', {
    schema: {
      tags,
      summary: 'Set the web-page (OAuth redirect) and JS-SDK domains: host[:port]; null clears, absent keeps',
      params: Params,
      body: z.object({ webDomain: z.string().max(253).nullable().optional(), jssdkDomain: z.string().max(253).nullable().optional() }),
      response: { 200: AccountSchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (req) => accounts.setDomains(await merchant(req), req.params.id, req.body));

  r.put('/api/v1/merchant/accounts/:id/ip-allowlist', {
    schema: { tags, summary: 'Set the addresses allowed to call the OA API (/cgi-bin/token and every access_token call; others get errcode 40164); [] allows any', params: Params, body: z.object({ ips: z.array(z.string().max(64)).max(200) }), response: { 200: AccountSchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (req) => accounts.setIpAllowlist(await merchant(req), req.params.id, req.body.ips));

  r.post('/api/v1/merchant/accounts/:id/secret/reset', { schema: { tags, params: Params, response: { 200: z.object({ appsecret: z.string() }), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } } }, async (req) =>
    accounts.resetSecret(await merchant(req), req.params.id),
  );

  r.get('/api/v1/merchant/accounts/:id/secret', { schema: { tags, params: Params, response: { 200: z.object({ appsecret: z.string() }), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } } }, async (req) =>
    accounts.revealSecret(await merchant(req), req.params.id),
  );

  r.put('/api/v1/merchant/accounts/:id/callback', {
    schema: { tags, summary: 'Set the server configuration; the URL must pass the echostr check', params: Params, body: z.object({ url: z.string().nullable(), token: z.string(), encodingAESKey: z.string(), mode: z.enum(['plain', 'compatible', 'safe']) }), response: { 200: AccountSchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 412: ErrorBody } },
  }, async (req) => accounts.setCallback(await merchant(req), req.params.id, req.body));

  r.get('/api/v1/merchant/accounts/:id/auto-replies', { schema: { tags, params: Params, response: { 200: z.array(AutoReply), 401: ErrorBody, 404: ErrorBody } } }, async (req) =>
    accounts.listAutoReplies(await merchant(req), req.params.id),
  );

  r.post('/api/v1/merchant/accounts/:id/auto-replies', {
    schema: { tags, params: Params, body: z.object({ match: z.enum(['exact', 'contains', 'default']), keyword: z.string().optional(), replyText: z.string() }), response: { 201: AutoReply, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (req, reply) => reply.status(201).send(await accounts.addAutoReply(await merchant(req), req.params.id, req.body)));

  r.put('/api/v1/merchant/accounts/:id/auto-replies/:ruleId', {
    schema: { tags, summary: 'Change an auto-reply rule (it keeps its place in the matching order)', params: z.object({ id: z.string(), ruleId: z.string() }), body: z.object({ match: z.enum(['exact', 'contains', 'default']), keyword: z.string().optional(), replyText: z.string() }), response: { 200: AutoReply, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (req) => accounts.updateAutoReply(await merchant(req), req.params.id, req.params.ruleId, req.body));

  r.delete('/api/v1/merchant/accounts/:id/auto-replies/:ruleId', {
    schema: { tags, params: z.object({ id: z.string(), ruleId: z.string() }), response: { 200: Ok, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (req) => {
    await accounts.deleteAutoReply(await merchant(req), req.params.id, req.params.ruleId);
    return { ok: true as const };
  });
}
