import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';
import { BUTTON_TYPES, consumerButtons } from './model.ts';

const ConsumerLeaf = z.object({ type: z.enum(BUTTON_TYPES), name: z.string(), url: z.string().optional() });
export const ConsumerMenuSchema = z.object({
  menuid: z.string().nullable(),
  button: z.array(z.union([ConsumerLeaf, z.object({ name: z.string(), sub_button: z.array(ConsumerLeaf) })])),
});

export const MenuTapBody = z.object({
  /** `[topIndex]` for a top-level button, `[topIndex, subIndex]` for a sub button. */
  path: z.array(z.number().int().min(0).max(4)).min(1).max(2),
  /** What the consumer scanned (scancode_push / scancode_waitmsg buttons). */
  scanResult: z.string().min(1).max(2048).optional(),
  /** Where the consumer is (location_select buttons). */
  location: z
    .object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      scale: z.number().int().min(1).max(20).default(15),
      label: z.string().max(256).default(''),
      poiname: z.string().max(256).default(''),
    })
    .optional(),
});

const TapResultSchema = z.object({ action: z.enum(['event', 'open_url', 'none']), url: z.string().optional(), outboxIds: z.array(z.string()) });

const Params = z.object({ id: z.string() });

/** The consumer side of custom menus: the menu a consumer sees, and tapping its buttons. */
export function consumerMenuRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { menus, identity } = platform.services;
  const consumer = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'consumer');
  const tags = ['consumer'];

  r.get('/api/v1/accounts/:id/menu', {
    schema: { tags, summary: "The account's custom menu as this consumer sees it", params: Params, response: { 200: ConsumerMenuSchema, 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => {
    const menu = await menus.forConsumer(await consumer(req), req.params.id);
    return menu ? { menuid: String(menu.menuid), button: consumerButtons(menu.buttons) } : { menuid: null, button: [] };
  });

  r.post('/api/v1/accounts/:id/menu/tap', {
    schema: { tags, summary: 'Tap a menu button (pushes its event to the merchant)', params: Params, body: MenuTapBody, response: { 200: TapResultSchema, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 412: ErrorBody } },
  }, async (req) => {
    const res = await menus.tap(await consumer(req), req.params.id, req.body);
    return { action: res.action, ...(res.url !== undefined ? { url: res.url } : {}), outboxIds: res.outboxIds.map(String) };
  });
}
