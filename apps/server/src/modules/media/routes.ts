import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { makeContext } from '../../platform/context.ts';
import { contextFor } from '../../platform/http.ts';
import { MEDIA_RULES } from './formats.ts';
import { readUpload } from './read-upload.ts';
import type { MediaContent } from './service.ts';

const UploadedImage = z.object({ mediaId: z.string(), url: z.string(), type: z.literal('image'), contentType: z.string(), size: z.number() });

const sendMedia = (reply: FastifyReply, content: MediaContent) =>
  reply.status(200).header('content-type', content.contentType).header('cache-control', 'private, max-age=86400').header('x-content-type-options', 'nosniff').send(content.bytes);

/** Consumer media: upload an image to send, view media in one's threads; video capability links. */
export function mediaRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { media, identity } = platform.services;
  const tags = ['consumer'];

  r.post('/api/v1/media', {
    schema: {
      tags,
      summary: 'Upload an image (multipart field `media`, at most 10 MB: png, jpeg, gif or bmp) to send as an image message',
      consumes: ['multipart/form-data'],
      response: { 201: UploadedImage, 400: ErrorBody, 401: ErrorBody, 413: ErrorBody },
    },
  }, async (req, reply) => {
    const ctx = await contextFor(identity, req, 'consumer');
    const file = await readUpload(req, MEDIA_RULES.image.maxBytes, ['media', 'file']);
    return reply.status(201).send(await media.uploadConsumerImage(ctx, file));
  });

  r.get('/api/v1/media/:mediaId', {
    schema: { tags, summary: 'The bytes of a media file in one of your threads (or that you uploaded)', params: z.object({ mediaId: z.string() }), response: { 401: ErrorBody, 404: ErrorBody } },
  }, async (req, reply) => sendMedia(reply, await media.getForConsumer(await contextFor(identity, req, 'consumer'), req.params.mediaId)));

  app.get('/media/v/:key', { schema: { hide: true } }, async (req, reply) => {
    const content = await media.byDownloadKey(makeContext({ kind: 'anonymous' }, req.id), (req.params as { key: string }).key);
    if (!content) return reply.status(404).send({ error: { code: 'not_found', message: 'media not found' } });
    return sendMedia(reply, content);
  });
}
