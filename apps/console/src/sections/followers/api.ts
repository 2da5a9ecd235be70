import { api, enc } from '../../lib/api.ts';
import type { Message } from '../inbox/api.ts';

export interface Follower {
  openid: string;
  nickname: string;
  avatarUrl: string | null;
  remark: string;
  subscribed: boolean;
  subscribeTime: string;
  subscribeScene: string;
  qrScene: string | null;
  tagIds: number[];
  blacklisted: boolean;
  blockedAccount: boolean;
  lastInteractionAt: string | null;
}
export interface Tag {
  id: number;
  name: string;
  count: number;
}
export interface FollowerQuery {
  q: string;
  tagId: string;
  scene: string;
  qrScene: string;
  status: 'subscribed' | 'unsubscribed' | 'all';
  page: number;
}
export const PAGE_SIZE = 20;

export const SCENES = [
  'ADD_SCENE_SEARCH',
  'ADD_SCENE_ACCOUNT_MIGRATION',
  'ADD_SCENE_PROFILE_CARD',
  'ADD_SCENE_QR_CODE',
  'ADD_SCENE_PROFILE_LINK',
  'ADD_SCENE_PROFILE_ITEM',
  'ADD_SCENE_PAID',
  'ADD_SCENE_WECHAT_ADVERTISEMENT',
  'ADD_SCENE_REPRINT',
  'ADD_SCENE_LIVESTREAM',
  'ADD_SCENE_CHANNELS',
  'ADD_SCENE_OTHERS',
] as const;

const acc = (id: string) => `/api/v1/merchant/accounts/${enc(id)}`;

export const followersApi = {
  list(accountId: string, q: FollowerQuery) {
    const p = new URLSearchParams({ status: q.status, page: String(q.page), pageSize: String(PAGE_SIZE) });
    if (q.q.trim()) p.set('q', q.q.trim());
    if (q.tagId) p.set('tagId', q.tagId);
    if (q.scene) p.set('scene', q.scene);
    if (q.qrScene.trim()) p.set('qrScene', q.qrScene.trim());
    return api.get<{ total: number; items: Follower[] }>(`${acc(accountId)}/followers?${p.toString()}`);
  },
  get: (accountId: string, openid: string) => api.get<Follower>(`${acc(accountId)}/followers/${enc(openid)}`),
  remark: (accountId: string, openid: string, remark: string) => api.put<Follower>(`${acc(accountId)}/followers/${enc(openid)}/remark`, { remark }),
  blacklist: (accountId: string, openid: string, blacklisted: boolean) => api.put<Follower>(`${acc(accountId)}/followers/${enc(openid)}/blacklist`, { blacklisted }),
  messages: (accountId: string, openid: string, before?: string) => api.get<Message[]>(`${acc(accountId)}/followers/${enc(openid)}/messages?limit=20${before ? `&before=${before}` : ''}`),
  tagging: (accountId: string, body: { tagId: number; openids: string[]; action: 'add' | 'remove' }) => api.post(`${acc(accountId)}/followers/tagging`, body),
  tags: (accountId: string) => api.get<Tag[]>(`${acc(accountId)}/tags`),
  createTag: (accountId: string, name: string) => api.post<{ id: number; name: string }>(`${acc(accountId)}/tags`, { name }),
  renameTag: (accountId: string, id: number, name: string) => api.put(`${acc(accountId)}/tags/${id}`, { name }),
  deleteTag: (accountId: string, id: number) => api.del(`${acc(accountId)}/tags/${id}`),
};

/** Bytes of a string in UTF-8 (remarks and tag names are limited in bytes, like WeChat's). */
export const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;
