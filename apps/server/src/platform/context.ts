import { randomUUID } from 'node:crypto';
import { AppError } from './errors.ts';

/** Who is calling. Every service method takes a RequestContext first and checks access first. */
export type Actor =
  | { kind: 'consumer'; consumerId: string }
  | { kind: 'merchant'; userId: string; orgId: string; role: MerchantRole }
  /** A merchant's server calling the OA API with an access_token of one official account. */
  | { kind: 'app'; orgId: string; accountId: string }
  | { kind: 'operator'; operatorId: string }
  | { kind: 'system' }
  | { kind: 'anonymous' };

/** A member's role in the organisation (issue 6); permissions live in platform/permissions.ts. */
export const MEMBER_ROLES = ['owner', 'operator', 'cs', 'finance'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
/** The role a merchant-side caller acts with: a member's, or `api` for an API key. */
export type MerchantRole = MemberRole | 'api';

export interface RequestContext {
  readonly actor: Actor;
  readonly requestId: string;
}

export function makeContext(actor: Actor, requestId: string = randomUUID()): RequestContext {
  return { actor, requestId };
}

export const systemContext = (): RequestContext => makeContext({ kind: 'system' });

export function requireConsumer(ctx: RequestContext): string {
  if (ctx.actor.kind !== 'consumer') throw new AppError('unauthenticated', 'sign in as a consumer first');
  return ctx.actor.consumerId;
}

/** The merchant organisation the caller acts for (a console user or an app token). */
export function requireOrg(ctx: RequestContext): string {
  if (ctx.actor.kind === 'merchant' || ctx.actor.kind === 'app') return ctx.actor.orgId;
  throw new AppError('unauthenticated', 'sign in as a merchant first');
}

export function requireOwner(ctx: RequestContext): string {
  if (ctx.actor.kind === 'merchant' && ctx.actor.role === 'owner') return ctx.actor.orgId;
  if (ctx.actor.kind === 'merchant') throw new AppError('permission_denied', 'only an owner may do this');
  throw new AppError('unauthenticated', 'sign in as a merchant owner first');
}

export function requireOperator(ctx: RequestContext): string {
  if (ctx.actor.kind !== 'operator') throw new AppError('permission_denied', 'operators only');
  return ctx.actor.operatorId;
}

export const isSystem = (ctx: RequestContext) => ctx.actor.kind === 'system';
