import type { RequestContext } from '../../platform/context.ts';
import type { Db } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { requirePermission } from '../../platform/permissions.ts';
import { cstDate } from '../../platform/time.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { MenuButton } from '../menus/model.ts';
import { METRICS, type Cell } from './counts.ts';
import { dayToDate, parseDay } from './range.ts';
import { followersBefore, readCells, type AccountRef } from './rollup.ts';

const CHART_METRICS = METRICS.filter((m) => !m.startsWith('push.'));

/** The longest range the console may ask for, in days. */
export const CHART_MAX_DAYS = 366;

export interface FunnelStep {
  scans: number;
  follows: number;
  orders: number;
  paid: number;
}

export interface ChartsInput {
  from: string;
  to: string;
  accountId?: string | undefined;
}

export interface Charts {
  from: string;
  to: string;
  followers: Array<{ date: string; new: number; lost: number; net: number; cumulative: number }>;
  messages: Array<{ date: string; type: string; count: number; users: number }>;
  menu: Array<{ event: string; key: string; name: string | null; clicks: number }>;
  funnel: { overall: FunnelStep; scenes: Array<FunnelStep & { scene: string; name: string | null }> };
  revenue: Array<{ date: string; orders: number; paid: number; refunds: number; refundCount: number; net: number }>;
}

const badRange = (message: string) => new AppError('invalid_argument', message, { details: { reason: 'BAD_RANGE' } });

export type ChartsService = ReturnType<typeof createChartsService>;

/** The console's analytics: every chart of one account or all the organisation's accounts, per CST day. */
export function createChartsService(db: Db, accounts: Pick<AccountsService, 'ownAccount'>, now: () => number = Date.now) {
  async function scope(ctx: RequestContext, accountId: string | undefined): Promise<AccountRef[]> {
    const orgId = requirePermission(ctx, 'analytics');
    if (accountId !== undefined) {
      const row = await accounts.ownAccount(ctx, accountId);
      return [{ id: row.id, orgId: row.org_id }];
    }
    const rows = await db.selectFrom('official_accounts').select(['id', 'org_id']).where('org_id', '=', orgId).execute();
    return rows.map((r) => ({ id: r.id, orgId: r.org_id }));
  }

  function range(input: ChartsInput): { fromDay: number; toDay: number } {
    const fromDay = parseDay(input.from);
    const toDay = parseDay(input.to);
    if (fromDay === undefined || toDay === undefined) throw badRange('from and to must be dates (YYYY-MM-DD)');
    if (toDay < fromDay) throw badRange('to is before from');
    if (toDay - fromDay + 1 > CHART_MAX_DAYS) throw badRange(`at most ${CHART_MAX_DAYS} days`);
    const today = parseDay(cstDate(now())) ?? 0;
    if (toDay > today) throw badRange('to is after today');
    return { fromDay, toDay };
  }

  /** Button names from the accounts' menus (the latest menu naming a key or URL wins). */
  async function buttonNames(accountIds: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    if (accountIds.length === 0) return names;
    const menus = await db.selectFrom('menus').select('buttons').where('account_id', 'in', accountIds).orderBy('id').execute();
    for (const m of menus) {
      for (const b of (m.buttons as unknown as MenuButton[]) ?? []) {
        for (const leaf of 'sub_button' in b ? b.sub_button : [b]) {
          if (leaf.key) names.set(leaf.key, leaf.name);
          if (leaf.url) names.set(leaf.url, leaf.name);
        }
      }
    }
    return names;
  }

  async function sceneNames(accountIds: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    if (accountIds.length === 0) return names;
    const rows = await db.selectFrom('qrcodes').select(['scene_id', 'scene_str', 'name']).where('account_id', 'in', accountIds).where('name', 'is not', null).orderBy('created_at').execute();
    for (const r of rows) if (r.name) names.set(r.scene_str ?? String(r.scene_id), r.name);
    return names;
  }

  return {
    async charts(ctx: RequestContext, input: ChartsInput): Promise<Charts> {
      const { fromDay, toDay } = range(input);
      const refs = await scope(ctx, input.accountId);
      const at = now();
      // Per day where a chart is per day, per dimension where it is per button or QR scene; pushes are not charted.
      const cells = await readCells(db, refs, fromDay, toDay, at, CHART_METRICS, {
        noDay: ['menu.click', 'qr.scan', 'qr.follow', 'qr.order', 'qr.paid'],
        noDimension: ['follow.new', 'follow.cancel', 'pay.count', 'pay.amount', 'refund.count', 'refund.amount'],
      });
      const sum = (pred: (c: Cell) => boolean) => cells.filter(pred).reduce((n, c) => n + Number(c.value), 0);
      const byDay = new Map<number, Cell[]>();
      for (const c of cells) {
        let list = byDay.get(c.day);
        if (!list) byDay.set(c.day, (list = []));
        list.push(c);
      }
      const daySum = (day: number, metric: Cell['metric']) => (byDay.get(day) ?? []).filter((c) => c.metric === metric).reduce((n, c) => n + Number(c.value), 0);

      const followers: Charts['followers'] = [];
      const revenue: Charts['revenue'] = [];
      let cumulative = await followersBefore(db, refs, fromDay, at);
      for (let day = fromDay; day <= toDay; day++) {
        const n = daySum(day, 'follow.new');
        const lost = daySum(day, 'follow.cancel');
        cumulative += n - lost;
        followers.push({ date: dayToDate(day), new: n, lost, net: n - lost, cumulative });
        const paid = daySum(day, 'pay.amount');
        const refunds = daySum(day, 'refund.amount');
        revenue.push({ date: dayToDate(day), orders: daySum(day, 'pay.count'), paid, refunds, refundCount: daySum(day, 'refund.count'), net: paid - refunds });
      }

      const messages = new Map<string, Charts['messages'][number]>();
      for (const c of cells) {
        if (c.metric !== 'msg.count' && c.metric !== 'msg.users') continue;
        const key = `${c.day}|${c.dimension}`;
        let m = messages.get(key);
        if (!m) messages.set(key, (m = { date: dayToDate(c.day), type: c.dimension, count: 0, users: 0 }));
        if (c.metric === 'msg.count') m.count += Number(c.value);
        else m.users += Number(c.value);
      }

      const buttons = await buttonNames(refs.map((r) => r.id));
      const clicks = new Map<string, number>();
      for (const c of cells) if (c.metric === 'menu.click') clicks.set(c.dimension, (clicks.get(c.dimension) ?? 0) + Number(c.value));
      const menu = [...clicks].map(([dim, n]) => {
        const space = dim.indexOf(' ');
        const key = dim.slice(space + 1);
        return { event: dim.slice(0, space), key, name: buttons.get(key) ?? null, clicks: n };
      }).sort((a, b) => b.clicks - a.clicks || a.key.localeCompare(b.key));

      const names = await sceneNames(refs.map((r) => r.id));
      const scenes = new Map<string, FunnelStep & { scene: string; name: string | null }>();
      const step = { 'qr.scan': 'scans', 'qr.follow': 'follows', 'qr.order': 'orders', 'qr.paid': 'paid' } as const;
      for (const c of cells) {
        if (!(c.metric in step)) continue;
        let s = scenes.get(c.dimension);
        if (!s) scenes.set(c.dimension, (s = { scene: c.dimension, name: names.get(c.dimension) ?? null, scans: 0, follows: 0, orders: 0, paid: 0 }));
        s[step[c.metric as keyof typeof step]] += Number(c.value);
      }
      const overall: FunnelStep = { scans: sum((c) => c.metric === 'qr.scan'), follows: sum((c) => c.metric === 'qr.follow'), orders: sum((c) => c.metric === 'qr.order'), paid: sum((c) => c.metric === 'qr.paid') };

      return {
        from: dayToDate(fromDay),
        to: dayToDate(toDay),
        followers,
        messages: [...messages.values()].sort((a, b) => a.date.localeCompare(b.date) || a.type.localeCompare(b.type)),
        menu,
        funnel: { overall, scenes: [...scenes.values()].sort((a, b) => b.scans - a.scans || a.scene.localeCompare(b.scene)) },
        revenue,
      };
    },
  };
}
