import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody, Ok } from '../../platform/api.ts';
import { clearSessionCookie, contextFor, sessionToken } from '../../platform/http.ts';
import { REPORT_CATEGORIES, REPORT_RESOLUTIONS } from './tables.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 412: ErrorBody };
const OrgStatusEnum = z.enum(['pending', 'approved', 'suspended']);
const AccountStatus = z.enum(['active', 'suspended']);
const Money = z.string().describe('fen, as a decimal string');
const Org = z.object({
  id: z.string(),
  name: z.string(),
  status: OrgStatusEnum,
  statusNote: z.string(),
  createdAt: z.date(),
  reviewedAt: z.date().nullable(),
  owners: z.array(z.string()),
  payAccount: z.object({ mchId: z.string(), appid: z.string() }).nullable(),
  accounts: z.array(z.object({
    id: z.string(),
    name: z.string(),
    appid: z.string(),
    type: z.string(),
    status: AccountStatus,
    quotas: z.array(z.object({ api: z.string(), used: z.number(), limit: z.number().nullable() })),
  })),
});
const Report = z.object({
  id: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  accountStatus: AccountStatus,
  orgId: z.string(),
  orgName: z.string(),
  consumerId: z.string(),
  consumerNickname: z.string(),
  category: z.enum(REPORT_CATEGORIES),
  text: z.string(),
  status: z.enum(['open', 'resolved']),
  resolution: z.enum(REPORT_RESOLUTIONS).nullable(),
  note: z.string(),
  createdAt: z.date(),
  resolvedAt: z.date().nullable(),
});
const LedgerOverview = z.object({
  totals: z.array(z.object({ kind: z.string(), accounts: z.number(), balance: Money })),
  sum: Money,
  ok: z.boolean(),
  verify: z.object({
    transactionsNotZero: z.array(z.object({ transactionId: z.string(), sum: Money })),
    transactionsEmpty: z.array(z.object({ transactionId: z.string() })),
    balancesMismatched: z.array(z.object({ accountId: z.string(), balance: Money, entriesSum: Money })),
    negative: z.array(z.object({ accountId: z.string(), balance: Money })),
  }),
  fees: z.object({ balance: Money, byDay: z.array(z.object({ day: z.string(), amount: Money })) }),
});
const Rate = z.object({ total: z.number(), failed: z.number() });
const Notifications = z.object({
  backlog: z.array(z.object({ kind: z.string(), pending: z.number(), dead: z.number(), oldestDueAt: z.date().nullable() })),
  attempts: z.array(z.object({ kind: z.string(), hour: Rate, day: Rate })),
});
const Health = z.object({
  db: z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() }),
  worker: z.object({ enabled: z.boolean(), ok: z.boolean(), overdue: z.number() }),
  sweeper: z.object({ lastSettledAt: z.date().nullable() }),
});
const OrgParams = z.object({ orgId: z.string().min(1).max(64) });
const IdParams = z.object({ id: z.string().min(1).max(64) });
const NoteBody = z.object({ note: z.string().max(500).default('') }).default({ note: '' });

/** Bigints → decimal strings, recursively (the JSON API carries money as strings). */
const str = (v: unknown): unknown =>
  typeof v === 'bigint' ? v.toString() : Array.isArray(v) ? v.map(str) : v && typeof v === 'object' && !(v instanceof Date) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, str(x)])) : v;

/** The operator admin API (operators only; merchants and consumers get 401) and the consumer's report action. */
export function operatorRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { identity, operatorMerchants: merchants, operatorOverview: overview, accountReports: reports } = platform.services;
  const operator = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'operator');
  const tags = ['operator'];

  r.get('/api/v1/operator/me', { schema: { tags, summary: 'The signed-in operator', response: { 200: z.object({ id: z.string(), email: z.string() }), ...errors } } }, async (req) =>
    merchants.whoami(await operator(req)),
  );
  r.post('/api/v1/operator/signout', { schema: { tags, response: { 200: Ok } } }, async (req, reply) => {
    const token = sessionToken(req, 'operator');
    if (token) await identity.signOut(token);
    clearSessionCookie(reply, 'operator');
    return { ok: true as const };
  });

  r.get('/api/v1/operator/orgs', {
    schema: { tags, summary: 'Organisations with their accounts, pay account and quotas used today', querystring: z.object({ status: OrgStatusEnum.optional() }), response: { 200: z.array(Org), ...errors } },
  }, async (req) => merchants.list(await operator(req), { status: req.query.status }));
  r.get('/api/v1/operator/orgs/:orgId', { schema: { tags, params: OrgParams, response: { 200: Org, ...errors } } }, async (req) => merchants.get(await operator(req), req.params.orgId));
  r.post('/api/v1/operator/orgs/:orgId/approve', {
    schema: { tags, summary: 'Approve a pending organisation (it may take payments from now on)', params: OrgParams, body: NoteBody, response: { 200: Org, ...errors } },
  }, async (req) => merchants.approve(await operator(req), req.params.orgId, req.body.note));
  r.post('/api/v1/operator/orgs/:orgId/suspend', {
    schema: { tags, summary: 'Suspend an organisation and all its official accounts', params: OrgParams, body: NoteBody, response: { 200: Org, ...errors } },
  }, async (req) => merchants.suspend(await operator(req), req.params.orgId, req.body.note));
  r.post('/api/v1/operator/orgs/:orgId/unsuspend', {
    schema: { tags, summary: 'Lift a suspension: the organisation is approved again and its accounts active', params: OrgParams, body: NoteBody, response: { 200: Org, ...errors } },
  }, async (req) => merchants.unsuspend(await operator(req), req.params.orgId, req.body.note));
  r.put('/api/v1/operator/accounts/:id/status', {
    schema: { tags, summary: 'Suspend or reactivate one official account', params: IdParams, body: z.object({ status: AccountStatus }), response: { 200: z.object({ id: z.string(), status: AccountStatus }), ...errors } },
  }, async (req) => merchants.setAccountStatus(await operator(req), req.params.id, req.body.status));

  r.get('/api/v1/operator/ledger', {
    schema: { tags, summary: 'Totals per ledger account class, the zero-sum check, fees earned', response: { 200: LedgerOverview, ...errors } },
  }, async (req) => LedgerOverview.parse(str(await overview.ledger(await operator(req)))));
  r.get('/api/v1/operator/notifications', { schema: { tags, summary: 'Outbox backlog and delivery failure rates by kind', response: { 200: Notifications, ...errors } } }, async (req) =>
    overview.notifications(await operator(req)),
  );
  r.get('/api/v1/operator/health', { schema: { tags, summary: 'Database, outbox worker and settlement sweeper', response: { 200: Health, ...errors } } }, async (req) =>
    overview.health(await operator(req)),
  );

  r.get('/api/v1/operator/reports', {
    schema: { tags, summary: 'Consumer reports of accounts (the queue)', querystring: z.object({ status: z.enum(['open', 'resolved']).default('open') }), response: { 200: z.array(Report), ...errors } },
  }, async (req) => reports.list(await operator(req), req.query.status));
  r.post('/api/v1/operator/reports/:id/resolve', {
    schema: {
      tags,
      summary: 'Resolve a report: dismiss, warn (with a note) or suspend the account (optionally its organisation)',
      params: IdParams,
      body: z.object({ action: z.enum(REPORT_RESOLUTIONS), note: z.string().max(500).optional(), suspendOrg: z.boolean().optional() }),
      response: { 200: Report, ...errors },
    },
  }, async (req) => reports.resolve(await operator(req), req.params.id, req.body));

  r.post('/api/v1/accounts/:id/report', {
    schema: {
      tags: ['consumer'],
      summary: 'Report an abusive account (one open report per consumer per account)',
      params: IdParams,
      body: z.object({ category: z.enum(REPORT_CATEGORIES), text: z.string().max(1000).optional() }),
      response: { 201: z.object({ id: z.string(), status: z.literal('open') }), ...errors },
    },
  }, async (req, reply) => reply.status(201).send(await reports.report(await contextFor(identity, req, 'consumer'), req.params.id, req.body)));
}
