import type { RequestContext } from '../../platform/context.ts';
import { writeThreadMessage } from '../messaging/deliver.ts';
import type { MessageContent } from '../messaging/model.ts';
import { checkMedia, lockFollow, type NotificationDeps } from './deps.ts';
import { LIMITS, wx } from './rules.ts';

/** What a customer-service message may carry. */
export type CsContent = Extract<MessageContent, { type: 'text' | 'image' | 'voice' | 'video' | 'music' | 'news' | 'link' }>;

export type CustomMessageService = ReturnType<typeof createCustomMessageService>;

function checkContent(content: CsContent): void {
  if (content.type === 'text') {
    if (content.content.trim() === '') throw wx.emptyContent();
    if ([...content.content].length > LIMITS.csTextChars) throw wx.contentTooLong();
  }
  if (content.type === 'news' && (content.articles.length === 0 || content.articles.length > LIMITS.csNewsArticles)) throw wx.articleSizeOutOfLimit();
}

/**
 * Customer-service messages: the merchant answers a consumer who interacted recently. Allowed only
 * within 48 h of the consumer's last message, tap or follow (45015), at most 5 times after it (45047),
 * never to a consumer who unfollowed (43004) or blocked the account (43101).
 */
export function createCustomMessageService(deps: NotificationDeps) {
  const { db, hub, accounts, followers } = deps;
  return {
    async send(ctx: RequestContext, accountId: string, touser: string | undefined, content: CsContent): Promise<{ messageId: bigint }> {
      await accounts.ownAccount(ctx, accountId);
      checkContent(content);
      const follow = await followers.byOpenid(ctx, accountId, touser);
      await checkMedia(deps, ctx, content);
      return db.transaction().execute(async (tx) => {
        const f = await lockFollow(tx, accountId, follow.consumer_id);
        if (!f?.subscribed) throw wx.requireSubscribe();
        if (f.blocked) throw wx.userRefused();
        const since = f.last_interaction_at;
        if (!since || Date.now() - since.getTime() > LIMITS.csWindowMs) throw wx.outOfTimeLimit();
        const sent = await tx
          .selectFrom('messages')
          .select((eb) => eb.fn.countAll<bigint>().as('n'))
          .where('account_id', '=', accountId)
          .where('consumer_id', '=', f.consumer_id)
          .where('source', '=', 'cs')
          .where('created_at', '>', since)
          .executeTakeFirstOrThrow();
        if (Number(sent.n) >= LIMITS.csPerWindow) throw wx.outOfResponseCount();
        const msg = await writeThreadMessage(tx, hub, { accountId, consumerId: f.consumer_id, openid: f.openid }, 'out', 'cs', content);
        if (!msg) throw new Error('customer-service message not stored');
        return { messageId: msg.id };
      });
    },
  };
}
