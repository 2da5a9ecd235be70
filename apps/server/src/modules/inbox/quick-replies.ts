import { z } from 'zod';
import type { RequestContext } from '../../platform/context.ts';
import type { Db } from '../../platform/database.ts';
import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { requirePermission } from '../../platform/permissions.ts';
import './tables.ts';

export interface QuickReplyView {
  id: string;
  title: string;
  content: string;
  updatedAt: string;
}

export const QuickReplyInput = z.object({ title: z.string().trim().min(1).max(40), content: z.string().trim().min(1).max(2048) });
export type QuickReplyInput = z.infer<typeof QuickReplyInput>;

/** At most this many snippets per organisation. */
const MAX_PER_ORG = 200;

export type QuickRepliesService = ReturnType<typeof createQuickRepliesService>;

/** The organisation's saved reply snippets (permission `inbox`: every agent shares them). */
export function createQuickRepliesService(db: Db) {
  const present = (r: { id: string; title: string; content: string; updated_at: Date }): QuickReplyView => ({ id: r.id, title: r.title, content: r.content, updatedAt: r.updated_at.toISOString() });
  return {
    async list(ctx: RequestContext): Promise<QuickReplyView[]> {
      const orgId = requirePermission(ctx, 'inbox');
      const rows = await db.selectFrom('quick_replies').selectAll().where('org_id', '=', orgId).orderBy('title').orderBy('id').execute();
      return rows.map(present);
    },
    async create(ctx: RequestContext, input: QuickReplyInput): Promise<QuickReplyView> {
      const orgId = requirePermission(ctx, 'inbox');
      const { title, content } = QuickReplyInput.parse(input);
      const n = await db.selectFrom('quick_replies').select((eb) => eb.fn.countAll<bigint>().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow();
      if (Number(n.n) >= MAX_PER_ORG) throw new z.ZodError([{ code: 'custom', path: ['title'], message: `at most ${MAX_PER_ORG} quick replies`, input }]);
      const row = await db.insertInto('quick_replies').values({ id: newId('qr'), org_id: orgId, title, content }).returningAll().executeTakeFirstOrThrow();
      return present(row);
    },
    async update(ctx: RequestContext, id: string, input: QuickReplyInput): Promise<QuickReplyView> {
      const orgId = requirePermission(ctx, 'inbox');
      const { title, content } = QuickReplyInput.parse(input);
      const row = await db.updateTable('quick_replies').set({ title, content, updated_at: new Date() }).where('id', '=', id).where('org_id', '=', orgId).returningAll().executeTakeFirst();
      if (!row) throw notFound('quick reply');
      return present(row);
    },
    async remove(ctx: RequestContext, id: string): Promise<void> {
      const orgId = requirePermission(ctx, 'inbox');
      const res = await db.deleteFrom('quick_replies').where('id', '=', id).where('org_id', '=', orgId).executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) throw notFound('quick reply');
    },
  };
}
