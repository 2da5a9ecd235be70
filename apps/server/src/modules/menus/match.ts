import type { MatchRule, MenuButton, StoredMenu, LeafButton } from './model.ts';
import { isParent } from './model.ts';

/** The tag ids an openid of the account carries (wired to the tags module in services.ts). */
export type TagLookup = (accountId: string, openid: string) => Promise<number[]>;

/** WeChat's client_platform_type of a Lianjie client: 3 = "Others" (the web client). */
export const LIANJIE_CLIENT_PLATFORM = '3';

function matches(rule: MatchRule, tags: readonly number[], platform: string): boolean {
  const tag = rule.tag_id ?? rule.group_id;
  if (tag !== undefined && !tags.some((t) => String(t) === tag)) return false;
  if (rule.client_platform_type !== undefined && rule.client_platform_type !== platform) return false;
  return true;
}

/**
 * The menu a follower sees: conditional menus are tried newest first and the first whose rule
 * matches wins; otherwise the default menu. Without a default menu there is no menu at all.
 */
export function pickMenu(menus: readonly StoredMenu[], tags: readonly number[], platform = LIANJIE_CLIENT_PLATFORM): StoredMenu | undefined {
  const fallback = menus.find((m) => m.kind === 'default');
  if (!fallback) return undefined;
  const conditional = menus.filter((m) => m.kind === 'conditional').sort((a, b) => (a.menuid < b.menuid ? 1 : a.menuid > b.menuid ? -1 : 0));
  return conditional.find((m) => m.matchrule !== null && matches(m.matchrule, tags, platform)) ?? fallback;
}

/** The leaf button at `[top, sub?]`, or undefined when the path leads nowhere or to a parent. */
export function buttonAt(buttons: readonly MenuButton[], path: readonly number[]): LeafButton | undefined {
  const [top, sub, ...rest] = path;
  if (top === undefined || rest.length > 0) return undefined;
  const b = buttons[top];
  if (!b) return undefined;
  if (isParent(b)) return sub === undefined ? undefined : b.sub_button[sub];
  return sub === undefined ? b : undefined;
}
