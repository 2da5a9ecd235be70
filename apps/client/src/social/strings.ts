import { useLang } from '../lib/i18n.ts';

const en = {
  friends: 'Friends',
  addFriend: 'Add a friend',
  friendPhone: 'Friend’s phone number',
  add: 'Add',
  noFriends: 'No friends yet. Add one by phone number.',
  notFound: 'No one with this phone number',
  remove: 'Remove',
  removeFriend: (name: string) => `Remove ${name}`,
  shareToFriend: 'Share to a friend',
  pickFriend: 'Send to',
  shared: (name: string) => `Sent to ${name}`,
  accountCard: '[Account]',
  pageCard: '[Link]',
  noMessages: 'Say hello!',
  viaShare: 'Shared with you by a friend',
};
const zh: typeof en = {
  friends: '朋友',
  addFriend: '添加朋友',
  friendPhone: '朋友的手机号',
  add: '添加',
  noFriends: '还没有朋友，用手机号添加一个吧。',
  notFound: '没有使用该手机号的用户',
  remove: '删除',
  removeFriend: (name: string) => `删除 ${name}`,
  shareToFriend: '推荐给朋友',
  pickFriend: '发送给',
  shared: (name: string) => `已发送给 ${name}`,
  accountCard: '[公众号名片]',
  pageCard: '[链接]',
  noMessages: '打个招呼吧！',
  viaShare: '朋友推荐给你的公众号',
};

export type SocialStrings = typeof en;
export const useSocialStrings = (): SocialStrings => (useLang() === 'en' ? en : zh);
