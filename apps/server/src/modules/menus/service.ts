import { sql, type Selectable } from 'kysely';
import type { RequestContext } from '../../platform/context.ts';
import { requireConsumer } from '../../platform/context.ts';
import type { Db } from '../../platform/database.ts';
import { AppError, invalid, isAppError, notFound } from '../../platform/errors.ts';
import { requirePermission } from '../../platform/permissions.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { FollowersService } from '../followers/service.ts';
import type { ConversationService } from '../messaging/service.ts';
import { buttonAt, pickMenu, type TagLookup } from './match.ts';
import type { MatchRule, MenuButton, StoredMenu } from './model.ts';
import type { MenusTable } from './tables.ts';
import { tapEffect, type TapInput } from './tap.ts';
import { menuDomains, parseMatchRule, parseMenuButtons } from './validate.ts';
import './tables.ts';

export interface MenusDeps {
  db: Db;
  accounts: AccountsService;
  followers: FollowersService;
  conversations: ConversationService;
  tagsOf: TagLookup;
  /** Throws 45159 unless the tag exists on the account (the tags module's `get`). */
  requireTag: (ctx: RequestContext, accountId: string, tagId: number) => Promise<unknown>;
}

/** At most this many conditional menus per account (65305), leading to at most 3 domains (65316). */
export const MAX_CONDITIONAL_MENUS = 20;
export const MAX_CONDITIONAL_DOMAINS = 3;

export interface AccountMenus {
  default: StoredMenu;
  /** Newest first, the order in which they are matched. */
  conditional: StoredMenu[];
}

export interface TapResult {
  action: 'event' | 'open_url' | 'none';
  url?: string | undefined;
  outboxIds: bigint[];
}

const wx = (wxErrcode: number, errmsg: string) => new AppError('failed_precondition', errmsg, { wxErrcode });
const menuNotExist = () => new AppError('not_found', 'menu no exist', { wxErrcode: 46003 });

const toStored = (r: Selectable<MenusTable>): StoredMenu => ({
  menuid: r.id,
  kind: r.kind,
  buttons: r.buttons as MenuButton[],
  matchrule: (r.matchrule as MatchRule | null) ?? null,
  createdAt: r.created_at,
});

export type MenusService = ReturnType<typeof createMenusService>;

export function createMenusService(deps: MenusDeps) {
  const { db, accounts, followers, conversations, tagsOf, requireTag } = deps;

  /** The caller may manage this account's menus: its own app token, or a member of its organisation. */
  async function manageable(ctx: RequestContext, accountId: string): Promise<string> {
    const orgId = requirePermission(ctx, 'settings');
    if (ctx.actor.kind === 'app') {
      if (ctx.actor.accountId !== accountId) throw new AppError('permission_denied', 'api unauthorized', { wxErrcode: 48001 });
      return accountId;
    }
    const account = await accounts.findById(accountId);
    if (!account || account.org_id !== orgId) throw notFound('account');
    return accountId;
  }

  async function load(accountId: string): Promise<StoredMenu[]> {
    const rows = await db.selectFrom('menus').selectAll().where('account_id', '=', accountId).orderBy('id', 'desc').execute();
    return rows.map(toStored);
  }

  /** The menu an openid (or, without one, a visitor) sees. */
  async function resolve(accountId: string, openid: string | undefined): Promise<StoredMenu | undefined> {
    const menus = await load(accountId);
    const tags = openid !== undefined && menus.some((m) => m.kind === 'conditional') ? await tagsOf(accountId, openid) : [];
    return pickMenu(menus, tags);
  }

  return {
    /** `menu/create`: replaces the default menu (conditional menus stay). */
    async create(ctx: RequestContext, accountId: string, body: unknown): Promise<bigint> {
      await manageable(ctx, accountId);
      const buttons = parseMenuButtons(body);
      const row = await db
        .insertInto('menus')
        .values({ account_id: accountId, kind: 'default', buttons: JSON.stringify(buttons), matchrule: null })
        .onConflict((oc) =>
          oc
            .column('account_id')
            .where(sql<boolean>`kind = 'default'`)
            .doUpdateSet((eb) => ({ id: eb.ref('excluded.id'), buttons: eb.ref('excluded.buttons'), created_at: eb.ref('excluded.created_at') })),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /** `menu/get`: the default menu and every conditional one; 46003 when there is none. */
    async get(ctx: RequestContext, accountId: string): Promise<AccountMenus> {
      await manageable(ctx, accountId);
      const menus = await load(accountId);
      const fallback = menus.find((m) => m.kind === 'default');
      if (!fallback) throw menuNotExist();
      return { default: fallback, conditional: menus.filter((m) => m.kind === 'conditional') };
    },

    /** The console's view: the default menu (undefined when the menu is off) and the conditional ones. */
    async overview(ctx: RequestContext, accountId: string): Promise<{ default: StoredMenu | undefined; conditional: StoredMenu[] }> {
      await manageable(ctx, accountId);
      const menus = await load(accountId);
      return { default: menus.find((m) => m.kind === 'default'), conditional: menus.filter((m) => m.kind === 'conditional') };
    },

    /** `menu/delete`: removes the default menu and all conditional menus. */
    async remove(ctx: RequestContext, accountId: string): Promise<void> {
      await manageable(ctx, accountId);
      await db.deleteFrom('menus').where('account_id', '=', accountId).execute();
    },

    /** `menu/addconditional`: needs a default menu (65303) and a non-empty rule (65304). */
    async addConditional(ctx: RequestContext, accountId: string, body: unknown): Promise<bigint> {
      await manageable(ctx, accountId);
      const buttons = parseMenuButtons(body);
      const rule = parseMatchRule(typeof body === 'object' && body !== null ? (body as { matchrule?: unknown }).matchrule : undefined);
      const noDefault = () => wx(65303, 'there is no selfmenu, please create selfmenu first');
      if (!(await db.selectFrom('menus').select('id').where('account_id', '=', accountId).where('kind', '=', 'default').executeTakeFirst())) throw noDefault();
      const tag = rule.tag_id ?? rule.group_id;
      if (tag !== undefined) await requireTag(ctx, accountId, Number(tag));
      return db.transaction().execute(async (tx) => {
        const menus = (await tx.selectFrom('menus').selectAll().where('account_id', '=', accountId).forUpdate().execute()).map(toStored);
        if (!menus.some((m) => m.kind === 'default')) throw noDefault();
        const conditional = menus.filter((m) => m.kind === 'conditional');
        if (conditional.length >= MAX_CONDITIONAL_MENUS) throw wx(65305, 'too many conditional menus');
        const domains = new Set([...conditional.flatMap((m) => [...menuDomains(m.buttons)]), ...menuDomains(buttons)]);
        if (domains.size > MAX_CONDITIONAL_DOMAINS) throw wx(65316, 'too many url domains in conditional menus');
        const row = await tx
          .insertInto('menus')
          .values({ account_id: accountId, kind: 'conditional', buttons: JSON.stringify(buttons), matchrule: JSON.stringify(rule) })
          .returning('id')
          .executeTakeFirstOrThrow();
        return row.id;
      });
    },

    /** `menu/delconditional`: 65301 for a menuid that is not one of this account's conditional menus. */
    async delConditional(ctx: RequestContext, accountId: string, menuid: unknown): Promise<void> {
      await manageable(ctx, accountId);
      const id = typeof menuid === 'number' || typeof menuid === 'string' ? String(menuid) : '';
      const gone = /^\d{1,18}$/.test(id)
        ? await db.deleteFrom('menus').where('id', '=', BigInt(id)).where('account_id', '=', accountId).where('kind', '=', 'conditional').executeTakeFirst()
        : undefined;
      if (!gone || gone.numDeletedRows === 0n) throw new AppError('not_found', 'menuid not exist', { wxErrcode: 65301 });
    },

    /** `menu/trymatch`: the menu this follower (openid) would see; 65302 for an unknown user. */
    async tryMatch(ctx: RequestContext, accountId: string, userId: unknown): Promise<StoredMenu> {
      await manageable(ctx, accountId);
      const follow = await followers.byOpenid(ctx, accountId, typeof userId === 'string' ? userId : undefined).catch((err: unknown) => {
        throw isAppError(err) && err.wxErrcode === 40003 ? new AppError('not_found', 'user not exist', { wxErrcode: 65302 }) : err;
      });
      const menu = await resolve(accountId, follow.openid);
      if (!menu) throw menuNotExist();
      return menu;
    },

    /** `get_current_selfmenu_info`: the default menu, or undefined when the menu is off. */
    async current(ctx: RequestContext, accountId: string): Promise<StoredMenu | undefined> {
      await manageable(ctx, accountId);
      return (await load(accountId)).find((m) => m.kind === 'default');
    },

    /** Consumer side: the menu this consumer sees on the account (conditional rules applied). */
    async forConsumer(ctx: RequestContext, accountId: string): Promise<StoredMenu | undefined> {
      const consumerId = requireConsumer(ctx);
      await accounts.publicView(ctx, accountId);
      const follow = await followers.findFollow(db, accountId, consumerId);
      return resolve(accountId, follow?.subscribed ? follow.openid : undefined);
    },

    /**
     * Consumer side: a tap on the button at `path` of the menu this consumer sees. The button is
     * looked up here, so its key, URL and menuid are the merchant's, never the client's.
     */
    async tap(ctx: RequestContext, accountId: string, input: TapInput): Promise<TapResult> {
      const consumerId = requireConsumer(ctx);
      await accounts.publicView(ctx, accountId);
      const follow = await followers.findFollow(db, accountId, consumerId);
      if (!follow?.subscribed) throw new AppError('failed_precondition', 'follow this account first');
      const menu = await resolve(accountId, follow.openid);
      const button = menu ? buttonAt(menu.buttons, input.path) : undefined;
      if (!menu || !button) throw invalid('there is no menu button at this path');
      const effect = tapEffect(button, menu.menuid, input);
      if (effect.action === 'none') return { action: 'none', outboxIds: [] };
      const sent = await conversations.sendEvent(ctx, accountId, effect.event, effect.extra);
      return { action: effect.action, url: effect.action === 'open_url' ? effect.url : undefined, outboxIds: sent.outboxIds };
    },
  };
}
