import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody, Ok } from '../../platform/api.ts';
import { MEMBER_ROLES } from '../../platform/context.ts';
import { contextFor } from '../../platform/http.ts';
import { PERMISSIONS } from '../../platform/permissions.ts';
import type { MemberView } from './team.ts';

const Role = z.enum(MEMBER_ROLES);
const Member = z.object({ id: z.string(), email: z.string(), name: z.string(), role: Role, createdAt: z.string() });
const Params = z.object({ userId: z.string().min(1).max(64) });
const presentMember = (m: MemberView) => ({ ...m, createdAt: m.createdAt.toISOString() });

/** The signed-in member (`/me`) and the organisation's team (permission `team`). */
export function teamRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { identity, team } = platform.services;
  const member = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'merchant');
  const tags = ['merchant'];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

  r.get('/api/v1/merchant/me', {
    schema: {
      tags,
      summary: 'The signed-in member, their organisation and permissions (the console hides what the role cannot use; the server enforces it)',
      response: { 200: z.object({ user: z.object({ id: z.string(), email: z.string(), name: z.string(), role: Role }), org: z.object({ id: z.string(), name: z.string(), status: z.string() }), permissions: z.array(z.enum(PERMISSIONS)) }), 401: ErrorBody },
    },
  }, async (req) => team.me(await member(req)));

  r.get('/api/v1/merchant/staff', { schema: { tags, summary: 'Members of the organisation with their roles', response: { 200: z.array(Member), 401: ErrorBody, 403: ErrorBody } } }, async (req) =>
    (await team.list(await member(req))).map(presentMember),
  );

  r.post('/api/v1/merchant/staff', {
    schema: {
      tags,
      summary: 'Add a member with a role and an initial password',
      body: z.object({ email: z.string(), name: z.string(), role: z.string(), password: z.string() }),
      response: { 201: Member, ...errors, 409: ErrorBody },
    },
  }, async (req, reply) => reply.status(201).send(presentMember(await team.invite(await member(req), req.body))));

  r.patch('/api/v1/merchant/staff/:userId', {
    schema: { tags, summary: "Change a member's role (the last owner cannot be demoted: 412 LAST_OWNER)", params: Params, body: z.object({ role: z.string() }), response: { 200: Member, ...errors, 412: ErrorBody } },
  }, async (req) => presentMember(await team.changeRole(await member(req), req.params.userId, req.body)));

  r.delete('/api/v1/merchant/staff/:userId', {
    schema: { tags, summary: 'Remove a member and end their sessions (not the last owner)', params: Params, response: { 200: Ok, ...errors, 412: ErrorBody } },
  }, async (req) => {
    await team.remove(await member(req), req.params.userId);
    return { ok: true as const };
  });
}
