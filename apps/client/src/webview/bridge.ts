/**
 * The web view's side of the JS-SDK bridge (protocol in the brief / jweixin.js):
 * page → parent `{ __lianjie: 1, id, method, args }`, parent → page `{ __lianjie: 1, id, ok, result | error }`.
 * Messages count only when they come from the iframe's window AND from the origin of the URL it loaded.
 * Grants are per page: the script's ids are `<page token>:<n>`, so a page that navigated away (or another
 * page of the same site) must run its own `wx.config`.
 */

export interface BridgeRequest {
  id: string;
  method: string;
  args: Record<string, unknown>;
}

/** A refusal carried back to the page as `error: { errMsg }`. */
export class BridgeFailure extends Error {
  readonly errMsg: string;
  constructor(errMsg: string) {
    super(errMsg);
    this.errMsg = errMsg;
  }
}

export interface VerifyBody {
  appId: string;
  url: string;
  timestamp: string;
  nonceStr: string;
  signature: string;
  jsApiList: string[];
}

/** The JSAPI pay parameters (`getBrandWCPayRequest`'s names; `wx.chooseWXPay` gets appId from wx.config). */
export interface PayRequest {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}

/** How the pay sheet ended: paid, cancelled by the person, or refused (`reason`, e.g. SIGN_ERROR, ORDERPAID). */
export type PayResult = { kind: 'ok' } | { kind: 'cancel' } | { kind: 'fail'; reason: string };

export interface NativeHandlers {
  /** POST /api/v1/jssdk/verify → the granted list, or a BridgeFailure(`config:…`). */
  verify(body: VerifyBody): Promise<string[]>;
  getLocation(args: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The scanned text, or null when the person cancelled. */
  scan(): Promise<string | null>;
  /** URLs of uploaded images, or null when cancelled. */
  chooseImage(count: number): Promise<string[] | null>;
  share(data: Record<string, unknown>): void;
  close(): void;
  title(title: string): void;
  /** Opens the pay sheet for a page's signed JSAPI parameters (absent: pay answers "not available"). */
  pay?(req: PayRequest): Promise<PayResult>;
}

/** The message as a bridge request if it passes the source and origin checks; otherwise undefined. */
export function acceptMessage(event: Pick<MessageEvent, 'source' | 'origin' | 'data'>, frame: Window | null | undefined, pageOrigin: string): BridgeRequest | undefined {
  if (!frame || event.source !== frame || event.origin !== pageOrigin) return undefined;
  const d = event.data as { __lianjie?: unknown; id?: unknown; method?: unknown; args?: unknown } | null;
  if (!d || typeof d !== 'object' || d.__lianjie !== 1) return undefined;
  if (typeof d.id !== 'string' || d.id.length > 100 || typeof d.method !== 'string' || d.method.length > 64) return undefined;
  const args = d.args && typeof d.args === 'object' ? (d.args as Record<string, unknown>) : {};
  return { id: d.id, method: d.method, args };
}

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const pageKeyOf = (id: string) => (id.includes(':') ? id.slice(0, id.indexOf(':')) : '');

/** The method a call needs in the page's granted jsApiList (getBrandWCPayRequest rides on chooseWXPay). */
const permissionFor = (method: string) => (method === 'getBrandWCPayRequest' ? 'chooseWXPay' : method);

export function createBridge(opts: { frame: () => Window | null | undefined; pageOrigin: string; handlers: NativeHandlers }) {
  const granted = new Map<string, Set<string>>();
  /** The appId each page configured with (wx.chooseWXPay pays for that account). */
  const appIds = new Map<string, string>();
  /** One pay sheet at a time: a second call while one is open is refused. */
  let paying = false;
  const { handlers } = opts;

  function reply(id: string, outcome: { ok: true; result: Record<string, unknown> } | { ok: false; errMsg: string }): void {
    const frame = opts.frame();
    if (!frame) return;
    const msg = outcome.ok ? { __lianjie: 1, id, ok: true, result: outcome.result } : { __lianjie: 1, id, ok: false, error: { errMsg: outcome.errMsg } };
    frame.postMessage(msg, opts.pageOrigin);
  }

  async function run(req: BridgeRequest, pageKey: string): Promise<Record<string, unknown>> {
    const { method, args } = req;
    if (method === 'title') {
      handlers.title(str(args.title).slice(0, 200));
      return { errMsg: 'title:ok' };
    }
    if (method === 'config') {
      const url = str(args.url);
      let sameOrigin = false;
      try {
        sameOrigin = new URL(url).origin === opts.pageOrigin;
      } catch {
        sameOrigin = false;
      }
      // The page signs its own URL; one on another origin than the page we loaded is not its URL.
      if (!sameOrigin) throw new BridgeFailure('config:invalid url domain');
      const list = Array.isArray(args.jsApiList) ? args.jsApiList.filter((x): x is string => typeof x === 'string') : [];
      const jsApiList = await handlers.verify({ appId: str(args.appId), url, timestamp: str(args.timestamp), nonceStr: str(args.nonceStr), signature: str(args.signature), jsApiList: list });
      granted.set(pageKey, new Set(jsApiList));
      appIds.set(pageKey, str(args.appId));
      return { errMsg: 'config:ok' };
    }
    const allowed = granted.get(pageKey);
    if (method === 'checkJsApi') {
      const asked = Array.isArray(args.jsApiList) ? args.jsApiList.filter((x): x is string => typeof x === 'string') : [];
      return { checkResult: Object.fromEntries(asked.map((a) => [a, allowed?.has(a) ?? false])), errMsg: 'checkJsApi:ok' };
    }
    if (!allowed?.has(permissionFor(method))) throw new BridgeFailure(`${method}:permission denied`);
    switch (method) {
      case 'getLocation':
        return handlers.getLocation(args);
      case 'scanQRCode': {
        const text = await handlers.scan();
        if (text === null) throw new BridgeFailure('scanQRCode:cancel');
        return Number(args.needResult) === 1 ? { resultStr: text, errMsg: 'scanQRCode:ok' } : { errMsg: 'scanQRCode:ok' };
      }
      case 'chooseImage': {
        const count = Math.min(9, Math.max(1, Number(args.count) || 9));
        const urls = await handlers.chooseImage(count);
        if (urls === null) throw new BridgeFailure('chooseImage:cancel');
        return { localIds: urls, errMsg: 'chooseImage:ok' };
      }
      case 'updateAppMessageShareData':
        handlers.share({ title: str(args.title), desc: str(args.desc), link: str(args.link), imgUrl: str(args.imgUrl) });
        return { errMsg: 'updateAppMessageShareData:ok' };
      case 'closeWindow':
        setTimeout(() => handlers.close(), 0);
        return { errMsg: 'closeWindow:ok' };
      case 'chooseWXPay':
      case 'getBrandWCPayRequest':
        return payCall(method, args, pageKey);
      default:
        throw new BridgeFailure(`${method}:fail unsupported`);
    }
  }

  /**
   * `wx.chooseWXPay` answers `chooseWXPay:ok`, a `:cancel` refusal (its cancel callback) or `:fail …`.
   * `WeixinJSBridge.invoke('getBrandWCPayRequest')` always gets a reply the page's callback reads as
   * `{err_msg: 'get_brand_wcpay_request:ok' | ':cancel' | ':fail'}` (jweixin.js copies errMsg into err_msg).
   */
  async function payCall(method: 'chooseWXPay' | 'getBrandWCPayRequest', args: Record<string, unknown>, pageKey: string): Promise<Record<string, unknown>> {
    const brand = method === 'getBrandWCPayRequest';
    if (!handlers.pay) throw new BridgeFailure(`${method}:not available`);
    if (paying) {
      if (brand) return { err_msg: 'get_brand_wcpay_request:fail', errMsg: 'get_brand_wcpay_request:fail', err_desc: 'busy' };
      throw new BridgeFailure('chooseWXPay:fail busy');
    }
    const req: PayRequest = {
      appId: brand ? str(args.appId) : (appIds.get(pageKey) ?? ''),
      timeStamp: str(brand ? args.timeStamp : (args.timestamp ?? args.timeStamp)),
      nonceStr: str(args.nonceStr),
      package: str(args.package),
      signType: str(args.signType),
      paySign: str(args.paySign),
    };
    paying = true;
    let result: PayResult;
    try {
      result = await handlers.pay(req);
    } catch {
      result = { kind: 'fail', reason: 'error' };
    } finally {
      paying = false;
    }
    if (brand) {
      const errMsg = `get_brand_wcpay_request:${result.kind}`;
      return result.kind === 'fail' ? { err_msg: errMsg, errMsg, err_desc: result.reason } : { err_msg: errMsg, errMsg };
    }
    if (result.kind === 'ok') return { errMsg: 'chooseWXPay:ok' };
    if (result.kind === 'cancel') throw new BridgeFailure('chooseWXPay:cancel');
    throw new BridgeFailure(`chooseWXPay:fail ${result.reason}`);
  }

  return {
    /** Window `message` listener: ignores anything that is not from the iframe's page. */
    onMessage(event: Pick<MessageEvent, 'source' | 'origin' | 'data'>): void {
      const req = acceptMessage(event, opts.frame(), opts.pageOrigin);
      if (!req) return;
      run(req, pageKeyOf(req.id)).then(
        (result) => reply(req.id, { ok: true, result }),
        (err: unknown) => reply(req.id, { ok: false, errMsg: err instanceof BridgeFailure ? err.errMsg : `${req.method}:fail` }),
      );
    },
  };
}
