import { makeContext, type RequestContext } from '../../platform/context.ts';
import { AppError, invalid, notFound } from '../../platform/errors.ts';
import { randomString } from '../../platform/ids.ts';
import type { OutboxRowState, OutboxWorker } from '../../platform/outbox.ts';
import type { AccountRow, AccountsService } from '../accounts/service.ts';
import type { MsgMode } from '../accounts/tables.ts';
import type { IdentityService } from '../identity/service.ts';
import type { ActionResult, ConsumerMessage, ConversationService } from '../messaging/service.ts';
import type { MessageView } from '../messaging/model.ts';
import type { PushFields } from '../messaging/push.ts';
import type { OAuthService } from '../oauth/service.ts';
import type { WalletService } from '../wallet/service.ts';
import type { OAuthScope } from '../oauth/tables.ts';

/** How the simulator names a consumer: their own login, never a bare id. */
export interface ConsumerCredentials {
  phone: string;
  password: string;
}

export const SIM_EVENTS = ['CLICK', 'VIEW', 'LOCATION', 'scancode_push', 'scancode_waitmsg', 'location_select', 'SCAN'] as const;
export type SimEvent = (typeof SIM_EVENTS)[number];

export interface SimEventInput {
  event: SimEvent;
  key?: string | undefined;
  scanResult?: string | undefined;
  latitude?: number | undefined;
  longitude?: number | undefined;
  precision?: number | undefined;
  scale?: number | undefined;
  label?: string | undefined;
}

export interface SimFollowInput {
  scene?: 'search' | 'qr' | undefined;
  qrScene?: number | string | undefined;
  ticket?: string | undefined;
}

export interface DeliveryView {
  outboxId: string;
  status: OutboxRowState['status'];
  attempts: number;
  lastError: string | null;
}

/** What the consumer saw after an action: the account's answers and how the pushes went. */
export interface SimOutcome {
  openid: string;
  sent?: MessageView | undefined;
  replies: MessageView[];
  delivery: DeliveryView[];
}

export interface SimulatorDeps {
  identity: IdentityService;
  accounts: AccountsService;
  conversations: ConversationService;
  worker: Pick<OutboxWorker, 'waitFor'>;
  oauth: Pick<OAuthService, 'authorizeAndApprove'>;
  wallet: Pick<WalletService, 'listCards' | 'addCard' | 'topUp' | 'summary'>;
  /** How long an action waits for the merchant's answer (3 tries of 5 s + backoff fit in 20 s). */
  waitMs?: number;
}

/** A Luhn-valid test card number (the sandbox bank accepts any valid number). */
const SIM_CARD_NUMBER = '6222020000000007';

const randomPhone = () => `170${randomString(8, '0123456789')}`;

export type SimulatorService = ReturnType<typeof createSimulatorService>;

/**
 * The sandbox simulator: acts as a consumer without a browser through the same services the client
 * uses, and waits for the merchant's passive reply so a developer (or a test) can see it at once.
 */
export function createSimulatorService(deps: SimulatorDeps) {
  const { identity, accounts, conversations } = deps;
  const waitMs = deps.waitMs ?? 20_000;

  /** Signs the consumer in: a simulated action needs the consumer's own credentials. */
  async function consumerContext(ctx: RequestContext, who: ConsumerCredentials): Promise<RequestContext> {
    const consumer = await identity.authenticateConsumer(ctx, who);
    return makeContext({ kind: 'consumer', consumerId: consumer.id }, ctx.requestId);
  }

  /** An account by appid or by id. */
  async function findAccount(ref: string): Promise<AccountRow> {
    const row = (await accounts.findByAppId(ref)) ?? (await accounts.findById(ref));
    if (!row || row.status !== 'active') throw notFound('account');
    return row;
  }

  /** Runs a consumer action, waits for its pushes and returns what the consumer received from it. */
  async function act(ctx: RequestContext, who: ConsumerCredentials, ref: string, action: (c: RequestContext, accountId: string) => Promise<ActionResult>): Promise<SimOutcome> {
    const consumerCtx = await consumerContext(ctx, who);
    const account = await findAccount(ref);
    const last = await conversations.messages(consumerCtx, account.id, { limit: 1 });
    const before = BigInt(last.at(-1)?.id ?? '0');
    const result = await action(consumerCtx, account.id);
    const states = await deps.worker.waitFor(result.outboxIds, waitMs);
    const after = await conversations.messages(consumerCtx, account.id, { after: before, limit: 200 });
    return {
      openid: result.openid,
      ...(result.message ? { sent: result.message } : {}),
      replies: after.filter((m) => m.direction === 'out'),
      delivery: states.map((s) => ({ outboxId: String(s.id), status: s.status, attempts: s.attempts, lastError: s.lastError })),
    };
  }

  return {
    async createConsumer(ctx: RequestContext, input: { phone?: string | undefined; password?: string | undefined; nickname?: string | undefined }) {
      const password = input.password ?? randomString(12);
      for (let tries = 0; ; tries++) {
        const phone = input.phone ?? randomPhone();
        try {
          const res = await identity.signUpConsumer(ctx, { phone, password, nickname: input.nickname });
          return { id: res.consumer.id, phone, password, nickname: res.consumer.nickname, token: res.session.token };
        } catch (err) {
          // A random phone number that happens to be taken: draw another.
          if (input.phone !== undefined || tries >= 3 || !(err instanceof AppError) || err.code !== 'conflict') throw err;
        }
      }
    },

    async follow(ctx: RequestContext, who: ConsumerCredentials, ref: string, input: SimFollowInput): Promise<SimOutcome> {
      const qr = input.scene === 'qr' || input.qrScene !== undefined;
      if (qr && input.qrScene === undefined) throw invalid('a QR follow needs qrScene');
      const scene = input.qrScene;
      return act(ctx, who, ref, (c, accountId) =>
        conversations.follow(c, accountId, {
          scene: qr ? 'ADD_SCENE_QR_CODE' : 'ADD_SCENE_SEARCH',
          qrScene: typeof scene === 'number' ? BigInt(scene) : null,
          qrSceneStr: typeof scene === 'string' ? scene : null,
          ticket: input.ticket,
        }),
      );
    },

    async unfollow(ctx: RequestContext, who: ConsumerCredentials, ref: string): Promise<SimOutcome> {
      return act(ctx, who, ref, (c, accountId) => conversations.unfollow(c, accountId));
    },

    async message(ctx: RequestContext, who: ConsumerCredentials, ref: string, content: ConsumerMessage): Promise<SimOutcome> {
      return act(ctx, who, ref, (c, accountId) => conversations.sendMessage(c, accountId, content));
    },

    async event(ctx: RequestContext, who: ConsumerCredentials, ref: string, input: SimEventInput): Promise<SimOutcome> {
      const extra = eventExtra(input);
      return act(ctx, who, ref, (c, accountId) => conversations.sendEvent(c, accountId, input.event, extra));
    },

    /** A developer sets the server configuration with the appid and appsecret (no console session). */
    async setCallback(ctx: RequestContext, appid: string, input: { appsecret: string; url: string | null; mode: MsgMode; token?: string | undefined; encodingAESKey?: string | undefined }) {
      const { appsecret, ...config } = input;
      return accounts.setCallbackWithSecret(ctx, appid, appsecret, config);
    },

    /** OAuth web login as the consumer: the redirect with its code, consenting directly for userinfo. */
    /** Tops up the consumer's wallet from their first simulated card (adding a test card if they have none). */
    async topUp(ctx: RequestContext, who: ConsumerCredentials, amount: bigint): Promise<{ balance: bigint; cardLast4: string }> {
      const consumerCtx = await consumerContext(ctx, who);
      const cards = await deps.wallet.listCards(consumerCtx);
      const card = cards[0] ?? (await deps.wallet.addCard(consumerCtx, { number: SIM_CARD_NUMBER, bank: 'Lianjie Sandbox Bank' }));
      await deps.wallet.topUp(consumerCtx, { cardId: card.id, amount });
      return { balance: (await deps.wallet.summary(consumerCtx)).balance, cardLast4: card.last4 };
    },

    async oauthAuthorize(ctx: RequestContext, who: ConsumerCredentials, input: { appid: string; redirectUri: string; scope: OAuthScope; state?: string | undefined }) {
      const consumerCtx = await consumerContext(ctx, who);
      return deps.oauth.authorizeAndApprove(consumerCtx, { appid: input.appid, redirect_uri: input.redirectUri, response_type: 'code', scope: input.scope, state: input.state ?? '' });
    },

    async thread(ctx: RequestContext, who: ConsumerCredentials, ref: string, limit = 20): Promise<MessageView[]> {
      const consumerCtx = await consumerContext(ctx, who);
      const account = await findAccount(ref);
      return conversations.messages(consumerCtx, account.id, { limit });
    },
  };
}

/** The extra XML fields of each event, in WeChat's element order. */
export function eventExtra(input: SimEventInput): PushFields {
  const need = <T>(value: T | undefined, name: string): T => {
    if (value === undefined || value === '') throw invalid(`${input.event} needs ${name}`);
    return value;
  };
  switch (input.event) {
    case 'CLICK':
    case 'SCAN':
      return { EventKey: need(input.key, 'key') };
    case 'VIEW':
      return { EventKey: need(input.key, 'key (the URL)') };
    case 'LOCATION':
      return { Latitude: need(input.latitude, 'latitude'), Longitude: need(input.longitude, 'longitude'), Precision: input.precision ?? 30 };
    case 'scancode_push':
    case 'scancode_waitmsg':
      return { EventKey: need(input.key, 'key'), ScanCodeInfo: { ScanType: 'qrcode', ScanResult: need(input.scanResult, 'scanResult') } };
    case 'location_select':
      return {
        EventKey: need(input.key, 'key'),
        SendLocationInfo: {
          Location_X: need(input.latitude, 'latitude'),
          Location_Y: need(input.longitude, 'longitude'),
          Scale: input.scale ?? 15,
          Label: input.label ?? '',
          Poiname: input.label ?? '',
        },
      };
  }
}
