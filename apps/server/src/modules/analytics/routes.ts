import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';

const Day = z.string().describe('CST day, YYYY-MM-DD');
const Funnel = { scans: z.number().int(), follows: z.number().int(), orders: z.number().int(), paid: z.number().int() };
const ChartsSchema = z.object({
  from: Day,
  to: Day,
  followers: z.array(z.object({ date: Day, new: z.number().int(), lost: z.number().int(), net: z.number().int(), cumulative: z.number().int() })),
  messages: z.array(z.object({ date: Day, type: z.string().describe('text, image, voice, video, location, link'), count: z.number().int(), users: z.number().int() })),
  menu: z.array(z.object({ event: z.string(), key: z.string().describe('the button key (or URL for view buttons)'), name: z.string().nullable(), clicks: z.number().int() })),
  funnel: z.object({ overall: z.object(Funnel), scenes: z.array(z.object({ scene: z.string(), name: z.string().nullable(), ...Funnel })) }),
  revenue: z.array(z.object({ date: Day, orders: z.number().int(), paid: z.number().int().describe('fen'), refunds: z.number().int().describe('fen'), refundCount: z.number().int(), net: z.number().int().describe('fen') })),
});

/** The console's analytics charts (our JSON API). */
export function analyticsRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { charts, identity } = platform.services;
  r.get('/api/v1/merchant/analytics/charts', {
    schema: {
      tags: ['merchant analytics'],
      summary: 'Followers, messages, menu clicks, the QR funnel and revenue per CST day, for one account or all (closed days from the rollup, today live)',
      querystring: z.object({ from: Day, to: Day, accountId: z.string().optional() }),
      response: { 200: ChartsSchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (req) => charts.charts(await contextFor(identity, req, 'merchant'), req.query));
}
