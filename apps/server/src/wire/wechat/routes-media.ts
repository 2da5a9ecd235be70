import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../app.ts';
import { MEDIA_RULES, isMediaType } from '../../modules/media/formats.ts';
import { readUpload } from '../../modules/media/read-upload.ts';
import { appContext, toWxError } from './oa-scope.ts';

/**
 * Temporary media: `POST /cgi-bin/media/upload?type=` (multipart field `media`) and
 * `GET /cgi-bin/media/get?media_id=`. `media/get` answers JSON with exactly `application/json`
 * (errors, and `{video_url}` for videos): SDKs compare the Content-Type verbatim to tell JSON
 * from file bytes.
 */
export function mediaRoutes(scope: FastifyInstance, platform: Platform): void {
  const { media } = platform.services;

  scope.post('/cgi-bin/media/upload', async (req) => {
    const ctx = await appContext(platform, req);
    const type = (req.query as Record<string, string | undefined>).type;
    // An unknown type is refused before the body is read.
    const file = isMediaType(type) ? await readUpload(req, MEDIA_RULES[type].maxBytes, ['media']) : undefined;
    return media.uploadTemporary(ctx, type, file);
  });

  scope.get('/cgi-bin/media/get', async (req, reply) => {
    // Sent as bytes: Fastify would append `; charset=utf-8` to a JSON string.
    const json = (body: unknown) => reply.status(200).header('content-type', 'application/json').send(Buffer.from(JSON.stringify(body)));
    try {
      const ctx = await appContext(platform, req);
      const content = await media.getForAccount(ctx, (req.query as Record<string, string | undefined>).media_id);
      if (content.type === 'video') return json({ video_url: media.videoUrl(content) });
      return reply
        .status(200)
        .header('content-type', content.contentType)
        .header('content-disposition', `attachment; filename="${content.filename}"`)
        .header('cache-control', 'no-cache, must-revalidate')
        .send(content.bytes);
    } catch (err) {
      const body = toWxError(err, req.id);
      if (body.errcode === -1) req.log.error({ err }, 'media/get failed');
      return json(body);
    }
  });
}
