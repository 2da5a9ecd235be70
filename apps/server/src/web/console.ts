import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build` puts the merchant console (Vite `base: '/console/'`). */
export const CONSOLE_DIST = fileURLToPath(new URL('../../../console/dist', import.meta.url));

const isConsolePath = (url: string) => url === '/console' || url.startsWith('/console/') || url.startsWith('/console?');

/** Serves the built merchant console at `/console/` (assets long-cached, index.html never). */
export async function registerConsole(app: FastifyInstance): Promise<void> {
  if (!existsSync(CONSOLE_DIST)) {
    app.get('/console/', async (_req, reply) =>
      reply.type('text/html; charset=utf-8').send('<!doctype html><title>Lianjie console</title><p>The merchant console is not built: run <code>npm run build</code>.</p>'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: CONSOLE_DIST,
    prefix: '/console/',
    wildcard: false,
    index: ['index.html'],
    decorateReply: false, // the client's registration owns reply.sendFile
    setHeaders: (res, filePath) => {
      res.header('cache-control', filePath.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}

/** Console routes (e.g. `/console/accounts/acc_…/settings`) answer with the console's index.html. */
export function serveConsoleIndex(req: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  if (req.method !== 'GET' || !isConsolePath(req.url) || !existsSync(CONSOLE_DIST)) return undefined;
  if (req.url.startsWith('/console/assets/')) return undefined;
  return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(createReadStream(join(CONSOLE_DIST, 'index.html')));
}
