import type { MemberRole, RequestContext } from './context.ts';
import { requireOrg } from './context.ts';
import { AppError } from './errors.ts';

/** What a merchant-side caller may do. The console hides what a role lacks; the services enforce it. */
export const PERMISSIONS = [
  'settings', // account profile, credentials, callback, domains, menus, auto-replies, QR codes
  'followers', // CRM: tags, remarks
  'inbox', // customer-service conversations
  'broadcast', // templates, mass sends
  'pay.read',
  'pay.charge', // create and close orders through our JSON API
  'pay.refund',
  'pay.payout', // payout accounts, payouts, settlement timing
  'pay.keys', // pay account opening, platform keys
  'developer', // delivery log, webhooks, API keys
  'analytics',
  'team', // invite, change roles, remove members
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * The one table of who may do what. `api` is an API key (a merchant's server on our JSON API);
 * `app` is an official account's access token on the WeChat wire (its OA scope, never pay).
 */
export const ROLE_PERMISSIONS: Record<MemberRole | 'api' | 'app', readonly Permission[]> = {
  owner: PERMISSIONS,
  operator: ['settings', 'followers', 'inbox', 'broadcast', 'analytics', 'developer'],
  cs: ['inbox', 'followers'],
  finance: ['pay.read', 'pay.refund', 'pay.payout', 'analytics'],
  api: ['pay.read', 'pay.charge', 'pay.refund', 'developer'],
  app: ['settings', 'followers', 'inbox', 'broadcast', 'analytics'],
};

/** The permissions of whoever is calling (none for consumers, operators, anonymous). */
export function permissionsOf(ctx: RequestContext): readonly Permission[] {
  const a = ctx.actor;
  if (a.kind === 'merchant') return ROLE_PERMISSIONS[a.role];
  if (a.kind === 'app') return ROLE_PERMISSIONS.app;
  return [];
}

/** The caller's organisation, if the caller may `perm`; else 401 (not a merchant) or 403. */
export function requirePermission(ctx: RequestContext, perm: Permission): string {
  const orgId = requireOrg(ctx);
  if (!permissionsOf(ctx).includes(perm)) {
    throw new AppError('permission_denied', `your role may not do this (needs ${perm})`, { details: { reason: 'ROLE_FORBIDS', permission: perm } });
  }
  return orgId;
}

/** A person signed in to the console (not an API key or token): for minting credentials. */
export function requireMemberPermission(ctx: RequestContext, perm: Permission): string {
  const orgId = requirePermission(ctx, perm);
  if (ctx.actor.kind !== 'merchant' || ctx.actor.role === 'api') throw new AppError('permission_denied', 'sign in to the console to do this');
  return orgId;
}
