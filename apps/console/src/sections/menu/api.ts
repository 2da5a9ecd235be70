import { api, enc } from '../../lib/api.ts';
import type { WireButton } from './model.ts';

export interface MenuOverview {
  default: { menuid: string; button: WireButton[]; createdAt: string } | null;
  conditional: { menuid: string; button: WireButton[]; createdAt: string; tagId: string | null; tagName: string | null; clientPlatformType: string | null }[];
  tags: { id: number; name: string; count: number }[];
}
export type ConditionalMenu = MenuOverview['conditional'][number];

const base = (accountId: string) => `/api/v1/merchant/accounts/${enc(accountId)}/menu`;

/** The console's menu API (apps/server/src/modules/menus/routes-merchant.ts). */
export const menuApi = {
  get: (accountId: string) => api.get<MenuOverview>(base(accountId)),
  publish: (accountId: string, button: WireButton[]) => api.put<MenuOverview>(base(accountId), { button }),
  turnOff: (accountId: string) => api.del<{ ok: true }>(base(accountId)),
  addConditional: (accountId: string, tagId: number, button: WireButton[]) => api.post<{ menuid: string }>(`${base(accountId)}/conditional`, { tagId, button }),
  deleteConditional: (accountId: string, menuid: string) => api.del<{ ok: true }>(`${base(accountId)}/conditional/${enc(menuid)}`),
};
