import type { FastifyRequest } from 'fastify';
import type { IdentityService } from '../identity/service.ts';
import type { RequestContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { contextFor } from '../../platform/http.ts';
import { API_KEY_PREFIX, type ApiKeysService } from './keys.ts';

/**
 * The merchant calling our JSON API: an `Authorization: Bearer lj_sk_…` API key (merchant servers), or
 * else a merchant session (cookie, or Bearer with `x-lianjie-session-kind: merchant`). The `lj_sk_`
 * prefix tells the two apart, so session tokens keep working exactly as before.
 */
export async function merchantCaller(deps: { identity: IdentityService; apiKeys: ApiKeysService }, req: FastifyRequest): Promise<RequestContext> {
  const auth = req.headers.authorization;
  if (auth?.startsWith(`Bearer ${API_KEY_PREFIX}`)) {
    const ctx = await deps.apiKeys.resolve(auth.slice(7).trim(), req.id);
    if (!ctx) throw new AppError('unauthenticated', 'unknown or revoked API key', { details: { reason: 'INVALID_API_KEY' } });
    return ctx;
  }
  return contextFor(deps.identity, req, 'merchant');
}
