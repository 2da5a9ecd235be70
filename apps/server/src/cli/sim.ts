import { formatMessage, formatOutcome, type MessageJson, type OutcomeJson } from './format.ts';

/** A usage mistake (exit 2) or a refusal by the API / an unreachable server (exit 1). */
export class CliError extends Error {
  readonly exitCode: number;
  readonly body: unknown;
  constructor(message: string, exitCode = 1, body?: unknown) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.body = body;
  }
}

export type Values = Record<string, string | boolean | undefined>;

export interface Demo {
  platform?: string;
  account: { appid: string; appsecret: string };
  consumer: { phone: string; password: string };
}

export interface SimCommand {
  /** Options this command accepts besides the global ones. */
  options: readonly string[];
  run(v: Values, call: ApiCall, demo: Demo | undefined): Promise<{ json: unknown; text: string }>;
}

export type ApiCall = (method: 'POST' | 'PUT', path: string, body: unknown) => Promise<unknown>;

const WHO = ['consumer', 'account'] as const;

const text = (v: Values, name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);

function required(v: Values, name: string, fallback?: string): string {
  const value = text(v, name) ?? fallback;
  if (value === undefined || value === '') throw new CliError(`--${name} is required`, 2);
  return value;
}

function consumerOf(v: Values, demo: Demo | undefined) {
  const raw = required(v, 'consumer', demo ? `${demo.consumer.phone}:${demo.consumer.password}` : undefined);
  const i = raw.indexOf(':');
  if (i <= 0 || i === raw.length - 1) throw new CliError('--consumer must be PHONE:PASSWORD', 2);
  return { phone: raw.slice(0, i), password: raw.slice(i + 1) };
}

function who(v: Values, demo: Demo | undefined) {
  return { consumer: consumerOf(v, demo), account: required(v, 'account', demo?.account.appid) };
}

function number(raw: string, name: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new CliError(`--${name} must be a number`, 2);
  return n;
}

/** `LAT,LNG[,LABEL]` → fields. */
function location(raw: string) {
  const [lat, lng, ...label] = raw.split(',');
  if (lat === undefined || lng === undefined) throw new CliError('--location must be LAT,LNG[,LABEL]', 2);
  return { latitude: number(lat, 'location'), longitude: number(lng, 'location'), ...(label.length ? { label: label.join(',') } : {}) };
}

const outcome = async (call: ApiCall, path: string, body: unknown) => {
  const json = (await call('POST', path, body)) as OutcomeJson;
  return { json, text: formatOutcome(json) };
};

export const SIM_COMMANDS: Record<string, SimCommand> = {
  'consumer create': {
    options: ['phone', 'password', 'nickname'],
    async run(v, call) {
      const body = { phone: text(v, 'phone'), password: text(v, 'password'), nickname: text(v, 'nickname') };
      const c = (await call('POST', '/api/v1/sim/consumers', body)) as { id: string; phone: string; password: string; nickname: string };
      return { json: c, text: `Consumer ${c.nickname} created (${c.id})\n  phone     ${c.phone}\n  password  ${c.password}\nAct as them with --consumer ${c.phone}:${c.password}` };
    },
  },

  follow: {
    options: [...WHO, 'scene', 'qr-scene', 'ticket'],
    async run(v, call, demo) {
      const scene = text(v, 'scene');
      if (scene !== undefined && scene !== 'search' && scene !== 'qr') throw new CliError('--scene must be search or qr', 2);
      const raw = text(v, 'qr-scene');
      const qrScene = raw === undefined ? undefined : /^\d+$/.test(raw) ? Number(raw) : raw;
      return outcome(call, '/api/v1/sim/follow', { ...who(v, demo), scene, qrScene, ticket: text(v, 'ticket') });
    },
  },

  unfollow: {
    options: WHO,
    run: async (v, call, demo) => outcome(call, '/api/v1/sim/unfollow', who(v, demo)),
  },

  message: {
    options: [...WHO, 'text', 'image', 'location', 'link', 'title', 'description'],
    async run(v, call, demo) {
      const given = ['text', 'image', 'location', 'link'].filter((k) => text(v, k) !== undefined);
      if (given.length !== 1) throw new CliError('give exactly one of --text, --image, --location, --link', 2);
      const link = text(v, 'link');
      const body = {
        ...who(v, demo),
        text: text(v, 'text'),
        image: text(v, 'image') === undefined ? undefined : { url: text(v, 'image') },
        location: text(v, 'location') === undefined ? undefined : location(required(v, 'location')),
        link: link === undefined ? undefined : { url: link, title: text(v, 'title') ?? link, description: text(v, 'description') },
      };
      return outcome(call, '/api/v1/sim/message', body);
    },
  },

  event: {
    options: [...WHO, 'event', 'key', 'scan-result', 'location', 'precision'],
    async run(v, call, demo) {
      const loc = text(v, 'location');
      const precision = text(v, 'precision');
      const body = {
        ...who(v, demo),
        event: required(v, 'event'),
        key: text(v, 'key'),
        scanResult: text(v, 'scan-result'),
        ...(loc === undefined ? {} : location(loc)),
        precision: precision === undefined ? undefined : number(precision, 'precision'),
      };
      return outcome(call, '/api/v1/sim/event', body);
    },
  },

  callback: {
    options: ['appid', 'secret', 'mode', 'token', 'aes-key'],
    async run(v, call, demo) {
      const appid = required(v, 'appid', demo?.account.appid);
      const url = text(v, 'url');
      if (url === undefined) throw new CliError("--url is required (the merchant's callback URL; '' clears it)", 2);
      const body = { appsecret: required(v, 'secret', demo?.account.appsecret), url: url === '' ? null : url, mode: required(v, 'mode'), token: text(v, 'token'), encodingAESKey: text(v, 'aes-key') };
      const a = (await call('PUT', `/api/v1/sim/accounts/${encodeURIComponent(appid)}/callback`, body)) as { name: string; callbackUrl: string | null; msgMode: string };
      return { json: a, text: a.callbackUrl ? `${a.name}: pushes go to ${a.callbackUrl} (${a.msgMode} mode); the echostr check passed` : `${a.name}: callback URL cleared (auto-replies answer)` };
    },
  },

  oauth: {
    options: [...WHO, 'redirect-uri', 'scope', 'state'],
    async run(v, call, demo) {
      const { consumer, account } = who(v, demo);
      const scope = required(v, 'scope', 'snsapi_base');
      if (scope !== 'snsapi_base' && scope !== 'snsapi_userinfo') throw new CliError('--scope must be snsapi_base or snsapi_userinfo', 2);
      const body = { consumer, appid: account, redirectUri: required(v, 'redirect-uri'), scope, state: text(v, 'state') };
      const r = (await call('POST', '/api/v1/sim/oauth/authorize', body)) as { redirect: string; code: string };
      return { json: r, text: `→ ${r.redirect}\n  code  ${r.code} (single use, 5 minutes; exchange it at /sns/oauth2/access_token)` };
    },
  },

  topup: {
    options: ['consumer', 'amount'],
    async run(v, call, demo) {
      const consumer = consumerOf(v, demo);
      const amount = number(required(v, 'amount'), 'amount');
      const r = (await call('POST', '/api/v1/sim/wallet/topup', { consumer, amount })) as { balance: number; cardLast4: string };
      return { json: r, text: `wallet topped up by ¥${(amount / 100).toFixed(2)} from card ••${r.cardLast4}; balance ¥${(r.balance / 100).toFixed(2)}` };
    },
  },

  pay: {
    options: ['consumer', 'prepay-id', 'out-trade-no', 'mch-id', 'code-url', 'pin'],
    async run(v, call, demo) {
      const body = { consumer: consumerOf(v, demo), prepayId: text(v, 'prepay-id'), outTradeNo: text(v, 'out-trade-no'), mchid: text(v, 'mch-id'), codeUrl: text(v, 'code-url'), pin: text(v, 'pin') };
      const ways = [body.prepayId, body.outTradeNo ?? body.mchid, body.codeUrl].filter((w) => w !== undefined).length;
      if (ways !== 1) throw new CliError('give exactly one of --prepay-id, --out-trade-no with --mch-id, --code-url', 2);
      if ((body.outTradeNo === undefined) !== (body.mchid === undefined)) throw new CliError('--out-trade-no and --mch-id go together', 2);
      const r = (await call('POST', '/api/v1/sim/pay', body)) as { state: string; outTradeNo: string; transactionId: string; tradeType: string; total: number; insuredTotal: number; balance: number; pinSetTo?: string };
      const pinNote = r.pinSetTo === undefined ? '' : `\n  (the consumer had no payment PIN; it is now ${r.pinSetTo})`;
      const yuan = (f: number) => `¥${(f / 100).toFixed(2)}`;
      const split = r.insuredTotal > 0 ? `\n  insurance paid ${yuan(r.insuredTotal)}, the consumer ${yuan(r.total - r.insuredTotal)}` : '';
      return { json: r, text: `${r.state} ${yuan(r.total)} ${r.tradeType} ${r.outTradeNo} (transaction ${r.transactionId}); wallet balance ${yuan(r.balance)}${split}${pinNote}` };
    },
  },

  'insurance-card': {
    options: ['consumer', 'insurer', 'card-no', 'holder'],
    async run(v, call, demo) {
      const body = { consumer: consumerOf(v, demo), insurer: text(v, 'insurer'), cardNo: text(v, 'card-no'), holderName: text(v, 'holder') };
      const r = (await call('POST', '/api/v1/sim/insurance-card', body)) as { insurer: string; cardNoLast4: string; holderName: string };
      return { json: r, text: `insurance card bound: ${r.insurer} ••${r.cardNoLast4} (${r.holderName}); orders with an insured share can now be paid` };
    },
  },

  paycode: {
    options: ['consumer'],
    async run(v, call, demo) {
      const r = (await call('POST', '/api/v1/sim/paycode', { consumer: consumerOf(v, demo) })) as { code: string; expiresAt: string };
      return { json: r, text: `${r.code}  (payment code, single use, valid until ${r.expiresAt})` };
    },
  },

  thread: {
    options: [...WHO, 'limit'],
    async run(v, call, demo) {
      const limit = text(v, 'limit');
      const messages = (await call('POST', '/api/v1/sim/thread', { ...who(v, demo), limit: limit === undefined ? undefined : number(limit, 'limit') })) as MessageJson[];
      return { json: messages, text: messages.length ? messages.map((m) => `${m.createdAt.slice(0, 19).replace('T', ' ')}  ${formatMessage(m)}`).join('\n') : '(no messages)' };
    },
  },
};
