import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/database.ts';
import { requireOrg, type RequestContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { toApiError } from '../../platform/http.ts';
import './tables.ts';

/** How long a key remembers its first request and answer. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** A key still `running` after this long belongs to a request that died; a retry may take it over. */
const ABANDONED_AFTER_MS = 2 * 60_000;
const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'reused' }
  | { kind: 'running' };

/** JSON with object keys sorted at every level, so the same body always hashes the same. */
export function canonicalJson(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(typeof v === 'bigint' ? String(v) : v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

export const requestFingerprint = (method: string, path: string, body: unknown) =>
  createHash('sha256').update(`${method.toUpperCase()}\n${path}\n${canonicalJson(body)}`, 'utf8').digest('hex');

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;

/**
 * (org, Idempotency-Key) → the request's fingerprint and its first answer, for 24 hours. The key row is
 * inserted before the request runs (primary key (org_id, key)), so of two concurrent duplicates only
 * one claims it; the other is told the first is still running. Expired keys are purged lazily.
 */
export function createIdempotencyStore(db: Db) {
  return {
    async claim(orgId: string, key: string, fingerprint: string): Promise<Claim> {
      const now = new Date();
      await db.deleteFrom('idempotency_keys').where('org_id', '=', orgId).where('key', '=', key).where('expires_at', '<=', now).execute();
      if (Math.random() < 0.01) await db.deleteFrom('idempotency_keys').where('expires_at', '<=', now).execute();
      const inserted = await db
        .insertInto('idempotency_keys')
        .values({ org_id: orgId, key, fingerprint, expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) })
        .onConflict((oc) => oc.columns(['org_id', 'key']).doNothing())
        .returning('key')
        .executeTakeFirst();
      if (inserted) return { kind: 'claimed' };
      const row = await db.selectFrom('idempotency_keys').selectAll().where('org_id', '=', orgId).where('key', '=', key).executeTakeFirst();
      if (!row) return this.claim(orgId, key, fingerprint);
      if (row.fingerprint !== fingerprint) return { kind: 'reused' };
      if (row.state === 'done' && row.response_status !== null && row.response_body !== null) return { kind: 'replay', status: row.response_status, body: row.response_body };
      const takeover = await db
        .updateTable('idempotency_keys')
        .set({ created_at: now })
        .where('org_id', '=', orgId)
        .where('key', '=', key)
        .where('state', '=', 'running')
        .where('created_at', '<', new Date(now.getTime() - ABANDONED_AFTER_MS))
        .returning('key')
        .executeTakeFirst();
      return takeover ? { kind: 'claimed' } : { kind: 'running' };
    },

    async complete(orgId: string, key: string, status: number, body: string): Promise<void> {
      await db.updateTable('idempotency_keys').set({ state: 'done', response_status: status, response_body: body }).where('org_id', '=', orgId).where('key', '=', key).execute();
    },

    /** Forgets a claim whose request failed in a way worth retrying (5xx, conflicts). */
    async release(orgId: string, key: string): Promise<void> {
      await db.deleteFrom('idempotency_keys').where('org_id', '=', orgId).where('key', '=', key).where('state', '=', 'running').execute();
    },
  };
}

/** Answers that are not remembered: a retry with the same key runs again. */
const transient = (status: number) => status >= 500 || status === 409 || status === 429;

const sendJson = (reply: FastifyReply, status: number, body: string) => reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);

/**
 * Runs a POST handler under its `Idempotency-Key` (when given): the first request runs and its answer
 * (status and exact bytes, typed errors included) is stored; a repeat with the same method, path and
 * body gets those bytes again with `Idempotent-Replayed: true`; the same key with another request is
 * 422 IDEMPOTENCY_KEY_REUSED; a repeat while the first still runs is 409 IDEMPOTENCY_IN_PROGRESS.
 * `run` returns the status and the presented body; the body is serialised here (so the stored bytes are
 * the bytes sent). Answers ≥ 500, 409 and 429 are not kept: a retry with the key runs again.
 */
export async function idempotent(
  store: IdempotencyStore,
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: RequestContext,
  run: () => Promise<{ status: number; body: unknown }>,
): Promise<FastifyReply> {
  const header = req.headers['idempotency-key'];
  if (header === undefined) {
    const r = await run();
    return sendJson(reply, r.status, JSON.stringify(r.body));
  }
  if (typeof header !== 'string' || !KEY_SHAPE.test(header)) {
    throw new AppError('invalid_argument', 'Idempotency-Key must be 1–255 printable ASCII characters', { details: { reason: 'BAD_IDEMPOTENCY_KEY' } });
  }
  const orgId = requireOrg(ctx);
  const claim = await store.claim(orgId, header, requestFingerprint(req.method, req.url.split('?')[0] ?? '', req.body));
  if (claim.kind === 'replay') return sendJson(reply.header('idempotent-replayed', 'true'), claim.status, claim.body);
  if (claim.kind === 'reused') {
    return sendJson(reply, 422, JSON.stringify({ error: { code: 'invalid_argument', message: 'this Idempotency-Key was used for another request', details: { reason: 'IDEMPOTENCY_KEY_REUSED' } } }));
  }
  if (claim.kind === 'running') {
    return sendJson(reply, 409, JSON.stringify({ error: { code: 'conflict', message: 'a request with this Idempotency-Key is still running', details: { reason: 'IDEMPOTENCY_IN_PROGRESS' } } }));
  }
  let status: number;
  let body: string;
  try {
    const r = await run();
    status = r.status;
    body = JSON.stringify(r.body);
  } catch (err) {
    const e = toApiError(err);
    if (transient(e.status)) {
      await store.release(orgId, header);
      throw err;
    }
    status = e.status;
    body = JSON.stringify(e.body);
  }
  await store.complete(orgId, header, status, body);
  return sendJson(reply, status, body);
}
