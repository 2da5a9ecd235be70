/** Custom menus as WeChat defines them: types, their required fields, and the wire presentation. */

export const BUTTON_TYPES = [
  'click',
  'view',
  'scancode_push',
  'scancode_waitmsg',
  'pic_sysphoto',
  'pic_photo_or_album',
  'pic_weixin',
  'location_select',
  'media_id',
  'view_limited',
  'article_id',
  'article_view_limited',
  'miniprogram',
] as const;
export type ButtonType = (typeof BUTTON_TYPES)[number];

/** Types that push an event with the button's `key`. */
export const KEY_TYPES: ReadonlySet<string> = new Set(['click', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin', 'location_select']);
export const URL_TYPES: ReadonlySet<string> = new Set(['view', 'miniprogram']);
export const MEDIA_TYPES: ReadonlySet<string> = new Set(['media_id', 'view_limited']);
export const ARTICLE_TYPES: ReadonlySet<string> = new Set(['article_id', 'article_view_limited']);

/** A button that does something (only the fields its type uses are kept). */
export interface LeafButton {
  type: ButtonType;
  name: string;
  key?: string;
  url?: string;
  media_id?: string;
  article_id?: string;
  appid?: string;
  pagepath?: string;
}

/** A top-level button that opens 1–5 sub buttons. */
export interface ParentButton {
  name: string;
  sub_button: LeafButton[];
}

export type MenuButton = LeafButton | ParentButton;

export const isParent = (b: MenuButton): b is ParentButton => 'sub_button' in b;

/** Conditional-menu rule as stored and shown by `menu/get` (WeChat answers strings). */
export interface MatchRule {
  tag_id?: string;
  group_id?: string;
  client_platform_type?: string;
}

/** A stored menu: the default one or a conditional one. */
export interface StoredMenu {
  menuid: bigint;
  kind: 'default' | 'conditional';
  buttons: MenuButton[];
  matchrule: MatchRule | null;
  createdAt: Date;
}

export interface WireLeaf extends LeafButton {
  sub_button: [];
}
export type WireButton = WireLeaf | { name: string; sub_button: WireLeaf[] };

const OPTIONAL_FIELDS = ['key', 'url', 'media_id', 'article_id', 'appid', 'pagepath'] as const;

/** The button's fields in WeChat's order, without anything its type does not use. */
function leafFields(b: LeafButton): LeafButton {
  const out: LeafButton = { type: b.type, name: b.name };
  for (const f of OPTIONAL_FIELDS) {
    const v = b[f];
    if (v !== undefined) out[f] = v;
  }
  return out;
}

const wireLeaf = (b: LeafButton): WireLeaf => ({ ...leafFields(b), sub_button: [] });

/** Buttons as `menu/get` and `menu/trymatch` show them: every leaf carries `sub_button: []`. */
export const wireButtons = (buttons: readonly MenuButton[]): WireButton[] =>
  buttons.map((b) => (isParent(b) ? { name: b.name, sub_button: b.sub_button.map(wireLeaf) } : wireLeaf(b)));

type SelfLeaf = LeafButton & { value?: string };
export type SelfButton = SelfLeaf | { name: string; sub_button: { list: SelfLeaf[] } };

function selfLeaf(b: LeafButton): SelfLeaf {
  const out: SelfLeaf = leafFields(b);
  if (MEDIA_TYPES.has(b.type) && b.media_id !== undefined) out.value = b.media_id;
  return out;
}

/** Buttons as `get_current_selfmenu_info` shows them: sub buttons under `sub_button.list`. */
export const selfMenuButtons = (buttons: readonly MenuButton[]): SelfButton[] =>
  buttons.map((b) => (isParent(b) ? { name: b.name, sub_button: { list: b.sub_button.map(selfLeaf) } } : selfLeaf(b)));

/** What a consumer's client needs to draw a button: its type, name and (for links) URL; no keys. */
export interface ConsumerLeaf {
  type: ButtonType;
  name: string;
  url?: string;
}
export type ConsumerButton = ConsumerLeaf | { name: string; sub_button: ConsumerLeaf[] };

function consumerLeaf(b: LeafButton): ConsumerLeaf {
  return b.url !== undefined ? { type: b.type, name: b.name, url: b.url } : { type: b.type, name: b.name };
}

export const consumerButtons = (buttons: readonly MenuButton[]): ConsumerButton[] =>
  buttons.map((b) => (isParent(b) ? { name: b.name, sub_button: b.sub_button.map(consumerLeaf) } : consumerLeaf(b)));
