import { Buffer } from 'node:buffer';
import { AppError } from '../../platform/errors.ts';
import { ARTICLE_TYPES, BUTTON_TYPES, KEY_TYPES, MEDIA_TYPES, URL_TYPES, isParent, type ButtonType, type LeafButton, type MatchRule, type MenuButton } from './model.ts';

// Validation of `menu/create` and `menu/addconditional` bodies with WeChat's own errcodes and messages.

export const MENU_LIMITS = { topButtons: 3, subButtons: 5, topNameBytes: 16, subNameBytes: 60, keyBytes: 128, urlBytes: 1024, idBytes: 128 } as const;

const wx = (wxErrcode: number, errmsg: string) => new AppError('invalid_argument', errmsg, { wxErrcode });

/** The errcodes of one level: a top-level button, or a sub button. */
interface Level {
  nameBytes: number;
  type: [number, string];
  name: [number, string];
  key: [number, string];
  url: [number, string];
  domain: [number, string];
}

const TOP: Level = {
  nameBytes: MENU_LIMITS.topNameBytes,
  type: [40017, 'invalid button type'],
  name: [40018, 'invalid button name size'],
  key: [40019, 'invalid button key size'],
  url: [40020, 'invalid button url size'],
  domain: [40055, 'invalid button url domain'],
};

const SUB: Level = {
  nameBytes: MENU_LIMITS.subNameBytes,
  type: [40024, 'invalid sub button type'],
  name: [40025, 'invalid sub button name size'],
  key: [40026, 'invalid sub button key size'],
  url: [40027, 'invalid sub button url size'],
  domain: [40054, 'invalid sub button url domain'],
};

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isButtonType = (v: unknown): v is ButtonType => typeof v === 'string' && (BUTTON_TYPES as readonly string[]).includes(v);
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** A string of 1..max UTF-8 bytes, or the given error. */
function sized(value: unknown, max: number, [code, msg]: [number, string]): string {
  if (typeof value !== 'string' || value.length === 0 || bytes(value) > max) throw wx(code, msg);
  return value;
}

function checkUrl(value: unknown, level: Level): string {
  const url = sized(value, MENU_LIMITS.urlBytes, level.url);
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) throw wx(...level.domain);
  return url;
}

function parseLeaf(raw: Obj, name: string, level: Level): LeafButton {
  const type = raw.type;
  if (!isButtonType(type)) throw wx(...level.type);
  const b: LeafButton = { type, name };
  if (KEY_TYPES.has(type)) b.key = sized(raw.key, MENU_LIMITS.keyBytes, level.key);
  if (type === 'miniprogram') {
    if (typeof raw.appid !== 'string' || !/^wx[0-9a-f]{16}$/.test(raw.appid)) throw wx(40166, 'invalid weapp appid');
    b.appid = raw.appid;
    b.pagepath = sized(raw.pagepath, MENU_LIMITS.urlBytes, [40165, 'invalid weapp pagepath']);
  }
  if (URL_TYPES.has(type)) b.url = checkUrl(raw.url, level);
  if (MEDIA_TYPES.has(type)) b.media_id = sized(raw.media_id, MENU_LIMITS.idBytes, [40007, 'invalid media_id']);
  if (ARTICLE_TYPES.has(type)) b.article_id = sized(raw.article_id, MENU_LIMITS.idBytes, [47001, 'data format error: invalid article_id']);
  return b;
}

function parseSub(raw: unknown): LeafButton {
  if (!isObject(raw)) throw wx(...SUB.type);
  const name = sized(raw.name, SUB.nameBytes, SUB.name);
  if (Array.isArray(raw.sub_button) && raw.sub_button.length > 0) throw wx(40022, 'invalid sub button level');
  return parseLeaf(raw, name, SUB);
}

function parseTop(raw: unknown): MenuButton {
  if (!isObject(raw)) throw wx(...TOP.type);
  const name = sized(raw.name, TOP.nameBytes, TOP.name);
  const subs = raw.sub_button;
  if (Array.isArray(subs) && subs.length > 0) {
    if (subs.length > MENU_LIMITS.subButtons) throw wx(40023, 'invalid sub button size');
    return { name, sub_button: subs.map(parseSub) };
  }
  // `sub_button: []` next to a type is a leaf (that is how menu/get writes leaves); without one it is an empty parent.
  if (raw.type === undefined && Array.isArray(subs)) throw wx(40023, 'invalid sub button size');
  return parseLeaf(raw, name, TOP);
}

/** Validates `{button:[…]}`: 1–3 buttons, each a typed leaf or a parent of 1–5 typed sub buttons. */
export function parseMenuButtons(body: unknown): MenuButton[] {
  const list = isObject(body) ? body.button : undefined;
  if (!Array.isArray(list) || list.length < 1 || list.length > MENU_LIMITS.topButtons) throw wx(40016, 'invalid button size');
  return list.map(parseTop);
}

/** Rules WeChat no longer accepts, for privacy (errcode 65320 since 2021). */
const PRIVATE_RULES = ['sex', 'country', 'province', 'city', 'language'] as const;

const present = (v: unknown) => v !== undefined && v !== null && String(v) !== '';

/** Validates a conditional menu's `matchrule`: a tag (or legacy group) and/or a client platform. */
export function parseMatchRule(raw: unknown): MatchRule {
  if (!isObject(raw)) throw wx(65304, 'match rule empty');
  if (PRIVATE_RULES.some((k) => present(raw[k]))) throw wx(65320, 'matchrule with sex, region or language is not supported');
  const rule: MatchRule = {};
  for (const k of ['tag_id', 'group_id'] as const) {
    const v = raw[k];
    if (!present(v)) continue;
    const s = String(v);
    if (!/^\d{1,10}$/.test(s)) throw wx(45159, 'invalid tag_id');
    rule[k] = s;
  }
  if (present(raw.client_platform_type)) {
    const s = String(raw.client_platform_type);
    if (!['1', '2', '3'].includes(s)) throw wx(47001, 'data format error: client_platform_type must be 1, 2 or 3');
    rule.client_platform_type = s;
  }
  if (Object.keys(rule).length === 0) throw wx(65304, 'match rule empty');
  return rule;
}

/** The host names a menu's links lead to (conditional menus may lead to at most 3 in all). */
export function menuDomains(buttons: readonly MenuButton[]): Set<string> {
  const leaves = buttons.flatMap((b) => (isParent(b) ? b.sub_button : [b]));
  return new Set(leaves.flatMap((b) => (b.url ? [new URL(b.url).hostname] : [])));
}
