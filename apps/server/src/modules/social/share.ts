import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.ts';
import { requireConsumer } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { FollowInput } from '../followers/service.ts';
import { REFERRAL_WINDOW_DAYS, type DmContent, type DmView } from './model.ts';
import type { SocialService } from './service.ts';
import './tables.ts';

export interface ShareDeps {
  db: Db;
  social: SocialService;
  /** The consumer-side follow (conversations.follow): pushes the subscribe event, writes the welcome. */
  follow: (ctx: RequestContext, accountId: string, input: FollowInput) => Promise<{ openid: string; isNew: boolean; outboxIds: bigint[] }>;
}

export type ShareService = ReturnType<typeof createShareService>;

/**
 * Sharing accounts and web pages to friends, and attribution: opening an account card someone shared
 * records a referral (first open only); following from that card within REFERRAL_WINDOW_DAYS sets
 * `followed_at` on the latest open referral of that account and consumer.
 */
export function createShareService(deps: ShareDeps) {
  const { db, social } = deps;

  /** Sets `followed_at` on the latest unfollowed referral of this account for this consumer, within the window. */
  async function recordFollow(executor: DbOrTx, accountId: string, consumerId: string): Promise<boolean> {
    const since = new Date(Date.now() - REFERRAL_WINDOW_DAYS * 86_400_000);
    const latest = await executor
      .selectFrom('referrals')
      .select('id')
      .where('account_id', '=', accountId)
      .where('referred_consumer_id', '=', consumerId)
      .where('followed_at', 'is', null)
      .where('opened_at', '>=', since)
      .orderBy('opened_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!latest) return false;
    await executor.updateTable('referrals').set({ followed_at: sql<Date>`now()` }).where('id', '=', latest.id).execute();
    return true;
  }

  async function open(ctx: RequestContext, messageId: bigint): Promise<{ accountId: string }> {
    const me = requireConsumer(ctx);
    const msg = await db
      .selectFrom('dm_messages')
      .selectAll()
      .where('id', '=', messageId)
      .where((eb) => eb.or([eb('sender_id', '=', me), eb('recipient_id', '=', me)]))
      .executeTakeFirst();
    if (!msg) throw notFound('message');
    const content = msg.content as DmContent;
    if (content.type !== 'account_card') throw new AppError('invalid_argument', 'this message is not an account card');
    if (msg.recipient_id === me) {
      await db
        .insertInto('referrals')
        .values({ account_id: content.accountId, referrer_consumer_id: msg.sender_id, referred_consumer_id: me, share_message_id: msg.id, followed_at: null })
        .onConflict((oc) => oc.column('share_message_id').doNothing())
        .execute();
    }
    return { accountId: content.accountId };
  }

  return {
    recordFollow,
    open,

    /** Opens the card and follows its account with scene ADD_SCENE_PROFILE_CARD, attributing a new follow. */
    async follow(ctx: RequestContext, messageId: bigint) {
      const me = requireConsumer(ctx);
      const { accountId } = await open(ctx, messageId);
      const res = await deps.follow(ctx, accountId, { scene: 'ADD_SCENE_PROFILE_CARD' });
      const attributed = res.isNew ? await recordFollow(db, accountId, me) : false;
      return { accountId, openid: res.openid, isNew: res.isNew, attributed, outboxIds: res.outboxIds };
    },

    /** `updateAppMessageShareData` from the web view: a page card to a friend. */
    async sharePage(ctx: RequestContext, input: { friendId: string; url: string; title: string; description?: string | undefined; imgUrl?: string | undefined; accountId?: string | undefined }): Promise<DmView> {
      const { friendId, ...card } = input;
      return social.send(ctx, friendId, { type: 'page_card', ...card });
    },
  };
}
