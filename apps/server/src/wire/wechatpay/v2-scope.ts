import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import type { Platform } from '../../app.ts';
import { makeContext, type RequestContext } from '../../platform/context.ts';
import { isAppError, type ErrorCode } from '../../platform/errors.ts';
import type { PayMerchantSecrets } from '../../modules/paymerchants/service.ts';
import { buildWechatXml, parseWechatXml, XmlError } from '../wechat/xml.ts';
import { isV2SignType, v2Sign, v2Verify, type V2SignType } from './v2sign.ts';

/** A protocol-level failure: `return_code=FAIL` with `return_msg`, unsigned (bad XML, bad signature, unknown mch_id). */
export class V2Error extends Error {
  readonly extra: Record<string, string>;
  constructor(message: string, extra: Record<string, string> = {}) {
    super(message);
    this.name = 'V2Error';
    this.extra = extra;
  }
}

/** v2 `err_code` for each v3 code (or `details.reason`) a service names, in one place. */
export const V2_ERR_CODE: Readonly<Record<string, string>> = {
  ORDER_NOT_EXIST: 'ORDERNOTEXIST',
  ORDERNOTEXIST: 'ORDERNOTEXIST',
  ORDERPAID: 'ORDERPAID',
  ORDER_CLOSED: 'ORDERCLOSED',
  ORDERCLOSED: 'ORDERCLOSED',
  ORDER_EXPIRED: 'ORDERCLOSED',
  PARAM_ERROR: 'PARAM_ERROR',
  INVALID_REQUEST: 'INVALID_REQUEST',
  NOT_ENOUGH: 'NOTENOUGH',
  NOTENOUGH: 'NOTENOUGH',
  AUTHCODEEXPIRE: 'AUTHCODEEXPIRE',
  AUTH_CODE_INVALID: 'AUTH_CODE_INVALID',
  USERPAYING: 'USERPAYING',
  SYSTEM_ERROR: 'SYSTEMERROR',
  SYSTEMERROR: 'SYSTEMERROR',
  APPID_MCHID_NOT_MATCH: 'APPID_MCHID_NOT_MATCH',
  OUT_TRADE_NO_USED: 'OUT_TRADE_NO_USED',
  RESOURCE_NOT_EXISTS: 'REFUNDNOTEXIST',
  REFUNDNOTEXIST: 'REFUNDNOTEXIST',
  NO_AUTH: 'NOAUTH',
  FREQUENCY_LIMITED: 'FREQUENCY_LIMITED',
};

/** When the service names no code: by the AppError's kind. */
const V2_FROM_APP: Record<ErrorCode, string> = {
  invalid_argument: 'PARAM_ERROR',
  unauthenticated: 'NOAUTH',
  permission_denied: 'NOAUTH',
  not_found: 'ORDERNOTEXIST',
  conflict: 'INVALID_REQUEST',
  failed_precondition: 'INVALID_REQUEST',
  payload_too_large: 'PARAM_ERROR',
  rate_limited: 'FREQUENCY_LIMITED',
  unavailable: 'SYSTEMERROR',
  internal: 'SYSTEMERROR',
};

/** A business failure: `result_code=FAIL` with `err_code` / `err_code_des` (signed). */
export function toV2Failure(err: unknown, overrides: Readonly<Record<string, string>> = {}): { err_code: string; err_code_des: string } {
  if (isAppError(err)) {
    const named = [err.details?.v3Code, err.details?.reason].find((c): c is string => typeof c === 'string' && (c in overrides || c in V2_ERR_CODE));
    const code = named === undefined ? V2_FROM_APP[err.code] : (overrides[named] ?? V2_ERR_CODE[named] ?? V2_FROM_APP[err.code]);
    return { err_code: code, err_code_des: err.message };
  }
  if (err instanceof ZodError) {
    const first = err.issues[0];
    return { err_code: 'PARAM_ERROR', err_code_des: first ? `${first.path.join('.') || 'xml'}: ${first.message}` : '参数错误' };
  }
  return { err_code: 'SYSTEMERROR', err_code_des: '系统错误' };
}

/** One authenticated v2 call. */
export interface V2Call {
  /** The request's fields (all text). */
  fields: Readonly<Record<string, string>>;
  merchant: PayMerchantSecrets;
  signType: V2SignType;
  ctx: RequestContext;
}

export type V2Value = string | number | bigint | undefined;
export type V2Fields = Record<string, V2Value>;
/** A body sent as it is (the bill: plain text or gzip), not wrapped in signed XML. */
export interface V2Raw {
  readonly v2Raw: true;
  body: string | Buffer;
  contentType: string;
}
/** A handler answers result fields (wrapped, signed) or a raw body. */
export type V2Result = V2Fields | V2Raw;
const isRaw = (r: V2Result): r is V2Raw => (r as Partial<V2Raw>).v2Raw === true;

interface V2State {
  raw: string;
  fields?: Record<string, string>;
  call?: V2Call;
}

const state = new WeakMap<FastifyRequest, V2State>();
const XML_TYPE = 'text/xml; charset=utf-8';

const nonce = () => randomBytes(16).toString('hex').slice(0, 32).toUpperCase();

function sendXml(reply: FastifyReply, fields: V2Fields): FastifyReply {
  return reply.status(200).type(XML_TYPE).send(buildWechatXml(fields));
}

/** A signed reply: return_code SUCCESS, echoing appid and mch_id, signed with the request's sign type. */
function signedReply(reply: FastifyReply, call: V2Call, result: V2Fields): FastifyReply {
  const body: V2Fields = {
    return_code: 'SUCCESS',
    return_msg: 'OK',
    appid: call.fields.appid,
    mch_id: call.fields.mch_id,
    nonce_str: nonce(),
    ...result,
  };
  return sendXml(reply, { ...body, sign: v2Sign(body, call.merchant.merchant.api_v2_key, call.signType) });
}

function parseFields(raw: string): Record<string, string> {
  let doc;
  try {
    doc = parseWechatXml(raw);
  } catch (err) {
    throw new V2Error(err instanceof XmlError && err.reason === 'empty' ? '请求体为空' : 'XML格式错误');
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (typeof v !== 'string') throw new V2Error(`${k}参数格式错误`);
    fields[k] = v;
  }
  return fields;
}

async function authenticate(platform: Platform, req: FastifyRequest): Promise<void> {
  const st = state.get(req) ?? { raw: '' };
  state.set(req, st);
  const fields = parseFields(st.raw);
  st.fields = fields;
  const mchId = fields.mch_id;
  if (!mchId) throw new V2Error('缺少参数mch_id');
  if (!fields.nonce_str) throw new V2Error('缺少参数nonce_str');
  if (!fields.sign) throw new V2Error('缺少参数sign');
  const signType = fields.sign_type || 'MD5';
  if (!isV2SignType(signType)) throw new V2Error('sign_type参数格式错误');
  const merchant = await platform.services.payMerchants.byMchId(mchId);
  if (!merchant) throw new V2Error('mch_id参数格式错误');
  if (!v2Verify(fields, merchant.merchant.api_v2_key)) throw new V2Error('签名错误');
  const account = await platform.services.accounts.findByAppId(merchant.merchant.appid);
  if (!account) throw new V2Error('商户号绑定的appid不存在');
  st.call = { fields, merchant, signType, ctx: makeContext({ kind: 'app', orgId: merchant.merchant.org_id, accountId: account.id }) };
}

/** The authenticated call of a v2 request (set by the scope's preHandler). */
export function v2Call(req: FastifyRequest): V2Call {
  const call = state.get(req)?.call;
  if (!call) throw new V2Error('签名错误');
  return call;
}

export interface V2RouteOptions {
  /** Route-specific err_code names (e.g. INVALID_REQUEST → OUT_TRADE_NO_USED on unifiedorder). */
  errCodes?: Readonly<Record<string, string>>;
}

/**
 * Adds one v2 endpoint: checks the request's appid against the merchant's, runs the handler and
 * answers `result_code=SUCCESS` with its fields, or `result_code=FAIL` with the mapped err_code.
 */
export function v2Route(scope: FastifyInstance, path: string, handler: (call: V2Call) => Promise<V2Result>, opts: V2RouteOptions = {}): void {
  scope.post(path, async (req, reply) => {
    const call = v2Call(req);
    let result: V2Result;
    try {
      if (call.fields.appid !== call.merchant.merchant.appid) {
        return signedReply(reply, call, { result_code: 'FAIL', err_code: 'APPID_MCHID_NOT_MATCH', err_code_des: 'appid和mch_id不匹配' });
      }
      result = await handler(call);
    } catch (err) {
      if (err instanceof V2Error) throw err;
      const failure = toV2Failure(err, opts.errCodes);
      if (failure.err_code === 'SYSTEMERROR') req.log.error({ err }, 'Pay v2 call failed');
      return signedReply(reply, call, { result_code: 'FAIL', ...failure });
    }
    if (isRaw(result)) return reply.status(200).type(result.contentType).send(result.body);
    return signedReply(reply, call, { result_code: 'SUCCESS', ...result });
  });
}

export type PayV2Routes = (scope: FastifyInstance, platform: Platform) => void | Promise<void>;

/**
 * The Pay v2 wire (`/pay/*`, `/secapi/pay/*`): its own scope reading every body as XML whatever its
 * Content-Type, verifying `sign` (MD5 or HMAC-SHA256 by the signed `sign_type`) with the merchant's
 * API key, and answering XML. Client certificates are not required on `/secapi/*` (plain-HTTP sandbox).
 */
export async function registerPayV2Scope(app: FastifyInstance, platform: Platform, routes: readonly PayV2Routes[]): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
      state.set(req, { raw: typeof body === 'string' ? body : body.toString('utf8') });
      done(null, undefined);
    });
    scope.addHook('preHandler', async (req) => authenticate(platform, req));
    scope.setErrorHandler((err, req, reply) => {
      const call = state.get(req)?.call;
      if (call && !(err instanceof V2Error)) {
        req.log.error({ err }, 'Pay v2 call failed');
        return signedReply(reply, call, { result_code: 'FAIL', err_code: 'SYSTEMERROR', err_code_des: '系统错误' });
      }
      const msg = err instanceof V2Error ? err.message : (err as { statusCode?: number }).statusCode === 413 ? '请求体过大' : 'XML格式错误';
      return sendXml(reply, { return_code: 'FAIL', return_msg: msg, ...(err instanceof V2Error ? err.extra : {}) });
    });
    for (const r of routes) await r(scope, platform);
  });
}
