import { z } from 'zod';

/** Environment → typed configuration. A bad value stops start-up with a message naming the variable. */
const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  LIANJIE_MODE: z.enum(['sandbox', 'production']).default('sandbox'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OPERATOR_EMAIL: z.email().default('operator@lianjie.local'),
  OPERATOR_PASSWORD: z.string().min(8).optional(),
  SEED_DEMO: z.enum(['auto', 'off']).default('auto'),
  OUTBOX_WORKER: z.enum(['on', 'off']).default('on'),
  /** When paid orders settle for organisations that did not choose: 'T+1' (00:00 CST next day) or 'now'. */
  LIANJIE_SETTLEMENT: z.enum(['T+1', 'now']).default('T+1'),
  /** 'on': new organisations wait for an operator's approval before they can take payments (issue 6). */
  MERCHANT_REVIEW: z.enum(['on', 'off']).default('on'),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: string;
  mode: 'sandbox' | 'production';
  logLevel: string;
  operatorEmail: string;
  operatorPassword: string | undefined;
  seedDemo: boolean;
  outboxWorker: boolean;
  settlementDelay: 'T+1' | 'now';
  /** New sign-ups start `pending` (operator approval needed before payments). */
  merchantReview: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(ConfigSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const parsed = ConfigSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    dataDir: c.DATA_DIR,
    publicUrl: (c.PUBLIC_URL ?? `http://${c.HOST === '0.0.0.0' ? '127.0.0.1' : c.HOST}:${c.PORT}`).replace(/\/$/, ''),
    mode: c.LIANJIE_MODE,
    logLevel: c.LOG_LEVEL,
    operatorEmail: c.OPERATOR_EMAIL,
    operatorPassword: c.OPERATOR_PASSWORD,
    seedDemo: c.SEED_DEMO === 'auto',
    outboxWorker: c.OUTBOX_WORKER === 'on',
    settlementDelay: c.LIANJIE_SETTLEMENT,
    merchantReview: c.MERCHANT_REVIEW === 'on',
  };
}
