import { AppError } from '../../platform/errors.ts';
import { CST_OFFSET_MS } from '../../platform/time.ts';

/** WeChat's limits on what a merchant may send a consumer, as PROTOCOL.md asks us to emulate. */
export const LIMITS = {
  /** Customer-service messages only within 48 h of the consumer's last interaction… */
  csWindowMs: 48 * 3600_000,
  /** …and at most 5 of them after that interaction. */
  csPerWindow: 5,
  csTextChars: 2048,
  csNewsArticles: 1,
  templatesPerAccount: 25,
  templateValueChars: 200,
  /** `mass/send` openid lists. */
  massOpenidsMin: 2,
  massOpenidsMax: 10_000,
  massTextChars: 2048,
  clientMsgIdBytes: 64,
  /** Subscription accounts: one mass send a day. */
  massPerDaySubscription: 1,
  /** Service accounts: 100 mass calls a day; each follower receives at most 4 a calendar month. */
  massPerDayService: 100,
  massPerFollowerMonth: 4,
} as const;

/** The real errcodes and errmsgs of the message APIs. */
export const wx = {
  invalidOpenid: () => new AppError('not_found', 'invalid openid', { wxErrcode: 40003 }),
  invalidMessageType: () => new AppError('invalid_argument', 'invalid message type', { wxErrcode: 40008 }),
  invalidTemplateId: () => new AppError('not_found', 'invalid template_id', { wxErrcode: 40037 }),
  requireSubscribe: () => new AppError('failed_precondition', 'require subscribe', { wxErrcode: 43004 }),
  userRefused: () => new AppError('failed_precondition', 'user refuse to accept the msg', { wxErrcode: 43101 }),
  emptyContent: () => new AppError('invalid_argument', 'empty content', { wxErrcode: 44004 }),
  contentTooLong: () => new AppError('invalid_argument', 'content size out of limit', { wxErrcode: 45002 }),
  articleSizeOutOfLimit: () => new AppError('invalid_argument', 'article size out of limit', { wxErrcode: 45008 }),
  outOfTimeLimit: () => new AppError('failed_precondition', 'response out of time limit or subscription is canceled', { wxErrcode: 45015 }),
  templateSizeOutOfLimit: () => new AppError('failed_precondition', 'template size out of limit', { wxErrcode: 45026 }),
  noMassQuota: () => new AppError('rate_limited', 'has no masssend quota', { wxErrcode: 45028 }),
  outOfResponseCount: () => new AppError('rate_limited', 'out of response count limit', { wxErrcode: 45047 }),
  clientMsgIdExists: (msgId: bigint) => new AppError('conflict', 'clientmsgid exist', { wxErrcode: 45065, details: { msg_id: Number(msgId) } }),
  clientMsgIdTooLong: () => new AppError('invalid_argument', 'clientmsgid size out of limit', { wxErrcode: 45067 }),
  argumentInvalid: (what: string) => new AppError('invalid_argument', `argument invalid! ${what}`, { wxErrcode: 47003 }),
  openidListSize: () => new AppError('invalid_argument', 'invalid openid list size, at least two openid', { wxErrcode: 40130 }),
  /** Not documented by WeChat for an unknown msg_id; we answer a data error naming it. */
  invalidMsgId: () => new AppError('not_found', 'invalid msg_id', { wxErrcode: 47001 }),
};

/** `yyyy-mm` of the CST calendar month containing `at` (WeChat counts months in China time). */
export const cstMonth = (at: Date | number = Date.now()) => new Date(+at + CST_OFFSET_MS).toISOString().slice(0, 7);
