import type { RequestContext } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/database.ts';
import type { RealtimeHub } from '../../platform/realtime.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { FollowersService, FollowRow } from '../followers/service.ts';
import type { MessageContent } from '../messaging/model.ts';
import '../followers/tables.ts';
import '../messaging/tables.ts';
import './tables.ts';

export type MediaKind = 'image' | 'voice' | 'video' | 'thumb';

/** What the notifications services need from other modules (wired in services.ts). */
export interface NotificationDeps {
  db: Db;
  hub: RealtimeHub;
  accounts: Pick<AccountsService, 'ownAccount' | 'findById'>;
  followers: Pick<FollowersService, 'byOpenid' | 'byOpenids'>;
  /** The media module's check that a media_id is the caller's own (40007 otherwise); absent: not checked. */
  requireOwnMedia?: (ctx: RequestContext, mediaId: string, types: readonly MediaKind[]) => Promise<unknown>;
  /** Deliver these outbox rows now (called after commit). */
  kick: (ids: readonly (bigint | undefined)[]) => void;
}

/** The media a message refers to, with the media types WeChat accepts for it. */
export function mediaOf(content: MessageContent): { mediaId: string; types: readonly MediaKind[] } | undefined {
  switch (content.type) {
    case 'image':
      return content.mediaId ? { mediaId: content.mediaId, types: ['image'] } : undefined;
    case 'voice':
      return { mediaId: content.mediaId, types: ['voice'] };
    case 'video':
      return { mediaId: content.mediaId, types: ['video'] };
    default:
      return undefined;
  }
}

export async function checkMedia(deps: NotificationDeps, ctx: RequestContext, content: MessageContent): Promise<void> {
  const media = mediaOf(content);
  if (media && deps.requireOwnMedia) await deps.requireOwnMedia(ctx, media.mediaId, media.types);
}

/** The follow row, locked for the rest of the transaction (limits per follower hold under concurrency). */
export async function lockFollow(tx: Tx, accountId: string, consumerId: string): Promise<FollowRow | undefined> {
  return tx.selectFrom('follows').selectAll().where('account_id', '=', accountId).where('consumer_id', '=', consumerId).forUpdate().executeTakeFirst();
}
