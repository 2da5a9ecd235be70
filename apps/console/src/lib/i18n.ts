import { useSyncExternalStore } from 'react';

/**
 * UI strings in Chinese and English. Each section defines its own dictionary next to its pages:
 *   const strings = defineStrings({ en: { title: 'Pay' }, zh: { title: '支付' } });
 *   const t = useStrings(strings); t('title')
 * The zh dictionary must have every key of en (the type checker says so).
 */

export type Lang = 'zh-CN' | 'en';
const KEY = 'lj.console.lang';
const listeners = new Set<() => void>();

function initial(): Lang {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(KEY) : null;
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return typeof navigator !== 'undefined' && navigator.language.startsWith('zh') ? 'zh-CN' : 'en';
}
let current: Lang = initial();

export function setLang(lang: Lang): void {
  current = lang;
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
  listeners.forEach((l) => l());
}

export function useLang(): Lang {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}

export interface Strings<K extends string> {
  en: Record<K, string>;
  zh: Record<K, string>;
}

export const defineStrings = <K extends string>(s: { en: Record<K, string>; zh: Record<K, string> }): Strings<K> => s;

/** `t(key, {n: 3})` replaces `{n}` in the string of the current language. */
export function useStrings<K extends string>(s: Strings<K>): (key: K, vars?: Record<string, string | number>) => string {
  const lang = useLang();
  const dict = lang === 'en' ? s.en : s.zh;
  return (key, vars) => {
    let text = dict[key];
    if (vars) for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
    return text;
  };
}

/** Strings of the shell and the component kit. */
export const common = defineStrings({
  en: {
    appName: 'Lianjie merchant console',
    overview: 'Overview',
    accounts: 'Official accounts',
    accountSettings: 'Settings',
    menu: 'Menu',
    autoReplies: 'Auto-replies',
    qrcodes: 'QR codes',
    followers: 'Followers',
    inbox: 'Inbox',
    broadcasts: 'Broadcasts',
    pay: 'Pay',
    developer: 'Developer',
    analytics: 'Analytics',
    team: 'Team',
    signIn: 'Sign in',
    signUp: 'Create an organisation',
    signOut: 'Sign out',
    email: 'Email',
    password: 'Password',
    name: 'Your name',
    orgName: 'Organisation name',
    haveAccount: 'Already registered? Sign in',
    noAccount: 'New here? Create an organisation',
    language: 'Language',
    navigation: 'Navigation',
    openMenu: 'Menu',
    closeMenu: 'Close menu',
    loading: 'Loading…',
    retry: 'Retry',
    cancel: 'Cancel',
    confirm: 'Confirm',
    save: 'Save',
    saved: 'Saved',
    loadMore: 'Load more',
    previous: 'Previous',
    next: 'Next',
    required: 'Required',
    typeToConfirm: 'Type {word} to confirm',
    from: 'From',
    to: 'To',
    notFound: 'This page does not exist.',
    forbidden: 'Your role cannot use this page. Ask an owner of your organisation.',
    comingSoon: 'Coming soon',
    dismiss: 'Dismiss',
    role_owner: 'Owner',
    role_operator: 'Operator',
    role_cs: 'Customer service',
    role_finance: 'Finance',
  },
  zh: {
    appName: '连接 商户后台',
    overview: '概览',
    accounts: '公众号',
    accountSettings: '设置',
    menu: '自定义菜单',
    autoReplies: '自动回复',
    qrcodes: '二维码',
    followers: '粉丝',
    inbox: '客服消息',
    broadcasts: '群发与模板',
    pay: '支付',
    developer: '开发',
    analytics: '统计',
    team: '成员',
    signIn: '登录',
    signUp: '注册组织',
    signOut: '退出登录',
    email: '邮箱',
    password: '密码',
    name: '你的姓名',
    orgName: '组织名称',
    haveAccount: '已有账号？登录',
    noAccount: '首次使用？注册组织',
    language: '语言',
    navigation: '导航',
    openMenu: '菜单',
    closeMenu: '关闭菜单',
    loading: '加载中…',
    retry: '重试',
    cancel: '取消',
    confirm: '确认',
    save: '保存',
    saved: '已保存',
    loadMore: '加载更多',
    previous: '上一页',
    next: '下一页',
    required: '必填',
    typeToConfirm: '输入 {word} 以确认',
    from: '开始',
    to: '结束',
    notFound: '页面不存在。',
    forbidden: '你的角色无法使用此页面，请联系组织的所有者。',
    comingSoon: '即将推出',
    dismiss: '关闭',
    role_owner: '所有者',
    role_operator: '运营',
    role_cs: '客服',
    role_finance: '财务',
  },
});
