import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../app.ts';
import { makeContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { invalidActionInfo, type QrSpec } from '../../modules/qrcodes/service.ts';
import { accountIdOf, appContext, wxError } from './oa-scope.ts';

const ACTIONS = {
  QR_SCENE: { permanent: false, str: false },
  QR_STR_SCENE: { permanent: false, str: true },
  QR_LIMIT_SCENE: { permanent: true, str: false },
  QR_LIMIT_STR_SCENE: { permanent: true, str: true },
} as const;

const CreateBody = z.looseObject({
  expire_seconds: z.union([z.number(), z.string().regex(/^\d{1,10}$/).transform(Number)]).optional(),
  action_name: z.unknown().optional(),
  action_info: z.unknown().optional(),
});

/** WeChat's `qrcode/create` body → a code spec (40052 bad action_name, 40053 bad action_info). */
function specOf(body: z.infer<typeof CreateBody>): QrSpec {
  const name = body.action_name;
  if (typeof name !== 'string' || !Object.hasOwn(ACTIONS, name)) throw new AppError('invalid_argument', 'invalid action name', { wxErrcode: 40052 });
  const action = ACTIONS[name as keyof typeof ACTIONS];
  const info = body.action_info as { scene?: { scene_id?: unknown; scene_str?: unknown } } | undefined;
  const scene = info && typeof info === 'object' ? info.scene : undefined;
  if (!scene || typeof scene !== 'object') throw invalidActionInfo('action_info.scene is required');
  const base = { permanent: action.permanent, expireSeconds: action.permanent ? undefined : body.expire_seconds };
  if (action.str) {
    if (typeof scene.scene_str !== 'string') throw invalidActionInfo('scene_str is required');
    return { ...base, sceneStr: scene.scene_str };
  }
  const id = scene.scene_id;
  if (typeof id === 'number' && Number.isSafeInteger(id)) return { ...base, sceneId: BigInt(id) };
  if (typeof id === 'string' && /^\d{1,12}$/.test(id)) return { ...base, sceneId: BigInt(id) };
  throw invalidActionInfo('scene_id must be an integer');
}

/** `POST /cgi-bin/qrcode/create` and the image at `GET /cgi-bin/showqrcode?ticket=` (no token, as WeChat). */
export function qrcodeRoutes(scope: FastifyInstance, platform: Platform): void {
  const { qrcodes } = platform.services;

  scope.post('/cgi-bin/qrcode/create', async (req) => {
    const ctx = await appContext(platform, req);
    const spec = specOf(CreateBody.parse(req.body ?? {}));
    const code = await qrcodes.create(ctx, accountIdOf(ctx), spec);
    return code.expireSeconds === null ? { ticket: code.ticket, url: code.url } : { ticket: code.ticket, expire_seconds: code.expireSeconds, url: code.url };
  });

  scope.get('/cgi-bin/showqrcode', async (req, reply) => {
    const ticket = (req.query as Record<string, string | undefined>).ticket ?? '';
    const png = await qrcodes.image(makeContext({ kind: 'anonymous' }, req.id), ticket);
    // WeChat answers an invalid or expired ticket with HTTP 404.
    if (!png) return reply.status(404).header('content-type', 'application/json').send(JSON.stringify(wxError(40097, 'invalid ticket', req.id)));
    return reply.status(200).header('content-type', 'image/png').header('cache-control', 'public, max-age=300').send(png);
  });
}
