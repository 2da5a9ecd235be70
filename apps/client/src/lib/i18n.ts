import { useSyncExternalStore } from 'react';

/** UI strings in Chinese and English; the language follows navigator.language unless the user picks one. */

const en = {
  appName: 'Lianjie',
  chats: 'Chats',
  discover: 'Discover',
  me: 'Me',
  signIn: 'Sign in',
  signUp: 'Sign up',
  signOut: 'Sign out',
  phone: 'Phone number',
  password: 'Password',
  nickname: 'Nickname',
  avatarUrl: 'Avatar URL',
  save: 'Save',
  saved: 'Saved',
  haveAccount: 'Already have an account? Sign in',
  noAccount: 'New here? Sign up',
  noChats: 'No chats yet. Scan a QR code or search for an account to follow.',
  search: 'Search',
  searchAccounts: 'Search accounts',
  searchPlaceholder: 'Account name',
  noResults: 'No accounts found',
  scan: 'Scan',
  scanHint: 'Point the camera at a QR code',
  startCamera: 'Use the camera',
  stopCamera: 'Stop the camera',
  cameraUnavailable: 'The camera is not available here. Choose an image or paste a link instead.',
  chooseImage: 'Choose an image',
  pasteLink: 'Paste a link',
  open: 'Open',
  noQrFound: 'No QR code found in that image',
  scanning: 'Working…',
  notLianjie: 'This is not a Lianjie QR code',
  back: 'Back',
  profile: 'Account profile',
  message: 'Message',
  send: 'Send',
  typeMessage: 'Message',
  sendImage: 'Send an image',
  shareLocation: 'Share location',
  location: 'Location',
  latitude: 'Latitude',
  longitude: 'Longitude',
  placeLabel: 'Place name',
  locating: 'Locating…',
  locationManual: 'Your location is not available; enter it instead.',
  cancel: 'Cancel',
  details: 'Details',
  menu: 'Account menu',
  keyboard: 'Keyboard',
  showMenu: 'Show the menu',
  follow: 'Follow',
  unfollow: 'Unfollow',
  block: 'Block messages',
  unblock: 'Unblock messages',
  blockedNotice: 'You blocked this account’s messages.',
  knows: 'What this account knows about me',
  yourOpenid: 'Your openid for this account',
  sharedFields: 'Shared with it',
  sharedFieldsList: 'openid, follow time, subscribe scene (how you followed). Your nickname only if you allow it in an OAuth login.',
  notFollowing: 'You don’t follow this account; it knows nothing about you.',
  language: 'Language',
  notFound: 'Page not found',
  goHome: 'Go to chats',
  image: '[Image]',
  voice: '[Voice]',
  video: '[Video]',
  music: '[Music]',
  link: '[Link]',
  article: '[Article]',
  notification: '[Notification]',
  locationPreview: '[Location]',
  loadFailed: 'Could not load. Pull to retry.',
  retry: 'Retry',
  unread: (n: number) => `${n} unread`,
  offline: 'Connecting…',
  followScan: (name: string) => `Following ${name}`,
  serviceAccount: 'Service account',
  subscriptionAccount: 'Subscription account',
};

export type Strings = typeof en;

const zh: Strings = {
  appName: '连接',
  chats: '消息',
  discover: '发现',
  me: '我',
  signIn: '登录',
  signUp: '注册',
  signOut: '退出登录',
  phone: '手机号',
  password: '密码',
  nickname: '昵称',
  avatarUrl: '头像地址',
  save: '保存',
  saved: '已保存',
  haveAccount: '已有账号？登录',
  noAccount: '新用户？注册',
  noChats: '还没有消息。扫一扫或搜索公众号来关注。',
  search: '搜索',
  searchAccounts: '搜索公众号',
  searchPlaceholder: '公众号名称',
  noResults: '没有找到公众号',
  scan: '扫一扫',
  scanHint: '将二维码放入框内',
  startCamera: '打开相机',
  stopCamera: '关闭相机',
  cameraUnavailable: '此处无法使用相机，请选择图片或粘贴链接。',
  chooseImage: '从相册选择',
  pasteLink: '粘贴链接',
  open: '打开',
  noQrFound: '图片中没有识别到二维码',
  scanning: '处理中…',
  notLianjie: '这不是连接的二维码',
  back: '返回',
  profile: '公众号资料',
  message: '发消息',
  send: '发送',
  typeMessage: '消息',
  sendImage: '发送图片',
  shareLocation: '发送位置',
  location: '位置',
  latitude: '纬度',
  longitude: '经度',
  placeLabel: '地点名称',
  locating: '定位中…',
  locationManual: '无法获取你的位置，请手动输入。',
  cancel: '取消',
  details: '详情',
  menu: '公众号菜单',
  keyboard: '键盘',
  showMenu: '显示菜单',
  follow: '关注',
  unfollow: '不再关注',
  block: '不接收消息',
  unblock: '接收消息',
  blockedNotice: '你已设置不接收该公众号的消息。',
  knows: '该公众号知道我的什么',
  yourOpenid: '你在该公众号的 openid',
  sharedFields: '共享的信息',
  sharedFieldsList: 'openid、关注时间、关注来源（场景）。昵称仅在你于网页授权中同意时共享。',
  notFollowing: '你没有关注该公众号，它不知道你的任何信息。',
  language: '语言',
  notFound: '页面不存在',
  goHome: '返回消息',
  image: '[图片]',
  voice: '[语音]',
  video: '[视频]',
  music: '[音乐]',
  link: '[链接]',
  article: '[图文]',
  notification: '[通知]',
  locationPreview: '[位置]',
  loadFailed: '加载失败',
  retry: '重试',
  unread: (n: number) => `${n} 条未读`,
  offline: '连接中…',
  followScan: (name: string) => `已关注 ${name}`,
  serviceAccount: '服务号',
  subscriptionAccount: '订阅号',
};

export type Lang = 'zh-CN' | 'en';
const STRINGS: Record<Lang, Strings> = { 'zh-CN': zh, en };
const KEY = 'lianjie.lang';

const detect = (): Lang => {
  const saved = localStorage.getItem(KEY);
  if (saved === 'zh-CN' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
};

let current: Lang = detect();
const listeners = new Set<() => void>();
document.documentElement.lang = current;

export function setLang(lang: Lang): void {
  current = lang;
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
  listeners.forEach((l) => l());
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
};

export const useLang = (): Lang => useSyncExternalStore(subscribe, () => current);
export const useT = (): Strings => STRINGS[useLang()];
