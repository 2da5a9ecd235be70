import { sql } from 'kysely';
import type { DbOrTx } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { cstDate } from '../../platform/time.ts';

/** Daily call limits per API (WeChat's published defaults for the ones we emulate). */
export const DAILY_LIMITS: Record<string, number> = {
  token: 2000,
  stable_token: 2000,
  stable_token_force: 20,
  template_send: 100_000,
};

const today = () => cstDate();

/** Counts one call; throws 45009 once the day's quota is used. The increment is atomic. */
export async function consumeQuota(db: DbOrTx, accountId: string, api: string, limit = DAILY_LIMITS[api]): Promise<void> {
  if (limit === undefined) return;
  const row = await db
    .insertInto('api_quota_usage')
    .values({ account_id: accountId, api, day: today(), count: 1 })
    .onConflict((oc) =>
      oc.columns(['account_id', 'api', 'day']).doUpdateSet({ count: sql`api_quota_usage.count + 1` }).where('api_quota_usage.count', '<', limit),
    )
    .returning('count')
    .executeTakeFirst();
  if (!row) throw new AppError('rate_limited', 'reach max api daily quota limit', { wxErrcode: 45009 });
}

export async function quotaUsed(db: DbOrTx, accountId: string, api: string): Promise<number> {
  const row = await db
    .selectFrom('api_quota_usage')
    .select('count')
    .where('account_id', '=', accountId)
    .where('api', '=', api)
    .where('day', '=', sql<Date>`cast(${today()} as date)`)
    .executeTakeFirst();
  return row?.count ?? 0;
}
