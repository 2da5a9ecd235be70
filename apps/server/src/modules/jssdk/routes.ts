import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';

/** The script merchant pages include, read once: plain ES5, served as is. */
const JWEIXIN_JS = readFileSync(new URL('./public/jweixin.js', import.meta.url), 'utf8');

const VerifyBody = z.object({
  appId: z.string().min(1).max(64),
  url: z.string().min(1).max(4096),
  timestamp: z.union([z.string().max(20), z.number().int().nonnegative()]).transform(String),
  nonceStr: z.string().min(1).max(64),
  signature: z.string().min(1).max(128),
  jsApiList: z.array(z.string().max(64)).max(100).default([]),
});

const Verified = z.object({ ok: z.literal(true), jsApiList: z.array(z.string()) });

/** The JS-SDK: the script (`/jssdk/jweixin-1.6.0.js`) and the web view's `wx.config` check. */
export function jssdkRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { jssdk, identity } = platform.services;

  r.post('/api/v1/jssdk/verify', {
    schema: {
      tags: ['consumer'],
      summary: "Checks a web page's wx.config signature for the signed-in consumer's web view; grants the supported subset of jsApiList",
      description: 'Refusals carry `details.errMsg` as WeChat names them: `config:invalid signature`, `config:invalid url domain`, `config:invalid appid`.',
      body: VerifyBody,
      response: { 200: Verified, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (req) => jssdk.verify(await contextFor(identity, req, 'consumer'), req.body));

  for (const path of ['/jssdk/jweixin-1.6.0.js', '/jssdk/jweixin.js']) {
    app.get(path, { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('application/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('x-content-type-options', 'nosniff')
        .send(JWEIXIN_JS),
    );
  }
}
