import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../app.ts';
import { accountIdOf, appContext } from './oa-scope.ts';

/** `{begin_date, end_date}`: missing or non-string fields are 47001; bad dates 61500/61501 (service). */
const DateRangeBody = z.object({ begin_date: z.string(), end_date: z.string() });

/** User, message and interface analysis (`/datacube/getusersummary|getusercumulate|getupstreammsg|getinterfacesummary`). */
export function datacubeRoutes(scope: FastifyInstance, platform: Platform): void {
  const { analytics } = platform.services;
  const parse = (body: unknown) => {
    const b = DateRangeBody.parse(body ?? {});
    return { beginDate: b.begin_date, endDate: b.end_date };
  };

  scope.post('/datacube/getusersummary', async (req) => {
    const ctx = await appContext(platform, req);
    const rows = await analytics.userSummary(ctx, accountIdOf(ctx), parse(req.body));
    return { list: rows.map((r) => ({ ref_date: r.refDate, user_source: r.userSource, new_user: r.newUser, cancel_user: r.cancelUser })) };
  });

  // WeChat's answer carries `user_source: 0` on every row today (its docs predate the field).
  scope.post('/datacube/getusercumulate', async (req) => {
    const ctx = await appContext(platform, req);
    const rows = await analytics.userCumulate(ctx, accountIdOf(ctx), parse(req.body));
    return { list: rows.map((r) => ({ ref_date: r.refDate, user_source: 0, cumulate_user: r.cumulateUser })) };
  });

  scope.post('/datacube/getupstreammsg', async (req) => {
    const ctx = await appContext(platform, req);
    const rows = await analytics.upstreamMsg(ctx, accountIdOf(ctx), parse(req.body));
    return { list: rows.map((r) => ({ ref_date: r.refDate, msg_type: r.msgType, msg_user: r.msgUser, msg_count: r.msgCount })) };
  });

  scope.post('/datacube/getinterfacesummary', async (req) => {
    const ctx = await appContext(platform, req);
    const rows = await analytics.interfaceSummary(ctx, accountIdOf(ctx), parse(req.body));
    return { list: rows.map((r) => ({ ref_date: r.refDate, callback_count: r.callbackCount, fail_count: r.failCount, total_time_cost: r.totalTimeCost, max_time_cost: r.maxTimeCost })) };
  });
}
