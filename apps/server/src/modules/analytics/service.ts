import type { RequestContext } from '../../platform/context.ts';
import type { Db } from '../../platform/database.ts';
import { requirePermission } from '../../platform/permissions.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { Cell } from './counts.ts';
import { dayToDate, parseDayRange, type DayRange } from './range.ts';
import { followersBefore, readCells, type AccountRef } from './rollup.ts';
import { UPSTREAM_MSG_TYPE } from './sources.ts';

export { USER_SOURCE, userSourceOf } from './sources.ts';

/** getusersummary / getusercumulate / getupstreammsg: at most 7 days per call; getinterfacesummary: 30. */
export const USER_ANALYSIS_MAX_DAYS = 7;
export const UPSTREAM_MAX_DAYS = 7;
export const INTERFACE_MAX_DAYS = 30;

export interface UserSummaryRow {
  refDate: string;
  userSource: number;
  newUser: number;
  cancelUser: number;
}

export interface UserCumulateRow {
  refDate: string;
  cumulateUser: number;
}

export interface UpstreamMsgRow {
  refDate: string;
  msgType: number;
  msgUser: number;
  msgCount: number;
}

export interface InterfaceSummaryRow {
  refDate: string;
  callbackCount: number;
  failCount: number;
  totalTimeCost: number;
  maxTimeCost: number;
}

export interface DateRangeInput {
  beginDate: string;
  endDate: string;
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;

/**
 * WeChat's datacube for one official account, read from the same daily cells as the console's charts
 * (modules/analytics/rollup.ts: closed days from the rollup, the rest live), so both show one number.
 */
export function createAnalyticsService(db: Db, accounts: Pick<AccountsService, 'ownAccount'>, now: () => number = Date.now) {
  async function access(ctx: RequestContext, accountId: string, input: DateRangeInput, maxDays: number): Promise<{ range: DayRange; account: AccountRef }> {
    requirePermission(ctx, 'analytics');
    const row = await accounts.ownAccount(ctx, accountId);
    return { range: parseDayRange(input.beginDate, input.endDate, maxDays, now()), account: { id: row.id, orgId: row.org_id } };
  }
  const cellsOf = (account: AccountRef, range: DayRange, metrics: Cell['metric'][]) => readCells(db, [account], range.beginDay, range.endDay, now(), metrics);

  return {
    /**
     * New and cancelled follows per day and source. Every day has a `user_source` 0 row (zeros when
     * nothing happened), other sources only on days they had activity. A cancellation counts under
     * the source of the subscription it ended.
     */
    async userSummary(ctx: RequestContext, accountId: string, input: DateRangeInput): Promise<UserSummaryRow[]> {
      const { range, account } = await access(ctx, accountId, input, USER_ANALYSIS_MAX_DAYS);
      const rows = new Map<string, UserSummaryRow>();
      const row = (day: number, source: number) => {
        const key = `${day}:${source}`;
        let r = rows.get(key);
        if (!r) rows.set(key, (r = { refDate: dayToDate(day), userSource: source, newUser: 0, cancelUser: 0 }));
        return r;
      };
      for (let day = range.beginDay; day <= range.endDay; day++) row(day, 0);
      for (const c of await cellsOf(account, range, ['follow.new', 'follow.cancel'])) {
        const r = row(c.day, Number(c.dimension));
        if (c.metric === 'follow.new') r.newUser += Number(c.value);
        else r.cancelUser += Number(c.value);
      }
      return [...rows.values()].sort((a, b) => a.refDate.localeCompare(b.refDate) || a.userSource - b.userSource);
    },

    /** Followers at the end of each day of the range (net subscribes since the account began). */
    async userCumulate(ctx: RequestContext, accountId: string, input: DateRangeInput): Promise<UserCumulateRow[]> {
      const { range, account } = await access(ctx, accountId, input, USER_ANALYSIS_MAX_DAYS);
      let total = await followersBefore(db, [account], range.beginDay, now());
      const net = new Map<number, number>();
      for (const c of await cellsOf(account, range, ['follow.new', 'follow.cancel'])) net.set(c.day, (net.get(c.day) ?? 0) + (c.metric === 'follow.new' ? 1 : -1) * Number(c.value));
      const out: UserCumulateRow[] = [];
      for (let day = range.beginDay; day <= range.endDay; day++) {
        total += net.get(day) ?? 0;
        out.push({ refDate: dayToDate(day), cumulateUser: total });
      }
      return out;
    },

    /** Messages consumers sent the account, per day and WeChat msg_type (days and types with messages only). */
    async upstreamMsg(ctx: RequestContext, accountId: string, input: DateRangeInput): Promise<UpstreamMsgRow[]> {
      const { range, account } = await access(ctx, accountId, input, UPSTREAM_MAX_DAYS);
      const rows = new Map<string, UpstreamMsgRow>();
      for (const c of await cellsOf(account, range, ['msg.count', 'msg.users'])) {
        const code = UPSTREAM_MSG_TYPE[c.dimension];
        if (code === undefined) continue;
        const key = `${c.day}:${code}`;
        let r = rows.get(key);
        if (!r) rows.set(key, (r = { refDate: dayToDate(c.day), msgType: code, msgUser: 0, msgCount: 0 }));
        if (c.metric === 'msg.count') r.msgCount += Number(c.value);
        else r.msgUser += Number(c.value);
      }
      return [...rows.values()].sort((a, b) => a.refDate.localeCompare(b.refDate) || a.msgType - b.msgType);
    },

    /** Pushes to the account's server (messages and events): attempts, failures, time in ms, per day with pushes. */
    async interfaceSummary(ctx: RequestContext, accountId: string, input: DateRangeInput): Promise<InterfaceSummaryRow[]> {
      const { range, account } = await access(ctx, accountId, input, INTERFACE_MAX_DAYS);
      const rows = new Map<number, InterfaceSummaryRow>();
      for (const c of await cellsOf(account, range, ['push.count', 'push.fail', 'push.time', 'push.max'])) {
        let r = rows.get(c.day);
        if (!r) rows.set(c.day, (r = { refDate: dayToDate(c.day), callbackCount: 0, failCount: 0, totalTimeCost: 0, maxTimeCost: 0 }));
        const v = Number(c.value);
        if (c.metric === 'push.count') r.callbackCount = v;
        else if (c.metric === 'push.fail') r.failCount = v;
        else if (c.metric === 'push.time') r.totalTimeCost = v;
        else r.maxTimeCost = v;
      }
      return [...rows.values()].sort((a, b) => a.refDate.localeCompare(b.refDate));
    },
  };
}
