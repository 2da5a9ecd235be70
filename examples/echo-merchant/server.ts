// A merchant server written the way a WeChat developer writes one: node:http + the community
// `wechat` middleware (node-webot). Nothing here knows about Lianjie — only the URL it is called on.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import wechat from 'wechat';

export interface MerchantConfig {
  token: string;
  appid: string;
  /** Needed for the compatible and safe modes; plain mode ignores it. */
  encodingAESKey: string;
}

/** Echoes text, answers `menu` with a news card, welcomes new followers and names the menu key tapped. */
export function createEchoMerchant(config: MerchantConfig) {
  const handler = wechat
    .text((message, _req, res) => {
      const text = String(message.Content ?? '').trim();
      if (text.toLowerCase() !== 'menu') return res.reply(`You said: ${text}`);
      res.reply([
        { title: "Today's menu", description: 'Mapo tofu ¥28 · Kung pao chicken ¥36', picurl: 'https://example.com/menu.jpg', url: 'https://example.com/menu' },
      ]);
    })
    .event((message, _req, res) => {
      if (message.Event === 'subscribe') return res.reply('Welcome! Send "menu" for today\'s dishes.');
      if (message.Event === 'CLICK') return res.reply(`You tapped ${message.EventKey}`);
      res.reply(''); // other events: nothing to say
    });
  const middleware = wechat(config, handler);

  return (req: IncomingMessage, res: ServerResponse) => {
    // The middleware expects Express's req.query.
    const query = Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
    middleware(Object.assign(req, { query }), res, (err?: unknown) => {
      if (err) console.error(err);
      res.statusCode = err ? 500 : 200;
      res.end(err ? 'error' : 'success'); // message types without a handler: no reply
    });
  };
}

// `node server.ts`: configuration from the environment, else from Lianjie's demo credentials.
if (import.meta.main) {
  const demoFile = process.env.LIANJIE_DEMO ?? 'data/demo-credentials.json';
  const demo = existsSync(demoFile) ? (JSON.parse(readFileSync(demoFile, 'utf8')) as { account: MerchantConfig }).account : undefined;
  const config = {
    token: process.env.WECHAT_TOKEN ?? demo?.token ?? '',
    appid: process.env.WECHAT_APPID ?? demo?.appid ?? '',
    encodingAESKey: process.env.WECHAT_AES_KEY ?? demo?.encodingAESKey ?? '',
  };
  if (!config.token || !config.appid) {
    console.error(`Set WECHAT_TOKEN, WECHAT_APPID and WECHAT_AES_KEY, or run where ${demoFile} exists.`);
    process.exit(1);
  }
  const port = Number(process.env.PORT ?? 4000);
  createServer(createEchoMerchant(config)).listen(port, '127.0.0.1', () => {
    console.log(`echo merchant listening on http://127.0.0.1:${port}/wechat (appid ${config.appid})`);
  });
}
