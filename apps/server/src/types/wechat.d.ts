// Minimal typing for the CommonJS middleware `wechat` (node-webot), used by examples/echo-merchant
// and the acceptance tests that run a merchant server built on it.
declare module 'wechat' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface WechatConfig {
    token: string;
    appid?: string;
    encodingAESKey?: string;
    checkSignature?: boolean;
  }

  /** A push as the middleware parsed it: element name → text (nested elements as objects). */
  interface WechatMessage {
    ToUserName: string;
    FromUserName: string;
    CreateTime: string;
    MsgType: string;
    Content?: string;
    MsgId?: string;
    Event?: string;
    EventKey?: string;
    [field: string]: unknown;
  }

  interface WechatRequest extends IncomingMessage {
    /** The middleware reads the query from here; set it before calling (node:http has none). */
    query: Record<string, string>;
    weixin?: WechatMessage;
  }

  interface NewsItem {
    title: string;
    description?: string;
    picurl?: string;
    url?: string;
  }

  interface WechatResponse extends ServerResponse {
    /** Text, a news card (array of items) or `{type, content}`; '' answers with an empty body. */
    reply(content: string | NewsItem[] | { type: string; content: unknown }): void;
    transfer2CustomerService(kfAccount?: string): void;
  }

  type Next = (err?: unknown) => void;
  type Middleware = (req: WechatRequest, res: ServerResponse, next: Next) => void;
  type MessageHandler = (message: WechatMessage, req: WechatRequest, res: WechatResponse, next: Next) => void;

  interface Handler {
    text(fn: MessageHandler): Handler;
    image(fn: MessageHandler): Handler;
    voice(fn: MessageHandler): Handler;
    video(fn: MessageHandler): Handler;
    location(fn: MessageHandler): Handler;
    link(fn: MessageHandler): Handler;
    event(fn: MessageHandler): Handler;
    middlewarify(): Middleware;
  }

  interface Wechat {
    (config: string | WechatConfig, handle: Handler | ((req: WechatRequest, res: WechatResponse, next: Next) => void)): Middleware;
    text(fn: MessageHandler): Handler;
    image(fn: MessageHandler): Handler;
    location(fn: MessageHandler): Handler;
    link(fn: MessageHandler): Handler;
    event(fn: MessageHandler): Handler;
  }

  const wechat: Wechat;
  export = wechat;
}
