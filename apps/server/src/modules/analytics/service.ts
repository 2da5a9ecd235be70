import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.ts';
import { requireOrg } from '../../platform/context.ts';
import type { Db } from '../../platform/database.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { SubscribeScene } from '../followers/service.ts';
import { cstDayStart, dayToDate, parseDayRange, type DayRange } from './range.ts';

/** getusersummary / getusercumulate: at most 7 days per call. */
export const USER_ANALYSIS_MAX_DAYS = 7;

/**
 * WeChat's numeric `user_source` for each subscribe scene. 0 is "everything else": the scenes with
 * no code of their own (migration, profile menu, others) are counted there.
 */
export const USER_SOURCE: Partial<Record<SubscribeScene, number>> = {
  ADD_SCENE_SEARCH: 1,
  ADD_SCENE_PROFILE_CARD: 17,
  ADD_SCENE_QR_CODE: 30,
  ADD_SCENE_PAID: 51,
  ADD_SCENE_PROFILE_LINK: 57,
  ADD_SCENE_WECHAT_ADVERTISEMENT: 100,
  ADD_SCENE_REPRINT: 161,
  ADD_SCENE_CHANNELS: 200,
  ADD_SCENE_LIVESTREAM: 201,
};

export const userSourceOf = (scene: string | null) => (scene !== null && scene in USER_SOURCE ? (USER_SOURCE[scene as SubscribeScene] ?? 0) : 0);

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

export interface DateRangeInput {
  beginDate: string;
  endDate: string;
}

/** CST day number of a timestamptz column, computed in SQL (same on PGlite and PostgreSQL). */
const cstDay = (column: string) => sql<number>`floor((extract(epoch from ${sql.ref(column)}) + 28800) / 86400)::int`;

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;

/**
 * User analytics (WeChat's datacube) computed from the follow/unfollow history. A read model over
 * the followers module's `follow_events`: aggregated in SQL per CST day, never written here.
 */
export function createAnalyticsService(db: Db, accounts: Pick<AccountsService, 'ownAccount'>, now: () => number = Date.now) {
  async function access(ctx: RequestContext, accountId: string, input: DateRangeInput): Promise<DayRange> {
    requireOrg(ctx);
    await accounts.ownAccount(ctx, accountId);
    return parseDayRange(input.beginDate, input.endDate, USER_ANALYSIS_MAX_DAYS, now());
  }

  return {
    /**
     * New and cancelled follows per day and source. Every day has a `user_source` 0 row (zeros when
     * nothing happened), other sources only on days they had activity. A cancellation counts under
     * the source of the subscription it ended.
     */
    async userSummary(ctx: RequestContext, accountId: string, input: DateRangeInput): Promise<UserSummaryRow[]> {
      const range = await access(ctx, accountId, input);
      const start = cstDayStart(range.beginDay);
      const end = cstDayStart(range.endDay + 1);
      // A consumer's events alternate subscribe/unsubscribe, so the event before an unsubscribe is the
      // subscription it ended. One index range scan of the account's history, whatever the cancellations.
      const { rows } = await sql<{ day: number; kind: 'subscribe' | 'unsubscribe'; scene: string | null; n: bigint }>`
        select day, kind, scene, count(*) as n from (
          select ${cstDay('at')} as day, kind, case when kind = 'subscribe' then scene else prev_scene end as scene from (
            select kind, scene, at, lag(scene) over (partition by consumer_id order by at, id) as prev_scene
            from follow_events
            where account_id = ${accountId} and at < ${end}
              and (at >= ${start} or (kind = 'subscribe' and consumer_id in (
                select consumer_id from follow_events where account_id = ${accountId} and kind = 'unsubscribe' and at >= ${start} and at < ${end})))
          ) w
          where at >= ${start}
        ) x
        group by day, kind, scene`.execute(db);
      const cells = new Map<string, UserSummaryRow>();
      const cell = (day: number, source: number) => {
        const key = `${day}:${source}`;
        let row = cells.get(key);
        if (!row) cells.set(key, (row = { refDate: dayToDate(day), userSource: source, newUser: 0, cancelUser: 0 }));
        return row;
      };
      for (let day = range.beginDay; day <= range.endDay; day++) cell(day, 0);
      for (const r of rows) {
        const row = cell(Number(r.day), userSourceOf(r.scene));
        if (r.kind === 'subscribe') row.newUser += Number(r.n);
        else row.cancelUser += Number(r.n);
      }
      return [...cells.values()].sort((a, b) => a.refDate.localeCompare(b.refDate) || a.userSource - b.userSource);
    },

    /** Followers at the end of each day of the range (net subscribes since the account began). */
    async userCumulate(ctx: RequestContext, accountId: string, input: DateRangeInput): Promise<UserCumulateRow[]> {
      const range = await access(ctx, accountId, input);
      // Everything before the range collapses into day `beginDay - 1`: one pass over the account's history.
      const { rows } = await sql<{ day: number; net: bigint }>`
        select greatest(${cstDay('at')}, ${range.beginDay - 1}) as day,
          sum(case when kind = 'subscribe' then 1 else -1 end) as net
        from follow_events
        where account_id = ${accountId} and at < ${cstDayStart(range.endDay + 1)}
        group by 1`.execute(db);
      const net = new Map(rows.map((r) => [Number(r.day), Number(r.net)]));
      let total = net.get(range.beginDay - 1) ?? 0;
      const out: UserCumulateRow[] = [];
      for (let day = range.beginDay; day <= range.endDay; day++) {
        total += net.get(day) ?? 0;
        out.push({ refDate: dayToDate(day), cumulateUser: total });
      }
      return out;
    },
  };
}
