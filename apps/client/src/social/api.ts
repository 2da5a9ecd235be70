import { call } from '../lib/api.ts';

/** The person-to-person API: friends by phone number, 1:1 threads, sharing accounts and pages. */

export interface Friend {
  id: string;
  nickname: string;
  avatarUrl: string | null;
}

export type DmContent =
  | { type: 'text'; content: string }
  | { type: 'account_card'; accountId: string; name: string; avatarUrl: string | null; description: string }
  | { type: 'page_card'; url: string; title: string; description: string; imgUrl: string | null; accountId: string | null };

export interface DmMessage {
  id: string;
  senderId: string;
  recipientId: string;
  createdAt: string;
  content: DmContent;
}

export interface DmConversation {
  friend: Friend;
  unread: number;
  lastMessage: DmMessage | null;
}

export type DmOutgoing =
  | { type: 'text'; content: string }
  | { type: 'account_card'; accountId: string }
  | { type: 'page_card'; url: string; title: string; description?: string; imgUrl?: string; accountId?: string };

const enc = encodeURIComponent;

export const socialApi = {
  friends: () => call<Friend[]>('GET', '/api/v1/friends'),
  addFriend: (phone: string) => call<Friend>('POST', '/api/v1/friends', { phone }),
  removeFriend: (id: string) => call<{ ok: true }>('DELETE', `/api/v1/friends/${enc(id)}`),
  conversations: () => call<DmConversation[]>('GET', '/api/v1/dm'),
  messages: (friendId: string, opts: { after?: string } = {}) => call<DmMessage[]>('GET', `/api/v1/dm/${enc(friendId)}/messages?limit=100${opts.after ? `&after=${opts.after}` : ''}`),
  send: (friendId: string, m: DmOutgoing) => call<DmMessage>('POST', `/api/v1/dm/${enc(friendId)}/messages`, m),
  markRead: (friendId: string, upTo: string) => call<{ ok: true }>('POST', `/api/v1/dm/${enc(friendId)}/read`, { upTo }),
  openShare: (messageId: string) => call<{ accountId: string }>('POST', '/api/v1/share/open', { messageId }),
  followShare: (messageId: string) => call<{ accountId: string; isNew: boolean; attributed: boolean }>('POST', '/api/v1/share/follow', { messageId }),
  /** A web page's card to a friend (the web view's Share, with the page's updateAppMessageShareData). */
  sharePage: (b: { friendId: string; url: string; title: string; description?: string; imgUrl?: string; accountId?: string }) => call<DmMessage>('POST', '/api/v1/share/page', b),
};
