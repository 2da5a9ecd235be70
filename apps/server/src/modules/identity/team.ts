import { z } from 'zod';
import { MEMBER_ROLES, type MemberRole, type RequestContext } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { permissionsOf, requirePermission, type Permission } from '../../platform/permissions.ts';
import type { IdentityService } from './service.ts';
import { Password } from './service.ts';
import './tables.ts';

export interface MemberView {
  id: string;
  email: string;
  name: string;
  role: MemberRole;
  createdAt: Date;
}

export interface MeView {
  user: { id: string; email: string; name: string; role: MemberRole };
  org: { id: string; name: string; status: string };
  permissions: Permission[];
}

const Role = z.enum(MEMBER_ROLES);
const Name = z.string().trim().min(1, 'a name is needed').max(64);

const present = (u: { id: string; email: string; name: string; role: MemberRole; created_at: Date }): MemberView => ({ id: u.id, email: u.email, name: u.name, role: u.role, createdAt: u.created_at });

export type TeamService = ReturnType<typeof createTeamService>;

/** The organisation's members and their roles (permission `team`), and who the signed-in member is. */
export function createTeamService(db: Db, identity: Pick<IdentityService, 'forgetMember'>) {
  async function ownMember(orgId: string, userId: string) {
    const row = await db.selectFrom('merchant_users').selectAll().where('id', '=', userId).where('org_id', '=', orgId).executeTakeFirst();
    if (!row) throw notFound('member');
    return row;
  }

  const owners = (tx: DbOrTx, orgId: string) => tx.selectFrom('merchant_users').select('id').where('org_id', '=', orgId).where('role', '=', 'owner');

  /** Runs a membership change with the org's owner rows locked, refusing one that leaves no owner. */
  async function withAnOwnerLeft<T>(orgId: string, change: (tx: DbOrTx) => Promise<T>): Promise<T> {
    return db.transaction().execute(async (tx) => {
      await owners(tx, orgId).forUpdate().execute();
      const result = await change(tx);
      if ((await owners(tx, orgId).execute()).length === 0) {
        throw new AppError('failed_precondition', 'an organisation needs at least one owner', { details: { reason: 'LAST_OWNER' } });
      }
      return result;
    });
  }

  return {
    /** The signed-in member, their organisation and what they may do (the console hides the rest). */
    async me(ctx: RequestContext): Promise<MeView> {
      if (ctx.actor.kind !== 'merchant' || ctx.actor.role === 'api') throw new AppError('unauthenticated', 'sign in as a merchant member first');
      const row = await db
        .selectFrom('merchant_users')
        .innerJoin('organizations', 'organizations.id', 'merchant_users.org_id')
        .select(['merchant_users.id', 'merchant_users.email', 'merchant_users.name', 'merchant_users.role', 'organizations.id as org_id', 'organizations.name as org_name', 'organizations.status as org_status'])
        .where('merchant_users.id', '=', ctx.actor.userId)
        .executeTakeFirst();
      if (!row) throw new AppError('unauthenticated', 'sign in as a merchant member first');
      return {
        user: { id: row.id, email: row.email, name: row.name, role: row.role },
        org: { id: row.org_id, name: row.org_name, status: row.org_status },
        permissions: [...permissionsOf(ctx)],
      };
    },

    async list(ctx: RequestContext): Promise<MemberView[]> {
      const orgId = requirePermission(ctx, 'team');
      const rows = await db.selectFrom('merchant_users').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
      return rows.map(present);
    },

    /** Adds a member with an initial password they sign in with (and should change). */
    async invite(ctx: RequestContext, input: { email: string; name: string; role: string; password: string }): Promise<MemberView> {
      const orgId = requirePermission(ctx, 'team');
      const email = z.email('a valid email address').parse(input.email.trim().toLowerCase());
      const name = Name.parse(input.name);
      const role = Role.parse(input.role);
      const passwordHash = await hashPassword(Password.parse(input.password));
      const row = await db
        .insertInto('merchant_users')
        .values({ id: newId('usr'), org_id: orgId, email, password_hash: passwordHash, name, role })
        .onConflict((oc) => oc.column('email').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new AppError('conflict', 'this email is already registered');
      return present(row);
    },

    /** Changes a member's role; demoting the last owner is refused. Takes effect on their next request. */
    async changeRole(ctx: RequestContext, userId: string, input: { role: string }): Promise<MemberView> {
      const orgId = requirePermission(ctx, 'team');
      const role = Role.parse(input.role);
      await ownMember(orgId, userId);
      const row = await withAnOwnerLeft(orgId, async (tx) => {
        const updated = await tx.updateTable('merchant_users').set({ role }).where('id', '=', userId).where('org_id', '=', orgId).returningAll().executeTakeFirstOrThrow();
        await identity.forgetMember(tx, userId);
        return updated;
      });
      return present(row);
    },

    /** Removes a member and ends their sessions; the last owner cannot be removed. */
    async remove(ctx: RequestContext, userId: string): Promise<void> {
      const orgId = requirePermission(ctx, 'team');
      await ownMember(orgId, userId);
      await withAnOwnerLeft(orgId, async (tx) => {
        await tx.deleteFrom('merchant_users').where('id', '=', userId).where('org_id', '=', orgId).execute();
        await tx.deleteFrom('sessions').where('subject_kind', '=', 'merchant').where('subject_id', '=', userId).execute();
        await identity.forgetMember(tx, userId);
      });
    },
  };
}
