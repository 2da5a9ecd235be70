import { sql } from 'kysely';
import type { RequestContext } from '../../platform/context.ts';
import { requireConsumer, requireOrg } from '../../platform/context.ts';
import type { Db } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { newToken } from '../../platform/ids.ts';
import { unixSeconds } from '../../platform/time.ts';
import { extensionOf, isMediaType, MEDIA_RULES, sniffFormat } from './formats.ts';
import type { MediaType } from './tables.ts';
import './tables.ts';

/** Temporary media is served to the OA API for 3 days, as WeChat does. */
export const TEMPORARY_MEDIA_TTL_MS = 3 * 24 * 3600_000;

export const invalidMediaType = () => new AppError('invalid_argument', 'invalid media type', { wxErrcode: 40004 });
export const invalidFileType = () => new AppError('invalid_argument', 'invalid file type', { wxErrcode: 40005 });
export const invalidMediaSize = (max: number) => new AppError('payload_too_large', `invalid media size: at most ${max} bytes`, { wxErrcode: 40006 });
export const invalidMediaId = () => new AppError('not_found', 'invalid media_id', { wxErrcode: 40007 });
export const mediaDataMissing = () => new AppError('invalid_argument', 'media data missing', { wxErrcode: 41005 });
export const emptyMedia = () => new AppError('invalid_argument', 'empty media data', { wxErrcode: 44001 });

export interface UploadedFile {
  filename: string;
  bytes: Buffer;
}

/** A media file's bytes, ready to serve. */
export interface MediaContent {
  mediaId: string;
  type: MediaType;
  contentType: string;
  filename: string;
  bytes: Buffer;
  downloadKey: string;
}

export type MediaService = ReturnType<typeof createMediaService>;

export function createMediaService(deps: { db: Db; publicUrl: string }) {
  const { db } = deps;

  /** Checks size and type (by magic bytes and, when it has one, by the name's extension). */
  function validate(type: MediaType, file: UploadedFile) {
    const rule = MEDIA_RULES[type];
    if (file.bytes.length === 0) throw emptyMedia();
    if (file.bytes.length > rule.maxBytes) throw invalidMediaSize(rule.maxBytes);
    const ext = extensionOf(file.filename);
    if (ext !== undefined && !rule.extensions.includes(ext)) throw invalidFileType();
    const sniffed = sniffFormat(file.bytes);
    if (!sniffed || !rule.formats.includes(sniffed.format)) throw invalidFileType();
    return sniffed;
  }

  async function store(owner: { accountId: string } | { consumerId: string }, type: MediaType, file: UploadedFile) {
    const sniffed = validate(type, file);
    const mediaId = newToken(64);
    const row = await db
      .insertInto('media_files')
      .values({
        media_id: mediaId,
        account_id: 'accountId' in owner ? owner.accountId : null,
        consumer_id: 'consumerId' in owner ? owner.consumerId : null,
        type,
        format: sniffed.format,
        content_type: sniffed.contentType,
        filename: `${mediaId}.${sniffed.extension}`,
        size: file.bytes.length,
        data: file.bytes,
        download_key: newToken(48),
        expires_at: new Date(Date.now() + TEMPORARY_MEDIA_TTL_MS),
      })
      .returning(['media_id', 'type', 'content_type', 'size', 'created_at'])
      .executeTakeFirstOrThrow();
    return row;
  }

  const contentOf = (row: { media_id: string; type: MediaType; content_type: string; filename: string; data: Uint8Array; download_key: string }): MediaContent => ({
    mediaId: row.media_id,
    type: row.type,
    contentType: row.content_type,
    filename: row.filename,
    bytes: Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength),
    downloadKey: row.download_key,
  });

  const selectContent = () => db.selectFrom('media_files').select(['media_id', 'type', 'content_type', 'filename', 'data', 'download_key']);

  return {
    /** `media/upload` for the calling official account: `{type, media_id, created_at}`. */
    async uploadTemporary(ctx: RequestContext, type: unknown, file: UploadedFile | undefined) {
      requireOrg(ctx);
      if (ctx.actor.kind !== 'app') throw new AppError('permission_denied', 'an access_token is required', { wxErrcode: 48001 });
      if (!isMediaType(type)) throw invalidMediaType();
      if (!file) throw mediaDataMissing();
      const row = await store({ accountId: ctx.actor.accountId }, type, file);
      return { type: row.type, media_id: row.media_id, created_at: unixSeconds(row.created_at) };
    },

    /**
     * `media/get`: media the calling account uploaded (for 3 days), or an image a consumer sent to
     * it in a message. Anything else (another account's media included) is 40007.
     */
    async getForAccount(ctx: RequestContext, mediaId: string | undefined): Promise<MediaContent> {
      requireOrg(ctx);
      if (ctx.actor.kind !== 'app') throw new AppError('permission_denied', 'an access_token is required', { wxErrcode: 48001 });
      const accountId = ctx.actor.accountId;
      if (!mediaId || !/^[A-Za-z0-9_-]{1,128}$/.test(mediaId)) throw invalidMediaId();
      const row = await selectContent()
        .where('media_id', '=', mediaId)
        .where('expires_at', '>', new Date())
        .where((eb) =>
          eb.or([
            eb('account_id', '=', accountId),
            eb.exists(
              eb
                .selectFrom('messages as m')
                .select('m.id')
                .where('m.account_id', '=', accountId)
                .whereRef('m.consumer_id', '=', 'media_files.consumer_id')
                .where('m.direction', '=', 'in')
                .where(sql<string>`m.content->>'mediaId'`, '=', mediaId),
            ),
          ]),
        )
        .executeTakeFirst();
      if (!row) throw invalidMediaId();
      return contentOf(row);
    },

    /** A consumer uploads an image to send as a message. */
    async uploadConsumerImage(ctx: RequestContext, file: UploadedFile | undefined) {
      const consumerId = requireConsumer(ctx);
      if (!file) throw mediaDataMissing();
      const row = await store({ consumerId }, 'image', file);
      return { mediaId: row.media_id, url: `${deps.publicUrl}/api/v1/media/${row.media_id}`, type: 'image' as const, contentType: row.content_type, size: row.size };
    },

    /**
     * A consumer views media: their own uploads, or an account's media that the account sent into
     * their thread. Not bound by the 3-day OA expiry (the message stays in the thread).
     */
    async getForConsumer(ctx: RequestContext, mediaId: string): Promise<MediaContent> {
      const consumerId = requireConsumer(ctx);
      if (!/^[A-Za-z0-9_-]{1,128}$/.test(mediaId)) throw new AppError('not_found', 'media not found');
      const row = await selectContent()
        .where('media_id', '=', mediaId)
        .where((eb) =>
          eb.or([
            eb('consumer_id', '=', consumerId),
            eb.exists(
              eb
                .selectFrom('messages as m')
                .select('m.id')
                .where('m.consumer_id', '=', consumerId)
                .whereRef('m.account_id', '=', 'media_files.account_id')
                .where('m.direction', '=', 'out')
                .where((w) => w.or([w(sql<string>`m.content->>'mediaId'`, '=', mediaId), w(sql<string>`m.content->>'thumbMediaId'`, '=', mediaId)])),
            ),
          ]),
        )
        .executeTakeFirst();
      if (!row) throw new AppError('not_found', 'media not found');
      return contentOf(row);
    },

    /** The capability URL of a video (WeChat answers `media/get` for videos with `{video_url}`). */
    videoUrl: (content: MediaContent) => `${deps.publicUrl}/media/v/${content.downloadKey}`,

    /** Serves a video by its capability key (anyone holding the URL, as WeChat's CDN links). */
    async byDownloadKey(_ctx: RequestContext, key: string): Promise<MediaContent | undefined> {
      if (!/^[A-Za-z0-9_-]{48}$/.test(key)) return undefined;
      const row = await selectContent().where('download_key', '=', key).where('expires_at', '>', new Date()).executeTakeFirst();
      return row ? contentOf(row) : undefined;
    },

    /**
     * For other modules (customer-service/mass messages with a media_id): the caller's own,
     * unexpired media of one of the given types, or 40007.
     */
    async requireOwnMedia(ctx: RequestContext, mediaId: string | undefined, types: readonly MediaType[]): Promise<{ mediaId: string; type: MediaType }> {
      requireOrg(ctx);
      if (ctx.actor.kind !== 'app' || !mediaId) throw invalidMediaId();
      const row = await db
        .selectFrom('media_files')
        .select(['media_id', 'type'])
        .where('media_id', '=', mediaId)
        .where('account_id', '=', ctx.actor.accountId)
        .where('expires_at', '>', new Date())
        .executeTakeFirst();
      if (!row || !types.includes(row.type)) throw invalidMediaId();
      return { mediaId: row.media_id, type: row.type };
    },
  };
}
