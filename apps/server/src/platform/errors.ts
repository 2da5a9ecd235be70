/**
 * The one coded error type. Services throw it for expected failures; each wire surface maps it once:
 * our JSON API to an HTTP status and `{error:{code,message}}`, the WeChat wire to `errcode/errmsg`.
 */
export type ErrorCode =
  | 'invalid_argument'
  | 'unauthenticated'
  | 'permission_denied'
  | 'not_found'
  | 'conflict'
  | 'failed_precondition'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unavailable'
  | 'internal';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  conflict: 409,
  failed_precondition: 412,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** Default WeChat errcode for each code, when the service did not name a specific one. */
const WECHAT_ERRCODE: Record<ErrorCode, number> = {
  invalid_argument: 47001,
  unauthenticated: 40001,
  permission_denied: 48001,
  not_found: 40003,
  conflict: 47001,
  failed_precondition: 47001,
  payload_too_large: 40009,
  rate_limited: 45009,
  unavailable: -1,
  internal: -1,
};

export interface AppErrorOptions {
  /** A specific WeChat errcode (e.g. 45015) for the OA wire. */
  wxErrcode?: number;
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly wxErrcode: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, opts: AppErrorOptions = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.wxErrcode = opts.wxErrcode ?? WECHAT_ERRCODE[code];
    this.details = opts.details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'permission denied') => new AppError('permission_denied', message);
export const invalid = (message: string, opts?: AppErrorOptions) => new AppError('invalid_argument', message, opts);
