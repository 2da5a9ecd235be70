import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build` puts the consumer client. */
export const CLIENT_DIST = fileURLToPath(new URL('../../../client/dist', import.meta.url));

/** Paths that belong to the platform's APIs, never to the single-page client. */
const PLATFORM_PREFIXES = ['/api/', '/cgi-bin/', '/sns/', '/datacube/', '/connect/', '/jssdk/', '/q/', '/media/', '/healthz', '/readyz'];

export const isPlatformPath = (url: string) => PLATFORM_PREFIXES.some((p) => url === p.replace(/\/$/, '') || url.startsWith(p));

/** Serves the built consumer client at `/` (assets long-cached, index.html never). */
export async function registerClient(app: FastifyInstance): Promise<void> {
  if (!existsSync(CLIENT_DIST)) {
    app.get('/', async (_req, reply) =>
      reply.type('text/html; charset=utf-8').send('<!doctype html><title>Lianjie</title><p>The consumer client is not built: run <code>npm run build</code> (or <code>npm start</code>, which builds it).</p>'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: CLIENT_DIST,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    setHeaders: (res, filePath) => {
      res.header('cache-control', filePath.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}

/** Client-side routes (e.g. `/chat/acc_…`) answer with the app's index.html. */
export function serveClientIndex(req: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  if (req.method !== 'GET' || isPlatformPath(req.url) || !existsSync(CLIENT_DIST)) return undefined;
  if (!(req.headers.accept ?? '').includes('text/html')) return undefined;
  return reply.header('cache-control', 'no-cache').sendFile('index.html', CLIENT_DIST);
}
