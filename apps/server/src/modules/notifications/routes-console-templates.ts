import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody, Ok } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';

const Template = z.object({ templateId: z.string(), title: z.string(), primaryIndustry: z.string(), deputyIndustry: z.string(), content: z.string().describe('with {{name.DATA}} fields'), example: z.string() });
const LibraryTemplate = z.object({ shortId: z.string(), title: z.string(), primaryIndustry: z.string(), deputyIndustry: z.string(), content: z.string(), example: z.string() });
const Params = z.object({ id: z.string().max(64) });
const TemplateParams = Params.extend({ templateId: z.string().max(64) });
const SendParams = Params.extend({ msgid: z.string().regex(/^\d{1,18}$/) });
const SendStatus = z.enum(['success', 'failed:user block', 'failed: system failed']);
const HttpUrl = z.string().max(1024).regex(/^https?:\/\/\S+$/, 'an http(s) URL');
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** Templates and template messages in the console (permission `broadcast`). */
export function consoleTemplateRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { identity, broadcastConsole: bc } = platform.services;
  const member = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'merchant');
  const tags = ['merchant broadcasts'];
  const base = '/api/v1/merchant/accounts/:id/templates';

  r.get(`${base}/library`, { schema: { tags, summary: "Lianjie's template library (what `api_add_template` copies from)", params: Params, response: { 200: z.array(LibraryTemplate), ...errors } } }, async (req) =>
    (await bc.templates.library(await member(req), req.params.id)).map((t) => ({ ...t })),
  );

  r.get(base, { schema: { tags, summary: "The account's templates", params: Params, response: { 200: z.array(Template), ...errors } } }, async (req) => bc.templates.list(await member(req), req.params.id));

  r.post(base, {
    schema: {
      tags,
      summary: 'Add a template: from the library by shortId, or written here (title and content with at least one {{name.DATA}} field); at most 25',
      params: Params,
      body: z.union([z.object({ shortId: z.string().max(32) }), z.object({ title: z.string().max(64), content: z.string().max(2000), example: z.string().max(2000).optional() })]),
      response: { 201: Template, ...errors, 412: ErrorBody },
    },
  }, async (req, reply) => reply.status(201).send(await bc.templates.add(await member(req), req.params.id, req.body)));

  r.delete(`${base}/:templateId`, { schema: { tags, summary: 'Delete a template', params: TemplateParams, response: { 200: Ok, ...errors } } }, async (req) => {
    await bc.templates.remove(await member(req), req.params.id, req.params.templateId);
    return { ok: true as const };
  });

  r.post(`${base}/:templateId/send`, {
    schema: {
      tags,
      summary: 'Send a template message to a follower (no 48 h window); the outcome is what TEMPLATESENDJOBFINISH reports',
      params: TemplateParams,
      body: z.object({ openid: z.string().max(64), url: HttpUrl.optional(), data: z.record(z.string().regex(/^\w{1,32}$/), z.string().max(200)) }),
      response: { 201: z.object({ msgid: z.string(), status: SendStatus }), ...errors, 412: ErrorBody, 429: ErrorBody },
    },
  }, async (req, reply) => {
    const data = Object.fromEntries(Object.entries(req.body.data).map(([k, value]) => [k, { value }]));
    const r = await bc.templates.send(await member(req), req.params.id, { touser: req.body.openid, templateId: req.params.templateId, url: req.body.url, data });
    return reply.status(201).send({ msgid: r.msgid.toString(), status: r.status });
  });

  r.get('/api/v1/merchant/accounts/:id/template-sends/:msgid', {
    schema: { tags, summary: 'The outcome of a template message (success, or failed:user block)', params: SendParams, response: { 200: z.object({ msgid: z.string(), openid: z.string(), templateId: z.string(), status: SendStatus, createdAt: z.date() }), ...errors } },
  }, async (req) => {
    const s = await bc.templates.sendStatus(await member(req), req.params.id, BigInt(req.params.msgid));
    return { ...s, msgid: s.msgid.toString() };
  });
}
