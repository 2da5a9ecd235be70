import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestContext } from '../../platform/context.ts';
import { requireConsumer } from '../../platform/context.ts';
import type { Db } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { newToken } from '../../platform/ids.ts';
import type { AccountRow } from '../accounts/service.ts';
import type { TicketType } from './tables.ts';
import './tables.ts';

export const TICKET_TTL_S = 7200;
/** A ticket is reissued when it has less than this left; the previous one stays valid this long. */
export const TICKET_GRACE_MS = 5 * 60_000;

/** The JS APIs the Lianjie web view implements; `wx.config` grants the intersection with this list. */
export const SUPPORTED_JS_APIS = [
  'checkJsApi',
  'scanQRCode',
  'getLocation',
  'chooseImage',
  'updateAppMessageShareData',
  'closeWindow',
  'chooseWXPay',
] as const;

export interface IssuedTicket {
  ticket: string;
  expires_in: number;
}

export interface VerifyInput {
  appId: string;
  url: string;
  timestamp: string;
  nonceStr: string;
  signature: string;
  jsApiList: readonly string[];
}

/** The string WeChat's JS-SDK signs: keys sorted, lower-case, no URL encoding. */
export const signatureBase = (ticket: string, nonceStr: string, timestamp: string, url: string) =>
  `jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`;

export const jssdkSignature = (ticket: string, nonceStr: string, timestamp: string, url: string) =>
  createHash('sha1').update(signatureBase(ticket, nonceStr, timestamp, url)).digest('hex');

/** Typed refusals of `wx.config`; the web view passes `config:<message>` to `wx.error`. */
const configError = (code: 'not_found' | 'permission_denied' | 'invalid_argument', reason: string) =>
  new AppError(code, reason, { details: { errMsg: `config:${reason}` } });

const sameHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function accountOf(ctx: RequestContext): string {
  if (ctx.actor.kind !== 'app') throw new AppError('unauthenticated', 'access_token missing', { wxErrcode: 41001 });
  return ctx.actor.accountId;
}

/** The host (with port) a page URL must have, or undefined when the account has no JS-SDK domain. */
function jssdkDomainOf(account: AccountRow): string | undefined {
  const domain = 'jssdk_domain' in account ? account.jssdk_domain : null;
  return typeof domain === 'string' && domain.trim() !== '' ? domain.trim().toLowerCase() : undefined;
}

export type JssdkService = ReturnType<typeof createJssdkService>;

export function createJssdkService(deps: { db: Db; findByAppId: (appid: string) => Promise<AccountRow | undefined> }) {
  const { db } = deps;

  return {
    /**
     * `GET /cgi-bin/ticket/getticket`: the account's current ticket of that type while it has at least
     * 5 minutes left; otherwise a new one, and the previous one keeps 5 minutes of grace.
     */
    async getTicket(ctx: RequestContext, type: string | undefined): Promise<IssuedTicket> {
      const accountId = accountOf(ctx);
      if (type !== 'jsapi' && type !== 'wx_card') throw new AppError('invalid_argument', 'invalid args: type must be jsapi or wx_card', { wxErrcode: 40097 });
      const ticketType: TicketType = type;
      return db.transaction().execute(async (tx) => {
        // One issuer at a time per account, so concurrent callers share one ticket.
        await tx.selectFrom('official_accounts').select('id').where('id', '=', accountId).forUpdate().executeTakeFirst();
        const now = Date.now();
        const current = await tx
          .selectFrom('jsapi_tickets')
          .select(['ticket', 'expires_at'])
          .where('account_id', '=', accountId)
          .where('type', '=', ticketType)
          .orderBy('expires_at', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (current && current.expires_at.getTime() - now >= TICKET_GRACE_MS) {
          return { ticket: current.ticket, expires_in: Math.floor((current.expires_at.getTime() - now) / 1000) };
        }
        const graceEnd = new Date(now + TICKET_GRACE_MS);
        await tx.updateTable('jsapi_tickets').set({ expires_at: graceEnd }).where('account_id', '=', accountId).where('type', '=', ticketType).where('expires_at', '>', graceEnd).execute();
        await tx.deleteFrom('jsapi_tickets').where('account_id', '=', accountId).where('expires_at', '<', new Date(now - 86_400_000)).execute();
        const ticket = newToken(86);
        await tx.insertInto('jsapi_tickets').values({ ticket, account_id: accountId, type: ticketType, expires_at: new Date(now + TICKET_TTL_S * 1000) }).execute();
        return { ticket, expires_in: TICKET_TTL_S };
      });
    },

    /**
     * A page's `wx.config`, checked for the signed-in consumer's web view. The URL (fragment dropped)
     * must be http(s) on the account's JS-SDK domain (host and port exactly), and the signature must be
     * made with one of the account's valid jsapi tickets (the current one or one in grace).
     * Freshness: like WeChat, the timestamp is not checked against the clock — a page may stay open for
     * hours; a signature is only as long-lived as its ticket (at most 2 h 5 min), which bounds replay.
     */
    async verify(ctx: RequestContext, input: VerifyInput): Promise<{ ok: true; jsApiList: string[] }> {
      requireConsumer(ctx);
      const account = await deps.findByAppId(input.appId);
      if (!account || account.status !== 'active') throw configError('not_found', 'invalid appid');
      let url: URL;
      try {
        url = new URL(input.url.split('#')[0] ?? '');
      } catch {
        throw configError('permission_denied', 'invalid url domain');
      }
      const domain = jssdkDomainOf(account);
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !domain || url.host.toLowerCase() !== domain) {
        throw configError('permission_denied', 'invalid url domain');
      }
      if (!/^\d{1,12}$/.test(input.timestamp)) throw configError('invalid_argument', 'invalid timestamp');
      const pageUrl = input.url.split('#')[0] ?? '';
      const tickets = await db
        .selectFrom('jsapi_tickets')
        .select('ticket')
        .where('account_id', '=', account.id)
        .where('type', '=', 'jsapi')
        .where('expires_at', '>', new Date())
        .execute();
      const given = input.signature.toLowerCase();
      const signed = tickets.some((t) => sameHex(jssdkSignature(t.ticket, input.nonceStr, input.timestamp, pageUrl), given));
      if (!signed) throw configError('permission_denied', 'invalid signature');
      const supported: readonly string[] = SUPPORTED_JS_APIS;
      return { ok: true, jsApiList: [...new Set(input.jsApiList.filter((api) => supported.includes(api)))] };
    },
  };
}
