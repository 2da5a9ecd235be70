import path from 'node:path';
import { buildServer, createPlatform, startBackground, stopPlatform } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { seedDemoIfEmpty } from './modules/demo/seed.ts';

/** Wiring only: config → platform → HTTP server → background work. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const platform = await createPlatform(config);
  if (config.operatorPassword) await platform.services.identity.bootstrapOperator(config.operatorEmail, config.operatorPassword);
  if (config.seedDemo) {
    const creds = await seedDemoIfEmpty(platform);
    if (creds) platform.log.info({ file: path.resolve(config.dataDir, 'demo-credentials.json') }, 'seeded a demo; credentials written to the file named here');
  }
  const app = await buildServer(platform);
  await app.listen({ port: config.port, host: config.host });
  await startBackground(platform);
  platform.log.info({ url: config.publicUrl, db: platform.handle.kind, mode: config.mode }, 'Lianjie is up');
  const shutdown = async (signal: string) => {
    platform.log.info({ signal }, 'shutting down');
    await stopPlatform(platform, app);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

await main();
