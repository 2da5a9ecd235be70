import { Buffer } from 'node:buffer';
import type { RequestContext } from '../../platform/context.ts';
import { requireOrg } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';

/** WeChat's limits for user tags, remarks, the blacklist and follower lists. */
export const LIMITS = {
  tagsPerAccount: 100,
  tagNameBytes: 30,
  tagsPerFollower: 20,
  openidsPerTagging: 50,
  membersToDeleteTag: 100_000,
  usersPerBatchget: 100,
  remarkBytes: 30,
  openidsPerBlacklisting: 20,
  openidsPerPage: 10_000,
} as const;

/** The first id WeChat gives a tag an account creates; 0, 1 and 2 are reserved. */
export const FIRST_TAG_ID = 100;
export const RESERVED_TAG_IDS: readonly number[] = [0, 1, 2];
/** System tags every account has (id 2, the starred group): listed and taggable, never renamed or deleted. */
export const SYSTEM_TAGS: readonly { id: number; name: string }[] = [{ id: 2, name: '星标组' }];

const MAX_INT4 = 2_147_483_647;
export const isStorableTagId = (id: number) => Number.isSafeInteger(id) && id >= 0 && id <= MAX_INT4;

export const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export const wxErr = {
  invalidOpenid: () => new AppError('not_found', 'invalid openid', { wxErrcode: 40003 }),
  openidListSize: () => new AppError('invalid_argument', 'invalid openid list size', { wxErrcode: 40032 }),
  invalidTagName: () => new AppError('invalid_argument', 'invalid tag name', { wxErrcode: 45157 }),
  tagNameTooLong: () => new AppError('invalid_argument', 'tag name too long', { wxErrcode: 45158 }),
  tooManyTags: () => new AppError('failed_precondition', 'too many tags', { wxErrcode: 45056 }),
  reservedTag: () => new AppError('permission_denied', 'can not modify sys tag', { wxErrcode: 45058 }),
  tooManyTagMembers: () => new AppError('failed_precondition', 'too many fans in this tag', { wxErrcode: 45057 }),
  tooManyTagsOnFollower: () => new AppError('failed_precondition', 'user tag count exceed limit', { wxErrcode: 45059 }),
  invalidTagId: () => new AppError('not_found', 'invalid tag id', { wxErrcode: 45159 }),
  invalidRemark: () => new AppError('invalid_argument', 'invalid remark name', { wxErrcode: 40092 }),
};

/**
 * Checks that the caller may act on the follower data of `accountId` and returns its organisation:
 * an app token only on its own account, a console user through the account's ownership.
 */
export type AccountScope = (ctx: RequestContext, accountId: string) => Promise<{ accountId: string; orgId: string }>;

export function createAccountScope(ownAccount: (ctx: RequestContext, accountId: string) => Promise<{ id: string; org_id: string }>): AccountScope {
  return async (ctx, accountId) => {
    const orgId = requireOrg(ctx);
    if (ctx.actor.kind === 'app') {
      if (ctx.actor.accountId !== accountId) throw new AppError('permission_denied', 'api unauthorized', { wxErrcode: 48001 });
      return { accountId, orgId };
    }
    const account = await ownAccount(ctx, accountId);
    return { accountId: account.id, orgId: account.org_id };
  };
}

/** Checks an openid list's size (1..max) and returns it without duplicates. */
export function openidList(openids: readonly string[], max: number): string[] {
  const unique = [...new Set(openids)];
  if (openids.length === 0 || openids.length > max) throw wxErr.openidListSize();
  return unique;
}
