import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './platform/db.ts';
import { toApiError } from './platform/http.ts';
import { OutboxWorker } from './platform/outbox.ts';
import { RealtimeHub } from './platform/realtime.ts';
import { CacheBus } from './platform/cache.ts';
import { createServices, registerOutboxHandlers, registerRealtimeLoaders, type Services } from './services.ts';
import { registerRoutes } from './routes.ts';
import { isOaPath, wxError } from './wire/wechat/oa-scope.ts';
import { registerClient, serveClientIndex } from './web/client.ts';
import { registerConsole, serveConsoleIndex } from './web/console.ts';
import { SettlementSweeper } from './modules/settlement/sweeper.ts';

export interface Platform {
  config: Config;
  handle: DatabaseHandle;
  log: Logger;
  worker: OutboxWorker;
  hub: RealtimeHub;
  caches: CacheBus;
  services: Services;
  /** Settles due pay orders in the background (with the outbox worker). */
  settlementSweeper: SettlementSweeper;
}

export interface CreatePlatformOptions {
  /** Use this database instead of opening one from config (tests). */
  handle?: DatabaseHandle;
  logger?: Logger;
}

/** Opens the database, migrates it and builds every service. Nothing listens yet. */
export async function createPlatform(config: Config, opts: CreatePlatformOptions = {}): Promise<Platform> {
  const log = opts.logger ?? pino({ level: config.logLevel, base: { svc: 'lianjie' } });
  const handle = opts.handle ?? (await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: `${config.dataDir}/db` }));
  await migrateToLatest(handle);
  const worker = new OutboxWorker(handle, log.child({ mod: 'outbox' }));
  const hub = new RealtimeHub(handle, log.child({ mod: 'realtime' }));
  const caches = new CacheBus(handle, log.child({ mod: 'cache' }));
  const services = createServices({ config, db: handle.db, hub, worker, caches });
  registerOutboxHandlers(worker, services, { db: handle.db, hub });
  registerRealtimeLoaders(hub, services);
  const settlementSweeper = new SettlementSweeper(services.settlement, log.child({ mod: 'settlement' }));
  return { config, handle, log, worker, hub, caches, services, settlementSweeper };
}

/** The HTTP server over a platform: our JSON API, the WeChat wire and the WebSocket. */
export async function buildServer(platform: Platform): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: platform.log as FastifyBaseLogger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  await app.register(fastifyCookie);
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(fastifyMultipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 10 } });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Lianjie API', version: '1.0.0', description: "Lianjie's own JSON API (the WeChat-compatible wire is documented in PROTOCOL.md)." },
    },
    transform: (args) => (args.url.startsWith('/api/v1/') ? jsonSchemaTransform(args) : { schema: { ...args.schema, hide: true }, url: args.url }),
  });
  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toApiError(err);
    if (status >= 500) req.log.error({ err }, 'request failed');
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    if (isOaPath(req.url)) return reply.status(200).send(wxError(48001, 'api unauthorized', req.id));
    return serveConsoleIndex(req, reply) ?? serveClientIndex(req, reply) ?? reply.status(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await platform.handle.db.selectFrom('official_accounts').select('id').limit(1).execute();
      return { status: 'ready', db: platform.handle.kind };
    } catch {
      return reply.status(503).send({ status: 'unavailable', db: platform.handle.kind });
    }
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await registerRoutes(app, platform);
  await registerConsole(app);
  await registerClient(app);
  return app;
}

/** Starts background work: the outbox worker (every instance may run one) and real-time fan-out. */
export async function startBackground(platform: Platform): Promise<void> {
  await platform.hub.start();
  await platform.caches.start();
  if (platform.config.outboxWorker) await platform.worker.start();
  if (platform.config.outboxWorker) platform.settlementSweeper.start();
}

export async function stopPlatform(platform: Platform, app?: FastifyInstance): Promise<void> {
  await app?.close();
  await platform.worker.stop();
  await platform.settlementSweeper.stop();
  await platform.hub.stop();
  await platform.caches.stop();
  await platform.handle.close();
}
