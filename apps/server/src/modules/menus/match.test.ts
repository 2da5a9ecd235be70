import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buttonAt, pickMenu } from './match.ts';
import type { MatchRule, MenuButton, StoredMenu } from './model.ts';

const click = (key: string): MenuButton => ({ type: 'click', name: key, key });
const menu = (menuid: number, kind: StoredMenu['kind'], key: string, matchrule: MatchRule | null = null): StoredMenu => ({ menuid: BigInt(menuid), kind, buttons: [click(key)], matchrule, createdAt: new Date() });
const keyOf = (m: StoredMenu | undefined) => (m?.buttons[0] as { key?: string } | undefined)?.key;

describe('pickMenu', () => {
  const def = menu(1, 'default', 'DEFAULT');
  it('is undefined without a default menu, even with conditional ones', () => {
    assert.equal(pickMenu([menu(2, 'conditional', 'C', { tag_id: '100' })], [100]), undefined);
  });
  it('tries conditional menus newest first, whatever order they come in', () => {
    const menus = [menu(5, 'conditional', 'OLD', { tag_id: '100' }), def, menu(9, 'conditional', 'NEW', { tag_id: '101' })];
    assert.equal(keyOf(pickMenu(menus, [100, 101])), 'NEW');
    assert.equal(keyOf(pickMenu(menus, [100])), 'OLD');
    assert.equal(keyOf(pickMenu(menus, [102])), 'DEFAULT');
    assert.equal(keyOf(pickMenu(menus, [])), 'DEFAULT');
  });
  it('matches the legacy group_id like a tag and the client platform (web clients are "3")', () => {
    const menus = [def, menu(3, 'conditional', 'IOS', { client_platform_type: '1' }), menu(4, 'conditional', 'GROUP', { group_id: '2' })];
    assert.equal(keyOf(pickMenu(menus, [2])), 'GROUP');
    assert.equal(keyOf(pickMenu(menus, [])), 'DEFAULT');
    assert.equal(keyOf(pickMenu(menus, [], '1')), 'IOS');
    const both = [def, menu(7, 'conditional', 'WEB_VIP', { tag_id: '100', client_platform_type: '3' })];
    assert.equal(keyOf(pickMenu(both, [100])), 'WEB_VIP');
    assert.equal(keyOf(pickMenu(both, [100], '2')), 'DEFAULT', 'every field of a rule must match');
  });
});

describe('buttonAt', () => {
  const buttons: MenuButton[] = [click('A'), { name: 'P', sub_button: [{ type: 'click', name: 'S', key: 'S' }] }];
  it('finds leaves only, at exact paths', () => {
    assert.equal(buttonAt(buttons, [0])?.key, 'A');
    assert.equal(buttonAt(buttons, [1, 0])?.key, 'S');
    for (const path of [[], [1], [0, 0], [1, 1], [2], [1, 0, 0]]) assert.equal(buttonAt(buttons, path), undefined, JSON.stringify(path));
  });
});
