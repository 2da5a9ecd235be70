import pino from 'pino';
import { buildServer, createPlatform, stopPlatform } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../platform/db.ts';

/** The OpenAPI document of our JSON API in sandbox mode (simulator included), as committed text. */
export async function generateOpenApi(): Promise<string> {
  const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'off', PUBLIC_URL: 'http://127.0.0.1:3000' });
  const platform = await createPlatform(config, { handle: await openDatabase({ pgliteDir: 'memory://' }), logger: pino({ level: 'silent' }) });
  const app = await buildServer(platform);
  await app.ready();
  try {
    return `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await stopPlatform(platform, app);
  }
}
