import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { RequestContext } from '../../platform/context.ts';
import { requirePermission } from '../../platform/permissions.ts';
import { newToken } from '../../platform/ids.ts';
import { consumeQuota } from '../accounts/quota.ts';
import { writeThreadMessage } from '../messaging/deliver.ts';
import { enqueuePush, eventFields } from '../messaging/push.ts';
import { lockFollow, type NotificationDeps } from './deps.ts';
import { LIMITS, wx } from './rules.ts';
import type { MessageTemplatesTable, TemplateSendStatus } from './tables.ts';
import { findLibraryTemplate } from './template-library.ts';

export interface TemplateView {
  templateId: string;
  title: string;
  primaryIndustry: string;
  deputyIndustry: string;
  content: string;
  example: string;
}

export interface TemplateInput {
  title: string;
  content: string;
  primaryIndustry?: string | undefined;
  deputyIndustry?: string | undefined;
  example?: string | undefined;
}

export interface TemplateSendInput {
  touser: string | undefined;
  templateId: string | undefined;
  url?: string | undefined;
  data: Record<string, { value: string; color?: string | undefined }>;
}

const TemplateInputSchema = z.object({
  title: z.string().trim().min(1).max(64),
  content: z
    .string()
    .min(1)
    .max(2000)
    .refine((c) => /\{\{\s*\w+\.DATA\s*\}\}/.test(c), 'content needs at least one {{name.DATA}} field'),
  primaryIndustry: z.string().max(64).default(''),
  deputyIndustry: z.string().max(64).default(''),
  example: z.string().max(2000).default(''),
});

const present = (t: Selectable<MessageTemplatesTable>): TemplateView => ({
  templateId: t.template_id,
  title: t.title,
  primaryIndustry: t.primary_industry,
  deputyIndustry: t.deputy_industry,
  content: t.content,
  example: t.example,
});

export type TemplateService = ReturnType<typeof createTemplateService>;

/**
 * Template messages: notifications a merchant may send a follower at any time (no 48 h window),
 * from the account's own templates, 100 000 a day. Each send is followed by a
 * `TEMPLATESENDJOBFINISH` event to the merchant's server; a consumer who blocked the account
 * receives nothing and the event says `failed:user block`.
 */
export function createTemplateService(deps: NotificationDeps) {
  const { db, hub, accounts, followers } = deps;

  async function create(ctx: RequestContext, accountId: string, input: TemplateInput): Promise<TemplateView> {
    requirePermission(ctx, 'broadcast');
    await accounts.ownAccount(ctx, accountId);
    const v = TemplateInputSchema.parse(input);
    return db.transaction().execute(async (tx) => {
      const n = await tx.selectFrom('message_templates').select((eb) => eb.fn.countAll<bigint>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
      if (Number(n.n) >= LIMITS.templatesPerAccount) throw wx.templateSizeOutOfLimit();
      const row = await tx
        .insertInto('message_templates')
        .values({ template_id: newToken(43), account_id: accountId, title: v.title, content: v.content, primary_industry: v.primaryIndustry, deputy_industry: v.deputyIndustry, example: v.example })
        .returningAll()
        .executeTakeFirstOrThrow();
      return present(row);
    });
  }

  return {
    create,

    /** `api_add_template`: copies a template of Lianjie's library into the account. */
    async addFromLibrary(ctx: RequestContext, accountId: string, shortId: string | undefined): Promise<TemplateView> {
      requirePermission(ctx, 'broadcast');
      const t = findLibraryTemplate(shortId);
      if (!t) throw wx.invalidTemplateId();
      return create(ctx, accountId, t);
    },

    async list(ctx: RequestContext, accountId: string): Promise<TemplateView[]> {
      requirePermission(ctx, 'broadcast');
      await accounts.ownAccount(ctx, accountId);
      const rows = await db.selectFrom('message_templates').selectAll().where('account_id', '=', accountId).orderBy('created_at').orderBy('template_id').execute();
      return rows.map(present);
    },

    async remove(ctx: RequestContext, accountId: string, templateId: string | undefined): Promise<void> {
      requirePermission(ctx, 'broadcast');
      await accounts.ownAccount(ctx, accountId);
      if (!templateId) throw wx.invalidTemplateId();
      const res = await db.deleteFrom('message_templates').where('account_id', '=', accountId).where('template_id', '=', templateId).executeTakeFirst();
      if (res.numDeletedRows === 0n) throw wx.invalidTemplateId();
    },

    async send(ctx: RequestContext, accountId: string, input: TemplateSendInput): Promise<{ msgid: bigint; status: TemplateSendStatus }> {
      requirePermission(ctx, 'broadcast');
      const account = await accounts.ownAccount(ctx, accountId);
      for (const [key, field] of Object.entries(input.data)) {
        if ([...field.value].length > LIMITS.templateValueChars) throw wx.argumentInvalid(`data.${key}.value exceeds ${LIMITS.templateValueChars} characters`);
      }
      const follow = await followers.byOpenid(ctx, accountId, input.touser);
      const template = input.templateId
        ? await db.selectFrom('message_templates').selectAll().where('account_id', '=', accountId).where('template_id', '=', input.templateId).executeTakeFirst()
        : undefined;
      if (!template) throw wx.invalidTemplateId();
      const result = await db.transaction().execute(async (tx) => {
        const f = await lockFollow(tx, accountId, follow.consumer_id);
        if (!f?.subscribed) throw wx.requireSubscribe();
        await consumeQuota(tx, accountId, 'template_send');
        const status: TemplateSendStatus = f.blocked ? 'failed:user block' : 'success';
        const sent = await tx
          .insertInto('template_sends')
          .values({ account_id: accountId, consumer_id: f.consumer_id, openid: f.openid, template_id: template.template_id, status })
          .returning(['msgid', 'created_at'])
          .executeTakeFirstOrThrow();
        if (status === 'success') {
          await writeThreadMessage(tx, hub, { accountId, consumerId: f.consumer_id, openid: f.openid }, 'out', 'template', {
            type: 'template',
            templateId: template.template_id,
            title: template.title,
            url: input.url,
            data: input.data,
          });
        }
        const pushId = account.callback_url
          ? await enqueuePush(tx, account.org_id, {
              accountId,
              consumerId: f.consumer_id,
              openid: f.openid,
              fields: eventFields(account.original_id, f.openid, sent.created_at, 'TEMPLATESENDJOBFINISH', { MsgID: sent.msgid.toString(), Status: status }),
              expectReply: false,
            })
          : undefined;
        return { msgid: sent.msgid, status, pushId };
      });
      deps.kick([result.pushId]);
      return { msgid: result.msgid, status: result.status };
    },
  };
}
