import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../app.ts';
import { selfMenuButtons, wireButtons, type StoredMenu } from '../../modules/menus/model.ts';
import { accountIdOf, appContext, wxOk } from './oa-scope.ts';

const body = (b: unknown): Record<string, unknown> => (typeof b === 'object' && b !== null && !Array.isArray(b) ? (b as Record<string, unknown>) : {});

const presentConditional = (m: StoredMenu) => ({ button: wireButtons(m.buttons), matchrule: m.matchrule ?? {}, menuid: Number(m.menuid) });

/**
 * Custom menus: `menu/create|get|delete`, conditional menus (`addconditional`, `delconditional`,
 * `trymatch`) and `get_current_selfmenu_info`.
 */
export function menuRoutes(scope: FastifyInstance, platform: Platform): void {
  const { menus } = platform.services;

  scope.post('/cgi-bin/menu/create', async (req) => {
    const ctx = await appContext(platform, req);
    await menus.create(ctx, accountIdOf(ctx), req.body);
    return wxOk;
  });

  scope.get('/cgi-bin/menu/get', async (req) => {
    const ctx = await appContext(platform, req);
    const all = await menus.get(ctx, accountIdOf(ctx));
    const menu = { button: wireButtons(all.default.buttons), menuid: Number(all.default.menuid) };
    return all.conditional.length ? { menu, conditionalmenu: all.conditional.map(presentConditional) } : { menu };
  });

  scope.get('/cgi-bin/menu/delete', async (req) => {
    const ctx = await appContext(platform, req);
    await menus.remove(ctx, accountIdOf(ctx));
    return wxOk;
  });

  scope.post('/cgi-bin/menu/addconditional', async (req) => {
    const ctx = await appContext(platform, req);
    const menuid = await menus.addConditional(ctx, accountIdOf(ctx), req.body);
    return { menuid: String(menuid) };
  });

  scope.post('/cgi-bin/menu/delconditional', async (req) => {
    const ctx = await appContext(platform, req);
    await menus.delConditional(ctx, accountIdOf(ctx), body(req.body).menuid);
    return wxOk;
  });

  scope.post('/cgi-bin/menu/trymatch', async (req) => {
    const ctx = await appContext(platform, req);
    const menu = await menus.tryMatch(ctx, accountIdOf(ctx), body(req.body).user_id);
    return { button: wireButtons(menu.buttons) };
  });

  scope.get('/cgi-bin/get_current_selfmenu_info', async (req) => {
    const ctx = await appContext(platform, req);
    const menu = await menus.current(ctx, accountIdOf(ctx));
    return { is_menu_open: menu ? 1 : 0, selfmenu_info: { button: menu ? selfMenuButtons(menu.buttons) : [] } };
  });
}
