import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody, Ok } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';
import { BUTTON_TYPES, type StoredMenu } from './model.ts';

const Leaf = z.object({
  type: z.enum(BUTTON_TYPES),
  name: z.string(),
  key: z.string().optional(),
  url: z.string().optional(),
  media_id: z.string().optional(),
  article_id: z.string().optional(),
  appid: z.string().optional(),
  pagepath: z.string().optional(),
});
// A leaf first: an object with a `type` is a leaf (a `sub_button: []` next to it is dropped).
const Button = z.union([Leaf, z.object({ name: z.string(), sub_button: z.array(Leaf) })]);
const Buttons = z.array(Button).describe("WeChat's menu buttons; the limits of menu/create apply (1–3 top buttons, 1–5 sub buttons, name bytes, URLs)");

const DefaultMenu = z.object({ menuid: z.string(), button: z.array(Button), createdAt: z.date() });
const ConditionalMenu = DefaultMenu.extend({
  tagId: z.string().nullable(),
  tagName: z.string().nullable().describe('null when the tag has been deleted since'),
  clientPlatformType: z.string().nullable(),
});
export const MerchantMenusSchema = z.object({
  default: DefaultMenu.nullable().describe('null: no menu (consumers see none)'),
  conditional: z.array(ConditionalMenu).describe('newest first: the order they are matched in'),
  tags: z.array(z.object({ id: z.number(), name: z.string(), count: z.number() })).describe('the tags a conditional menu may target'),
});

const Params = z.object({ id: z.string() });

/** The console's custom-menu editor: the default menu (publish, turn off) and conditional menus by tag. */
export function merchantMenuRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { menus, tags: tagService, identity } = platform.services;
  const merchant = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'merchant');
  const tags = ['merchant menus'];

  async function overview(req: Parameters<typeof contextFor>[1], accountId: string): Promise<z.infer<typeof MerchantMenusSchema>> {
    const ctx = await merchant(req);
    const all = await menus.overview(ctx, accountId);
    const tagList = await tagService.list(ctx, accountId);
    const names = new Map(tagList.map((t) => [String(t.id), t.name]));
    const base = (m: StoredMenu) => ({ menuid: String(m.menuid), button: m.buttons, createdAt: m.createdAt });
    return {
      default: all.default ? base(all.default) : null,
      conditional: all.conditional.map((m) => {
        const tagId = m.matchrule?.tag_id ?? m.matchrule?.group_id ?? null;
        return { ...base(m), tagId, tagName: tagId === null ? null : (names.get(tagId) ?? null), clientPlatformType: m.matchrule?.client_platform_type ?? null };
      }),
      tags: tagList.map((t) => ({ id: t.id, name: t.name, count: t.count })),
    };
  }

  r.get('/api/v1/merchant/accounts/:id/menu', {
    schema: { tags, summary: "The account's default and conditional menus, and the tags menus may target", params: Params, response: { 200: MerchantMenusSchema, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (req) => overview(req, req.params.id));

  r.put('/api/v1/merchant/accounts/:id/menu', {
    schema: { tags, summary: 'Publish the default menu (consumers see it at once; conditional menus stay)', params: Params, body: z.object({ button: Buttons }), response: { 200: MerchantMenusSchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (req) => {
    await menus.create(await merchant(req), req.params.id, req.body);
    return overview(req, req.params.id);
  });

  r.delete('/api/v1/merchant/accounts/:id/menu', {
    schema: { tags, summary: 'Turn the menu off: removes the default and every conditional menu', params: Params, response: { 200: Ok, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (req) => {
    await menus.remove(await merchant(req), req.params.id);
    return { ok: true as const };
  });

  r.post('/api/v1/merchant/accounts/:id/menu/conditional', {
    schema: {
      tags,
      summary: 'Add a conditional menu shown to followers carrying a tag (needs a default menu)',
      params: Params,
      body: z.object({ button: Buttons, tagId: z.number().int().min(0) }),
      response: { 201: z.object({ menuid: z.string() }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 412: ErrorBody },
    },
  }, async (req, reply) => {
    const menuid = await menus.addConditional(await merchant(req), req.params.id, { button: req.body.button, matchrule: { tag_id: String(req.body.tagId) } });
    return reply.status(201).send({ menuid: String(menuid) });
  });

  r.delete('/api/v1/merchant/accounts/:id/menu/conditional/:menuid', {
    schema: { tags, summary: 'Delete a conditional menu', params: z.object({ id: z.string(), menuid: z.string() }), response: { 200: Ok, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (req) => {
    await menus.delConditional(await merchant(req), req.params.id, req.params.menuid);
    return { ok: true as const };
  });
}
