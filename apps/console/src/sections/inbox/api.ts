import { useEffect, useRef } from 'react';
import { api, enc } from '../../lib/api.ts';

export interface Message {
  id: string;
  accountId: string;
  direction: 'in' | 'out';
  source: string;
  createdAt: string;
  content: { type: string; content?: string; url?: string; event?: string; title?: string; [k: string]: unknown };
}
export interface ReplyWindow {
  endsAt: string | null;
  repliesLeft: number;
  canReply: boolean;
  reason: 'WINDOW_EXPIRED' | 'REPLY_LIMIT' | 'UNSUBSCRIBED' | 'BLOCKED' | null;
}
export interface Conversation {
  accountId: string;
  accountName: string;
  openid: string;
  consumer: { nickname: string; avatarUrl: string | null };
  remark: string;
  subscribed: boolean;
  lastMessage: Message | null;
  unread: number;
  needsAgent: boolean;
  status: 'open' | 'closed';
  assignee: { id: string; name: string } | null;
  window: ReplyWindow;
}
export interface QuickReply {
  id: string;
  title: string;
  content: string;
}
export interface Member {
  id: string;
  name: string;
  role: string;
}
export type Assigned = 'all' | 'me' | 'unassigned';

const base = '/api/v1/merchant/inbox';
export const threadPath = (c: { accountId: string; openid: string }) => `${base}/conversations/${enc(c.accountId)}/${enc(c.openid)}`;

export const inboxApi = {
  list: (assigned: Assigned, status: 'open' | 'closed') => api.get<Conversation[]>(`${base}/conversations?assigned=${assigned}&status=${status}&limit=100`),
  get: (c: Conversation) => api.get<Conversation>(threadPath(c)),
  messages: (c: Conversation, before?: string) => api.get<Message[]>(`${threadPath(c)}/messages?limit=30${before ? `&before=${before}` : ''}`),
  reply: (c: Conversation, body: { type: 'text'; content: string } | { type: 'image'; url: string }) => api.post<Message>(`${threadPath(c)}/messages`, body),
  read: (c: Conversation, upTo: string) => api.post(`${threadPath(c)}/read`, { upTo }),
  assign: (c: Conversation, userId: string | null) => api.put<Conversation>(`${threadPath(c)}/assignee`, { userId }),
  status: (c: Conversation, status: 'open' | 'closed') => api.put<Conversation>(`${threadPath(c)}/status`, { status }),
  quickReplies: () => api.get<QuickReply[]>(`${base}/quick-replies`),
  saveQuickReply: (q: { id?: string; title: string; content: string }) =>
    q.id ? api.put<QuickReply>(`${base}/quick-replies/${enc(q.id)}`, { title: q.title, content: q.content }) : api.post<QuickReply>(`${base}/quick-replies`, { title: q.title, content: q.content }),
  deleteQuickReply: (id: string) => api.del(`${base}/quick-replies/${enc(id)}`),
  staff: () => api.get<Member[]>('/api/v1/merchant/staff'),
};

export interface InboxEvent {
  type: 'inbox.message';
  openid: string;
  message: Message;
}

/** The merchant socket (`/api/v1/merchant/ws`): thread events of the organisation's accounts; reconnects. */
export function useInboxSocket(onEvent: (e: InboxEvent) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    let ws: WebSocket | undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      const proto = location.protocol === 'https:' ? 'wss' : 'ws';
      ws = new WebSocket(`${proto}://${location.host}/api/v1/merchant/ws`);
      ws.onmessage = (m) => {
        const data = JSON.parse(String(m.data)) as { type: string };
        if (data.type === 'inbox.message') handler.current(data as InboxEvent);
      };
      ws.onclose = () => {
        if (!stopped) timer = setTimeout(open, 2000);
      };
    };
    open();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      ws?.close();
    };
  }, []);
}
