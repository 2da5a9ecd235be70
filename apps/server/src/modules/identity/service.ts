import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Actor, MemberRole, RequestContext } from '../../platform/context.ts';
import { requireConsumer } from '../../platform/context.ts';
import type { CacheBus } from '../../platform/cache.ts';
import type { Db, DbOrTx } from '../../platform/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId, newToken } from '../../platform/ids.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from '../../platform/passwords.ts';
import type { ConsumersTable, SessionKind } from './tables.ts';
import './tables.ts';

export const SESSION_TTL_MS = 30 * 24 * 3600_000;

export const Phone = z.string().regex(/^\+?[0-9]{6,15}$/, 'a phone number of 6–15 digits');
export const Password = z.string().min(8, 'at least 8 characters').max(128);
export const Nickname = z.string().trim().min(1).max(32);

export interface ConsumerProfile {
  id: string;
  phone: string;
  nickname: string;
  avatarUrl: string | null;
  createdAt: Date;
}

export interface Session {
  token: string;
  expiresAt: Date;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const presentConsumer = (c: Pick<ConsumersTable, 'id' | 'phone' | 'nickname' | 'avatar_url'> & { created_at: Date }): ConsumerProfile => ({
  id: c.id,
  phone: c.phone,
  nickname: c.nickname,
  avatarUrl: c.avatar_url,
  createdAt: c.created_at,
});

export type IdentityService = ReturnType<typeof createIdentityService>;

export function createIdentityService(db: Db, caches: CacheBus, opts: { reviewNewMerchants?: boolean } = {}) {
  /** Resolved sessions, by kind and token hash; signing out invalidates everywhere. */
  const sessions = caches.cache<{ kind: SessionKind; subjectId: string; expiresAt: Date } | null>('session', 60_000);
  /** A member's org and role, by user id; the team service invalidates it on role change or removal. */
  const members = caches.cache<{ orgId: string; role: MemberRole } | null>('member', 60_000);

  async function createSession(kind: SessionKind, subjectId: string): Promise<Session> {
    const token = newToken(48);
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    await db.insertInto('sessions').values({ token_hash: hashToken(token), subject_kind: kind, subject_id: subjectId, expires_at: expiresAt }).execute();
    return { token, expiresAt };
  }

  async function checkPassword(stored: string | undefined, password: string): Promise<boolean> {
    const ok = await verifyPassword(password, stored ?? DUMMY_HASH);
    return ok && stored !== undefined;
  }

  return {
    async signUpConsumer(_ctx: RequestContext, input: { phone: string; password: string; nickname?: string | undefined }) {
      const phone = Phone.parse(input.phone);
      const password = Password.parse(input.password);
      const existing = await db.selectFrom('consumers').select('id').where('phone', '=', phone).executeTakeFirst();
      if (existing) throw new AppError('conflict', 'this phone number is already registered');
      const row = await db
        .insertInto('consumers')
        .values({
          id: newId('csm'),
          phone,
          password_hash: await hashPassword(password),
          nickname: input.nickname ? Nickname.parse(input.nickname) : `用户${phone.slice(-4)}`,
          avatar_url: null,
        })
        .onConflict((oc) => oc.column('phone').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new AppError('conflict', 'this phone number is already registered');
      return { consumer: presentConsumer(row), session: await createSession('consumer', row.id) };
    },

    /** Checks a consumer's phone and password without opening a session (the simulator acts per call). */
    async authenticateConsumer(_ctx: RequestContext, input: { phone: string; password: string }): Promise<ConsumerProfile> {
      const row = await db.selectFrom('consumers').selectAll().where('phone', '=', input.phone).executeTakeFirst();
      if (!(await checkPassword(row?.password_hash, input.password)) || !row) {
        throw new AppError('unauthenticated', 'wrong phone number or password');
      }
      return presentConsumer(row);
    },

    async signInConsumer(ctx: RequestContext, input: { phone: string; password: string }) {
      const consumer = await this.authenticateConsumer(ctx, input);
      return { consumer, session: await createSession('consumer', consumer.id) };
    },

    async me(ctx: RequestContext): Promise<ConsumerProfile> {
      const id = requireConsumer(ctx);
      const row = await db.selectFrom('consumers').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound('consumer');
      return presentConsumer(row);
    },

    /** The profile fields a consumer shares with an account they granted snsapi_userinfo (OAuth module). */
    async sharedProfile(consumerId: string) {
      const row = await db.selectFrom('consumers').select(['id', 'nickname', 'avatar_url', 'sex', 'province', 'city', 'country']).where('id', '=', consumerId).executeTakeFirst();
      if (!row) throw notFound('consumer');
      return { nickname: row.nickname, avatarUrl: row.avatar_url, sex: row.sex, province: row.province, city: row.city, country: row.country };
    },

    async updateProfile(ctx: RequestContext, input: { nickname?: string | undefined; avatarUrl?: string | null | undefined }) {
      const id = requireConsumer(ctx);
      const patch: { nickname?: string; avatar_url?: string | null } = {};
      if (input.nickname !== undefined) patch.nickname = Nickname.parse(input.nickname);
      if (input.avatarUrl !== undefined) patch.avatar_url = input.avatarUrl;
      if (Object.keys(patch).length > 0) await db.updateTable('consumers').set(patch).where('id', '=', id).execute();
      return this.me(ctx);
    },

    async signUpMerchant(_ctx: RequestContext, input: { orgName: string; email: string; password: string; name: string }) {
      const email = z.email().parse(input.email.toLowerCase());
      const password = Password.parse(input.password);
      const orgName = z.string().trim().min(1).max(64).parse(input.orgName);
      const taken = await db.selectFrom('merchant_users').select('id').where('email', '=', email).executeTakeFirst();
      if (taken) throw new AppError('conflict', 'this email is already registered');
      const passwordHash = await hashPassword(password);
      const { org, user } = await db.transaction().execute(async (tx) => {
        const org = await tx.insertInto('organizations').values({ id: newId('org'), name: orgName, status: opts.reviewNewMerchants ? 'pending' : 'approved' }).returningAll().executeTakeFirstOrThrow();
        const user = await tx
          .insertInto('merchant_users')
          .values({ id: newId('usr'), org_id: org.id, email, password_hash: passwordHash, name: input.name || email, role: 'owner' })
          .returningAll()
          .executeTakeFirstOrThrow();
        return { org, user };
      });
      return {
        org: { id: org.id, name: org.name, status: org.status },
        user: { id: user.id, email: user.email, name: user.name, role: user.role },
        session: await createSession('merchant', user.id),
      };
    },

    async signInMerchant(_ctx: RequestContext, input: { email: string; password: string }) {
      const row = await db.selectFrom('merchant_users').selectAll().where('email', '=', input.email.toLowerCase()).executeTakeFirst();
      if (!(await checkPassword(row?.password_hash, input.password)) || !row) throw new AppError('unauthenticated', 'wrong email or password');
      return { user: { id: row.id, orgId: row.org_id, email: row.email, name: row.name, role: row.role }, session: await createSession('merchant', row.id) };
    },

    async signInOperator(_ctx: RequestContext, input: { email: string; password: string }) {
      const row = await db.selectFrom('operators').selectAll().where('email', '=', input.email.toLowerCase()).executeTakeFirst();
      if (!(await checkPassword(row?.password_hash, input.password)) || !row) throw new AppError('unauthenticated', 'wrong email or password');
      return { operator: { id: row.id, email: row.email }, session: await createSession('operator', row.id) };
    },

    /** Creates the operator from env on first start; never overwrites an existing one. */
    async bootstrapOperator(email: string, password: string): Promise<boolean> {
      const res = await db
        .insertInto('operators')
        .values({ id: newId('opr'), email: email.toLowerCase(), password_hash: await hashPassword(password) })
        .onConflict((oc) => oc.column('email').doNothing())
        .executeTakeFirst();
      return (res.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },

    /** The actor behind a session token of the given kind, or undefined (a removed member's sessions end at once). */
    async resolveSession(kind: SessionKind, token: string): Promise<Actor | undefined> {
      const hash = hashToken(token);
      const found = await sessions.getOrLoad(hash, async () => {
        const s = await db.selectFrom('sessions').select(['subject_kind', 'subject_id', 'expires_at']).where('token_hash', '=', hash).executeTakeFirst();
        return s ? { kind: s.subject_kind, subjectId: s.subject_id, expiresAt: s.expires_at } : null;
      });
      if (!found || found.kind !== kind || found.expiresAt.getTime() < Date.now()) return undefined;
      if (found.kind === 'consumer') return { kind: 'consumer', consumerId: found.subjectId };
      if (found.kind === 'operator') return { kind: 'operator', operatorId: found.subjectId };
      const userId = found.subjectId;
      const m = await members.getOrLoad(userId, async () => {
        const u = await db.selectFrom('merchant_users').select(['org_id', 'role']).where('id', '=', userId).executeTakeFirst();
        return u ? { orgId: u.org_id, role: u.role } : null;
      });
      return m ? { kind: 'merchant', userId, orgId: m.orgId, role: m.role } : undefined;
    },

    /** Drops a member's cached role (after a role change or removal), on every instance. */
    async forgetMember(executor: DbOrTx, userId: string): Promise<void> {
      await members.invalidate(executor, userId);
    },

    async signOut(token: string): Promise<void> {
      const hash = hashToken(token);
      await db.deleteFrom('sessions').where('token_hash', '=', hash).execute();
      await sessions.invalidate(db, hash);
    },
  };
}
