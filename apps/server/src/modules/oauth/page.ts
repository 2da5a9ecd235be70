import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../platform/errors.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * An authorize failure as a page a person can read in the browser (HTTP 400), or as our JSON error
 * when the caller asks for JSON. WeChat's page shows its number too (e.g. 10003 for redirect_uri).
 */
export function sendAuthorizeError(req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  if (!isAppError(err)) throw err;
  const status = err.code === 'invalid_argument' || err.code === 'not_found' ? 400 : 500;
  if ((req.headers.accept ?? '').includes('application/json')) {
    return reply.status(status).send({ error: { code: err.code, message: err.message, details: { errcode: err.wxErrcode } } });
  }
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Authorization failed · Lianjie</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}h1{font-size:1.3rem}code{background:#f3f3f3;padding:0 .2em}</style></head>
<body><main role="alert"><h1>Authorization failed</h1><p>${escapeHtml(err.message)}</p><p>Error <code>${err.wxErrcode}</code></p>
<p>The page that sent you here asked for a login this official account cannot give. Close it and tell the merchant.</p></main></body></html>`;
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}
