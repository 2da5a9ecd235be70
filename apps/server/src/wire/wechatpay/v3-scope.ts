import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import type { Platform } from '../../app.ts';
import { makeContext, type RequestContext } from '../../platform/context.ts';
import { isAppError, type ErrorCode } from '../../platform/errors.ts';
import type { PayMerchantSecrets } from '../../modules/paymerchants/service.ts';
import { normaliseSerial, parseAuthorization, requestSigningString, rsaVerify, signResponse, timestampFresh } from './v3auth.ts';

/** A Pay v3 error: HTTP status plus `{code, message}`. */
export class V3Error extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'V3Error';
    this.status = status;
    this.code = code;
  }
}

const V3_FROM_APP: Record<ErrorCode, [number, string]> = {
  invalid_argument: [400, 'PARAM_ERROR'],
  unauthenticated: [401, 'SIGN_ERROR'],
  permission_denied: [403, 'NO_AUTH'],
  not_found: [404, 'RESOURCE_NOT_EXISTS'],
  conflict: [400, 'INVALID_REQUEST'],
  failed_precondition: [400, 'INVALID_REQUEST'],
  payload_too_large: [400, 'PARAM_ERROR'],
  rate_limited: [429, 'FREQUENCY_LIMITED'],
  unavailable: [500, 'SYSTEM_ERROR'],
  internal: [500, 'SYSTEM_ERROR'],
};

export function toV3Error(err: unknown): V3Error {
  if (err instanceof V3Error) return err;
  if (isAppError(err)) {
    const named = err.details?.v3Code;
    const [status, code] = V3_FROM_APP[err.code];
    return new V3Error(status, typeof named === 'string' ? named : code, err.message);
  }
  if (err instanceof ZodError) {
    const first = err.issues[0];
    return new V3Error(400, 'PARAM_ERROR', first ? `${first.path.join('.') || 'body'}: ${first.message}` : '参数错误');
  }
  const fe = err as FastifyError;
  if (err instanceof SyntaxError || (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500)) return new V3Error(400, 'PARAM_ERROR', '请求体格式错误');
  return new V3Error(500, 'SYSTEM_ERROR', '系统错误');
}

interface V3RequestState {
  rawBody: string;
  merchant?: PayMerchantSecrets;
}

const state = new WeakMap<FastifyRequest, V3RequestState>();

/** The authenticated merchant of a v3 request (set by the scope's preHandler). */
export function v3Merchant(req: FastifyRequest): PayMerchantSecrets {
  const m = state.get(req)?.merchant;
  if (!m) throw new V3Error(401, 'SIGN_ERROR', '签名错误');
  return m;
}

/** The `Wechatpay-Serial` a merchant's client knows: the certificate serial, or the public key id. */
/** The v3 caller as a RequestContext: the merchant's organisation, acting through its linked account. */
export async function v3MerchantContext(platform: Platform, req: FastifyRequest): Promise<{ ctx: RequestContext; m: PayMerchantSecrets }> {
  const m = v3Merchant(req);
  const account = await platform.services.accounts.findByAppId(m.merchant.appid);
  if (!account) throw new V3Error(400, 'APPID_MCHID_NOT_MATCH', '商户号绑定的appid不存在');
  return { ctx: makeContext({ kind: 'app', orgId: m.merchant.org_id, accountId: account.id }), m };
}

export const platformSerialFor = (m: PayMerchantSecrets, key: PayMerchantSecrets['platformKeys'][number]) =>
  m.merchant.verify_mode === 'public_key' ? key.public_key_id : key.serial;

async function authenticate(platform: Platform, req: FastifyRequest): Promise<void> {
  const st = state.get(req) ?? { rawBody: '' };
  state.set(req, st);
  const auth = parseAuthorization(req.headers.authorization);
  if (!auth) throw new V3Error(401, 'SIGN_ERROR', 'Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》');
  const found = await platform.services.payMerchants.byMchId(auth.mchid);
  if (!found) throw new V3Error(400, 'MCH_NOT_EXISTS', '商户号不存在');
  st.merchant = found;
  if (!timestampFresh(auth.timestamp)) throw new V3Error(401, 'SIGN_ERROR', '请求时间戳已过期，请检查系统时间');
  const serialOk = normaliseSerial(auth.serialNo) === found.merchant.merchant_cert_serial;
  const message = requestSigningString(req.method, req.raw.url ?? req.url, auth.timestamp, auth.nonce, st.rawBody);
  if (!serialOk || !rsaVerify(message, auth.signature, found.merchant.merchant_public_key)) throw new V3Error(401, 'SIGN_ERROR', '错误的签名，验签失败');
  if (!(await platform.services.payMerchants.claimNonce(found.merchant.mch_id, auth.nonce))) throw new V3Error(401, 'SIGN_ERROR', '请求随机串已使用，疑似重放请求');
}

/** Signs the exact bytes sent with the merchant's newest active platform key (errors too). */
function signPayload(req: FastifyRequest, reply: FastifyReply, payload: unknown): void {
  const m = state.get(req)?.merchant;
  const key = m?.platformKeys[0];
  if (!m || !key) return;
  const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
  const sig = signResponse(body, key.private_key);
  reply.header('Wechatpay-Timestamp', sig.timestamp);
  reply.header('Wechatpay-Nonce', sig.nonce);
  reply.header('Wechatpay-Signature', sig.signature);
  reply.header('Wechatpay-Serial', platformSerialFor(m, key));
  reply.header('Wechatpay-Signature-Type', 'WECHATPAY2-SHA256-RSA2048');
}

export type PayV3Routes = (scope: FastifyInstance, platform: Platform) => void | Promise<void>;

/**
 * The Pay v3 wire (`/v3/*`): its own scope with raw-body JSON parsing (signatures cover the exact
 * bytes), request signature verification on every route, signed responses and `{code, message}` errors.
 */
export async function registerPayV3Scope(app: FastifyInstance, platform: Platform, routes: readonly PayV3Routes[]): Promise<void> {
  await app.register(
    async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
        const raw = typeof body === 'string' ? body : body.toString('utf8');
        state.set(req, { rawBody: raw });
        if (raw.trim() === '') return done(null, undefined);
        try {
          done(null, JSON.parse(raw));
        } catch {
          done(new V3Error(400, 'PARAM_ERROR', '请求体不是合法的JSON'));
        }
      });
      scope.addHook('preHandler', async (req) => authenticate(platform, req));
      scope.addHook('onSend', async (req, reply, payload) => {
        signPayload(req, reply, payload);
        return payload;
      });
      scope.setErrorHandler((err, req, reply) => {
        const e = toV3Error(err);
        if (e.status >= 500) req.log.error({ err }, 'Pay v3 call failed');
        return reply.status(e.status).type('application/json; charset=utf-8').send(JSON.stringify({ code: e.code, message: e.message }));
      });
      scope.setNotFoundHandler((_req, reply) => reply.status(404).type('application/json; charset=utf-8').send(JSON.stringify({ code: 'RESOURCE_NOT_EXISTS', message: '请求的资源不存在' })));
      for (const r of routes) await r(scope, platform);
    },
    { prefix: '/v3' },
  );
}
