import type { Selectable } from 'kysely';
import type { Db, DbOrTx } from '../../platform/database.ts';
import type { RequestContext } from '../../platform/context.ts';
import { requirePermission } from '../../platform/permissions.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId, randomString } from '../../platform/ids.ts';
import type { WebhookEndpointsTable } from './tables.ts';
import './tables.ts';

export const WEBHOOK_EVENTS = ['payment.succeeded', 'refund.succeeded'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export type EventSelector = WebhookEvent | '*';

const MAX_ENDPOINTS = 16;

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  events: EventSelector[];
  enabled: boolean;
  createdAt: Date;
}

/** Shown once, on create and on rotate. */
export interface WebhookEndpointWithSecret extends WebhookEndpointView {
  secret: string;
}

const newSecret = () => `whsec_${randomString(40)}`;

const present = (r: WebhookEndpointRow): WebhookEndpointView => ({ id: r.id, url: r.url, description: r.description, events: r.events as EventSelector[], enabled: r.enabled, createdAt: r.created_at });

function checkUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AppError('invalid_argument', 'url must be an absolute http(s) URL', { details: { reason: 'BAD_URL' } });
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || url.length > 2048 || u.username || u.password) {
    throw new AppError('invalid_argument', 'url must be an http(s) URL without credentials, at most 2048 characters', { details: { reason: 'BAD_URL' } });
  }
  return u.toString();
}

function checkEvents(events: readonly string[] | undefined): EventSelector[] {
  if (events === undefined || events.length === 0 || events.includes('*')) return ['*'];
  const unknown = events.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
  if (unknown.length) throw new AppError('invalid_argument', `unknown event types: ${unknown.join(', ')}`, { details: { reason: 'BAD_EVENT', known: WEBHOOK_EVENTS } });
  return [...new Set(events as WebhookEvent[])];
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;

/** An organisation's webhook endpoints (our JSON API's notifications). */
export function createWebhooksService(deps: { db: Db }) {
  const { db } = deps;

  async function own(orgId: string, id: string): Promise<WebhookEndpointRow> {
    const row = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).where('org_id', '=', orgId).executeTakeFirst();
    if (!row) throw notFound('webhook endpoint');
    return row;
  }

  return {
    async create(ctx: RequestContext, input: { url: string; events?: readonly string[] | undefined; description?: string | undefined }): Promise<WebhookEndpointWithSecret> {
      const orgId = requirePermission(ctx, 'developer');
      const url = checkUrl(input.url);
      const events = checkEvents(input.events);
      const count = await db.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<string>().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow();
      if (Number(count.n) >= MAX_ENDPOINTS) throw new AppError('failed_precondition', `at most ${MAX_ENDPOINTS} webhook endpoints`, { details: { reason: 'TOO_MANY_ENDPOINTS' } });
      const secret = newSecret();
      const row = await db
        .insertInto('webhook_endpoints')
        .values({ id: newId('whe'), org_id: orgId, url, description: input.description?.trim() ?? '', events: JSON.stringify(events), secret })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { ...present(row), secret };
    },

    async list(ctx: RequestContext): Promise<WebhookEndpointView[]> {
      const orgId = requirePermission(ctx, 'developer');
      const rows = await db.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
      return rows.map(present);
    },

    async update(ctx: RequestContext, id: string, input: { url?: string | undefined; events?: readonly string[] | undefined; description?: string | undefined; enabled?: boolean | undefined }): Promise<WebhookEndpointView> {
      const orgId = requirePermission(ctx, 'developer');
      await own(orgId, id);
      const set = {
        ...(input.url !== undefined ? { url: checkUrl(input.url) } : {}),
        ...(input.events !== undefined ? { events: JSON.stringify(checkEvents(input.events)) } : {}),
        ...(input.description !== undefined ? { description: input.description.trim() } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      };
      if (Object.keys(set).length === 0) return present(await own(orgId, id));
      const row = await db.updateTable('webhook_endpoints').set(set).where('id', '=', id).where('org_id', '=', orgId).returningAll().executeTakeFirst();
      if (!row) throw notFound('webhook endpoint');
      return present(row);
    },

    /** Deletes an endpoint; deliveries still queued for it stop (they find it gone). */
    async remove(ctx: RequestContext, id: string): Promise<void> {
      const orgId = requirePermission(ctx, 'developer');
      const gone = await db.deleteFrom('webhook_endpoints').where('id', '=', id).where('org_id', '=', orgId).returning('id').executeTakeFirst();
      if (!gone) throw notFound('webhook endpoint');
    },

    /** A new secret at once: deliveries from now on (retries included) are signed with it. */
    async rotateSecret(ctx: RequestContext, id: string): Promise<WebhookEndpointWithSecret> {
      const orgId = requirePermission(ctx, 'developer');
      const secret = newSecret();
      const row = await db.updateTable('webhook_endpoints').set({ secret }).where('id', '=', id).where('org_id', '=', orgId).returningAll().executeTakeFirst();
      if (!row) throw notFound('webhook endpoint');
      return { ...present(row), secret };
    },

    /** Internal (delivery): the org's enabled endpoints subscribed to an event type. */
    async subscribers(executor: DbOrTx, orgId: string, type: WebhookEvent): Promise<WebhookEndpointRow[]> {
      const rows = await executor.selectFrom('webhook_endpoints').selectAll().where('org_id', '=', orgId).where('enabled', '=', true).orderBy('created_at').orderBy('id').execute();
      return rows.filter((r) => r.events.includes('*') || r.events.includes(type));
    },

    /** Internal (delivery): one endpoint with its secret. */
    async endpoint(executor: DbOrTx, id: string): Promise<WebhookEndpointRow | undefined> {
      return executor.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    },
  };
}
