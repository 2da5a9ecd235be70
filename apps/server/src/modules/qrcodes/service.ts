import QRCode from 'qrcode';
import type { RequestContext } from '../../platform/context.ts';
import { requireConsumer } from '../../platform/context.ts';
import { requirePermission } from '../../platform/permissions.ts';
import type { Db } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { newToken, randomString } from '../../platform/ids.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { ConversationService } from '../messaging/service.ts';
import { parseScannedContent } from './content.ts';
import { NO_COUNTS, qrcodeCounts } from './stats.ts';
import type { QrcodesTable } from './tables.ts';
import type { Selectable } from 'kysely';
import './tables.ts';

export type QrcodeRow = Selectable<QrcodesTable>;

/** WeChat's limits for scene QR codes. */
export const QR_LIMITS = {
  temporaryDefaultSeconds: 60,
  temporaryMaxSeconds: 2_592_000,
  temporarySceneIdMax: 4_294_967_295n,
  permanentSceneIdMax: 100_000n,
  sceneStrMaxLength: 64,
  permanentPerAccount: 100_000,
} as const;

/** How showqrcode renders: 430 px like WeChat's images, error correction M. */
export const QR_PNG_OPTIONS = { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 430 } as const;

/** A code to create: an integer or a string scene, temporary (with a lifetime) or permanent. */
export interface QrSpec {
  permanent: boolean;
  sceneId?: bigint | undefined;
  sceneStr?: string | undefined;
  /** Temporary only: missing or 0 means 60 s; more than 30 days is cut to 30 days. */
  expireSeconds?: number | undefined;
  name?: string | null | undefined;
}

export const invalidActionInfo = (why: string) => new AppError('invalid_argument', `invalid action info: ${why}`, { wxErrcode: 40053 });

export interface QrcodeView {
  ticket: string;
  url: string;
  permanent: boolean;
  sceneId: string | null;
  sceneStr: string | null;
  name: string | null;
  expiresAt: Date | null;
  createdAt: Date;
}

export type QrcodesService = ReturnType<typeof createQrcodesService>;

export function createQrcodesService(deps: { db: Db; publicUrl: string; accounts: AccountsService; conversations: ConversationService }) {
  const { db, accounts, conversations } = deps;
  const contentUrl = (ticket: string) => `${deps.publicUrl}/q/${ticket}`;
  const present = (q: QrcodeRow): QrcodeView => ({
    ticket: q.ticket,
    url: contentUrl(q.ticket),
    permanent: q.permanent,
    sceneId: q.scene_id === null ? null : String(q.scene_id),
    sceneStr: q.scene_str,
    name: q.name,
    expiresAt: q.expires_at,
    createdAt: q.created_at,
  });
  const scene = (q: QrcodeRow) => q.scene_str ?? (q.scene_id === null ? null : String(q.scene_id));

  function validate(spec: QrSpec): { sceneId: bigint | null; sceneStr: string | null; expireSeconds: number | null } {
    if ((spec.sceneId === undefined) === (spec.sceneStr === undefined)) throw invalidActionInfo('give exactly one of scene_id and scene_str');
    if (spec.sceneId !== undefined) {
      const max = spec.permanent ? QR_LIMITS.permanentSceneIdMax : QR_LIMITS.temporarySceneIdMax;
      if (spec.sceneId < 1n || spec.sceneId > max) throw invalidActionInfo(`scene_id must be 1–${max}`);
    }
    if (spec.sceneStr !== undefined && (spec.sceneStr.length < 1 || spec.sceneStr.length > QR_LIMITS.sceneStrMaxLength)) throw invalidActionInfo('scene_str must be 1–64 characters');
    if (spec.permanent) return { sceneId: spec.sceneId ?? null, sceneStr: spec.sceneStr ?? null, expireSeconds: null };
    const e = spec.expireSeconds;
    if (e !== undefined && (!Number.isInteger(e) || e < 0)) throw new AppError('invalid_argument', 'expire_seconds must be a non-negative integer', { wxErrcode: 47001 });
    const expireSeconds = !e ? QR_LIMITS.temporaryDefaultSeconds : Math.min(e, QR_LIMITS.temporaryMaxSeconds);
    return { sceneId: spec.sceneId ?? null, sceneStr: spec.sceneStr ?? null, expireSeconds };
  }

  async function findLive(ticket: string): Promise<QrcodeRow | undefined> {
    if (!/^[A-Za-z0-9_-]{16,128}$/.test(ticket)) return undefined;
    return db
      .selectFrom('qrcodes')
      .selectAll()
      .where('ticket', '=', ticket)
      .where('disabled_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
      .executeTakeFirst();
  }

  /** The code behind what a consumer's scanner read, or a typed not_found. */
  async function resolveLive(content: string) {
    const parsed = parseScannedContent(content, deps.publicUrl);
    if (!parsed) throw new AppError('not_found', 'not a Lianjie QR code', { details: { reason: 'not_lianjie' } });
    const row = await db.selectFrom('qrcodes').selectAll().where('ticket', '=', parsed).executeTakeFirst();
    if (!row) throw new AppError('not_found', 'unknown QR code', { details: { reason: 'unknown' } });
    if (row.disabled_at !== null) throw new AppError('not_found', 'this QR code has been disabled', { details: { reason: 'disabled' } });
    if (row.expires_at !== null && row.expires_at <= new Date()) throw new AppError('not_found', 'this QR code has expired', { details: { reason: 'expired' } });
    return row;
  }

  return {
    contentUrl,

    /** Creates a code for an account of the caller (an OA token or a console user of its organisation). */
    async create(ctx: RequestContext, accountId: string, spec: QrSpec) {
      requirePermission(ctx, 'settings');
      await accounts.ownAccount(ctx, accountId);
      const v = validate(spec);
      const values = {
        ticket: `gQ${newToken(62)}`,
        account_id: accountId,
        permanent: spec.permanent,
        scene_id: v.sceneId,
        scene_str: v.sceneStr,
        name: spec.name ?? null,
        expires_at: v.expireSeconds === null ? null : new Date(Date.now() + v.expireSeconds * 1000),
      };
      if (spec.permanent) {
        // The same permanent scene is the same code (WeChat returns the same ticket).
        let q = db.selectFrom('qrcodes').selectAll().where('account_id', '=', accountId).where('permanent', '=', true);
        q = v.sceneId !== null ? q.where('scene_id', '=', v.sceneId) : q.where('scene_str', '=', v.sceneStr ?? '');
        const existing = await q.executeTakeFirst();
        if (existing) return { ...present(existing), expireSeconds: null };
        const count = await db.selectFrom('qrcodes').select((eb) => eb.fn.countAll<bigint>().as('n')).where('account_id', '=', accountId).where('permanent', '=', true).executeTakeFirstOrThrow();
        if (Number(count.n) >= QR_LIMITS.permanentPerAccount) throw new AppError('rate_limited', 'qrcode count out of limit', { wxErrcode: 45029 });
        const inserted = await db.insertInto('qrcodes').values(values).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
        const row = inserted ?? (await q.executeTakeFirstOrThrow());
        return { ...present(row), expireSeconds: null };
      }
      const row = await db.insertInto('qrcodes').values(values).returningAll().executeTakeFirstOrThrow();
      return { ...present(row), expireSeconds: v.expireSeconds };
    },

    /** The account's codes, newest first, with their scans, follows and paid orders (stats.ts). */
    async list(ctx: RequestContext, accountId: string, limit = 500) {
      requirePermission(ctx, 'settings');
      await accounts.ownAccount(ctx, accountId);
      const rows = await db.selectFrom('qrcodes').selectAll().where('account_id', '=', accountId).orderBy('created_at', 'desc').limit(limit).execute();
      const counts = await qrcodeCounts(db, accountId, rows.map((r) => r.ticket));
      const now = new Date();
      return rows.map((r) => ({ ...present(r), expired: r.expires_at !== null && r.expires_at <= now, disabled: r.disabled_at !== null, ...(counts.get(r.ticket) ?? NO_COUNTS) }));
    },

    /** Disables (a printed code stops working: scans fail, no image) or enables again one of the account's codes. */
    async setDisabled(ctx: RequestContext, accountId: string, ticket: string, disabled: boolean): Promise<{ ticket: string; disabled: boolean }> {
      requirePermission(ctx, 'settings');
      await accounts.ownAccount(ctx, accountId);
      const row = await db
        .updateTable('qrcodes')
        .set({ disabled_at: disabled ? new Date() : null })
        .where('ticket', '=', ticket)
        .where('account_id', '=', accountId)
        .returning(['ticket', 'disabled_at'])
        .executeTakeFirst();
      if (!row) throw new AppError('not_found', 'QR code not found');
      return { ticket: row.ticket, disabled: row.disabled_at !== null };
    },

    /** `showqrcode`: the PNG of a live code (anyone holding the ticket, as on WeChat). */
    async image(_ctx: RequestContext, ticket: string): Promise<Buffer | undefined> {
      const row = await findLive(ticket);
      return row ? QRCode.toBuffer(contentUrl(row.ticket), QR_PNG_OPTIONS) : undefined;
    },

    /** What a browser opening the code's URL is told: the account's name. */
    async landing(_ctx: RequestContext, ticket: string): Promise<{ accountName: string } | undefined> {
      const row = await findLive(ticket);
      if (!row) return undefined;
      const account = await accounts.findById(row.account_id);
      return account && account.status === 'active' ? { accountName: account.name } : undefined;
    },

    /** A consumer's scanner read `content`: which account it leads to, and with which scene. */
    async resolve(ctx: RequestContext, content: string) {
      const consumerId = requireConsumer(ctx);
      const row = await resolveLive(content);
      const account = await accounts.publicView(ctx, row.account_id);
      const follow = await db.selectFrom('follows').select('subscribed').where('account_id', '=', row.account_id).where('consumer_id', '=', consumerId).executeTakeFirst();
      return { kind: 'account' as const, account, scene: scene(row), expired: false as const, following: follow?.subscribed ?? false };
    },

    /**
     * The consumer scanned a code: follows with ADD_SCENE_QR_CODE and the scene (a follower gets a
     * SCAN event instead), and the scan is recorded for the code's statistics.
     */
    async scan(ctx: RequestContext, content: string) {
      const consumerId = requireConsumer(ctx);
      const row = await resolveLive(content);
      const account = await accounts.publicView(ctx, row.account_id);
      const res = await conversations.follow(ctx, row.account_id, {
        scene: 'ADD_SCENE_QR_CODE',
        qrScene: row.scene_id,
        qrSceneStr: row.scene_str,
        ticket: row.ticket,
      });
      await db.insertInto('qr_scans').values({ ticket: row.ticket, account_id: row.account_id, consumer_id: consumerId, resulted_in_follow: res.isNew }).execute();
      return { kind: 'account' as const, account, scene: scene(row), isNew: res.isNew, openid: res.openid, outboxIds: res.outboxIds };
    },

    /** A default string scene for console-made codes that name none. */
    newSceneStr: () => `lj_${randomString(12)}`,
  };
}
