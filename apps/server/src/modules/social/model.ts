import type { Selectable } from 'kysely';
import type { DmMessagesTable } from './tables.ts';

export type DmRow = Selectable<DmMessagesTable>;

/** The content of a person-to-person message. Cards snapshot the account's name and avatar at send time. */
export type DmContent =
  | { type: 'text'; content: string }
  | { type: 'account_card'; accountId: string; name: string; avatarUrl: string | null; description: string }
  | { type: 'page_card'; url: string; title: string; description: string; imgUrl: string | null; accountId: string | null };

/** What a sender posts; the server fills in the card's snapshot. */
export type DmInput =
  | { type: 'text'; content: string }
  | { type: 'account_card'; accountId: string }
  | { type: 'page_card'; url: string; title: string; description?: string | undefined; imgUrl?: string | undefined; accountId?: string | undefined };

export interface DmView {
  id: string;
  senderId: string;
  recipientId: string;
  createdAt: string;
  content: DmContent;
}

export interface FriendView {
  id: string;
  nickname: string;
  avatarUrl: string | null;
}

export const presentDm = (m: DmRow): DmView => ({
  id: String(m.id),
  senderId: m.sender_id,
  recipientId: m.recipient_id,
  createdAt: m.created_at.toISOString(),
  content: m.content as DmContent,
});

/** Days after opening a shared account card during which a follow is attributed to the sharer. */
export const REFERRAL_WINDOW_DAYS = 7;
