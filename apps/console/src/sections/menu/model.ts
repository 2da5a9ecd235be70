/**
 * The menu being edited, and the checks WeChat's menu/create makes (apps/server/src/modules/menus/validate.ts):
 * 1–3 top buttons, 1–5 sub buttons, names of at most 16 (top) / 60 (sub) UTF-8 bytes, keys of at most
 * 128 bytes, http(s) links of at most 1024 bytes, mini-program appid wx + 16 hex digits.
 */

export const LIMITS = { top: 3, sub: 5, topNameBytes: 16, subNameBytes: 60, keyBytes: 128, urlBytes: 1024, idBytes: 128 } as const;

export const LEAF_TYPES = ['click', 'view', 'miniprogram', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin', 'location_select', 'media_id', 'view_limited', 'article_id', 'article_view_limited'] as const;
export type LeafType = (typeof LEAF_TYPES)[number];

const KEY_TYPES: ReadonlySet<LeafType> = new Set(['click', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin', 'location_select']);
export const needsKey = (t: LeafType) => KEY_TYPES.has(t);
export const needsUrl = (t: LeafType) => t === 'view' || t === 'miniprogram';
export const needsMedia = (t: LeafType) => t === 'media_id' || t === 'view_limited';
export const needsArticle = (t: LeafType) => t === 'article_id' || t === 'article_view_limited';

/** The wire shape (what the API takes and returns). */
export interface WireLeaf {
  type: LeafType;
  name: string;
  key?: string;
  url?: string;
  media_id?: string;
  article_id?: string;
  appid?: string;
  pagepath?: string;
}
export type WireButton = WireLeaf | { name: string; sub_button: WireLeaf[] };

/** A button in the editor: every field kept while the type changes; `subs` non-empty = opens a sub-menu. */
export interface DraftButton {
  uid: number;
  name: string;
  type: LeafType;
  key: string;
  url: string;
  appid: string;
  pagepath: string;
  mediaId: string;
  articleId: string;
  subs: DraftButton[];
}

let nextUid = 1;
export function newButton(name: string, type: LeafType = 'click'): DraftButton {
  const uid = nextUid++;
  return { uid, name, type, key: type === 'click' ? `KEY_${uid}` : '', url: '', appid: '', pagepath: '', mediaId: '', articleId: '', subs: [] };
}

function fromLeaf(b: WireLeaf): DraftButton {
  return { ...newButton(b.name, b.type), key: b.key ?? '', url: b.url ?? '', appid: b.appid ?? '', pagepath: b.pagepath ?? '', mediaId: b.media_id ?? '', articleId: b.article_id ?? '' };
}

export const fromWire = (buttons: readonly WireButton[]): DraftButton[] =>
  buttons.map((b) => ('sub_button' in b ? { ...newButton(b.name), key: '', subs: b.sub_button.map(fromLeaf) } : fromLeaf(b)));

function toLeaf(b: DraftButton): WireLeaf {
  const out: WireLeaf = { type: b.type, name: b.name.trim() };
  if (needsKey(b.type)) out.key = b.key.trim();
  if (b.type === 'miniprogram') {
    out.appid = b.appid.trim();
    out.pagepath = b.pagepath.trim();
  }
  if (needsUrl(b.type)) out.url = b.url.trim();
  if (needsMedia(b.type)) out.media_id = b.mediaId.trim();
  if (needsArticle(b.type)) out.article_id = b.articleId.trim();
  return out;
}

export const toWire = (buttons: readonly DraftButton[]): WireButton[] => buttons.map((b) => (b.subs.length > 0 ? { name: b.name.trim(), sub_button: b.subs.map(toLeaf) } : toLeaf(b)));

export const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

/** Problems, by the string key of their message (strings.ts). */
export type Problem = 'nameEmpty' | 'nameLong' | 'keyEmpty' | 'keyLong' | 'urlBad' | 'appidBad' | 'pagepathEmpty' | 'mediaEmpty' | 'articleEmpty';
export type Field = 'name' | 'key' | 'url' | 'appid' | 'pagepath' | 'mediaId' | 'articleId';
export type ButtonProblems = Partial<Record<Field, Problem>>;

/** `"0"` is the first top button, `"0.2"` its third sub button. */
export const pathKey = (top: number, sub?: number) => (sub === undefined ? String(top) : `${top}.${sub}`);

function httpUrl(s: string): boolean {
  if (s.length === 0 || utf8Bytes(s) > LIMITS.urlBytes) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

function checkLeaf(b: DraftButton, out: ButtonProblems): void {
  if (needsKey(b.type)) {
    const k = b.key.trim();
    if (!k) out.key = 'keyEmpty';
    else if (utf8Bytes(k) > LIMITS.keyBytes) out.key = 'keyLong';
  }
  if (needsUrl(b.type) && !httpUrl(b.url.trim())) out.url = 'urlBad';
  if (b.type === 'miniprogram') {
    if (!/^wx[0-9a-f]{16}$/.test(b.appid.trim())) out.appid = 'appidBad';
    if (!b.pagepath.trim()) out.pagepath = 'pagepathEmpty';
  }
  if (needsMedia(b.type) && !b.mediaId.trim()) out.mediaId = 'mediaEmpty';
  if (needsArticle(b.type) && !b.articleId.trim()) out.articleId = 'articleEmpty';
}

function checkName(name: string, max: number, out: ButtonProblems): void {
  const n = name.trim();
  if (!n) out.name = 'nameEmpty';
  else if (utf8Bytes(n) > max) out.name = 'nameLong';
}

/** Every button's problems by path; empty when the menu can be published. */
export function validateMenu(buttons: readonly DraftButton[]): Map<string, ButtonProblems> {
  const problems = new Map<string, ButtonProblems>();
  buttons.forEach((b, i) => {
    const own: ButtonProblems = {};
    checkName(b.name, LIMITS.topNameBytes, own);
    if (b.subs.length === 0) checkLeaf(b, own);
    if (Object.keys(own).length) problems.set(pathKey(i), own);
    b.subs.forEach((s, j) => {
      const sub: ButtonProblems = {};
      checkName(s.name, LIMITS.subNameBytes, sub);
      checkLeaf(s, sub);
      if (Object.keys(sub).length) problems.set(pathKey(i, j), sub);
    });
  });
  return problems;
}

/** The button at a path key, or undefined. */
export function buttonAt(buttons: readonly DraftButton[], key: string): DraftButton | undefined {
  const [top, sub] = key.split('.').map(Number);
  const b = top === undefined ? undefined : buttons[top];
  return sub === undefined ? b : b?.subs[sub];
}

/** A copy with the button at `key` replaced by `f(button)`. */
export function updateAt(buttons: readonly DraftButton[], key: string, f: (b: DraftButton) => DraftButton): DraftButton[] {
  const [top, sub] = key.split('.').map(Number);
  return buttons.map((b, i) => (i !== top ? b : sub === undefined ? f(b) : { ...b, subs: b.subs.map((s, j) => (j === sub ? f(s) : s)) }));
}

/** Moves an item of a list by `delta` places (no-op at the ends). */
export function move<T>(list: readonly T[], index: number, delta: number): T[] {
  const to = index + delta;
  if (to < 0 || to >= list.length) return [...list];
  const out = [...list];
  const [item] = out.splice(index, 1);
  if (item !== undefined) out.splice(to, 0, item);
  return out;
}

/** Same menu, ignoring editor-only state (for "unpublished changes"). */
export const sameMenu = (a: readonly DraftButton[], b: readonly DraftButton[]) => JSON.stringify(toWire(a)) === JSON.stringify(toWire(b));
