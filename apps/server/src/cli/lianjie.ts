// `lianjie` — the platform's command line (`npx lianjie sim …`). Node built-ins only: it talks to a
// running Lianjie over HTTP, so it works against any instance, local or not.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HELP } from './help.ts';
import { CliError, SIM_COMMANDS, type ApiCall, type Demo, type Values } from './sim.ts';

const GLOBAL_OPTIONS = ['url', 'server', 'json', 'demo', 'help'];
const BOOLEAN = new Set(['json', 'demo', 'help']);
const ALL = new Set([...GLOBAL_OPTIONS, ...Object.values(SIM_COMMANDS).flatMap((c) => c.options)]);
const OPTIONS: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(
  [...ALL].map((name) => [name, name === 'help' ? { type: 'boolean', short: 'h' } : { type: BOOLEAN.has(name) ? 'boolean' : 'string' }]),
);

function readDemo(): Demo {
  const file = path.join(process.env.DATA_DIR || 'data', 'demo-credentials.json');
  if (!existsSync(file)) throw new CliError(`--demo: ${file} not found (run \`npm start\` once in this folder to seed the demo)`, 2);
  return JSON.parse(readFileSync(file, 'utf8')) as Demo;
}

/** Calls our JSON API; an error answer becomes a CliError carrying the API's message. */
function apiClient(base: string): ApiCall {
  return async (method, route, body) => {
    let res: Response;
    try {
      res = await fetch(new URL(route, base), { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    } catch (err) {
      const reason = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      throw new CliError(`cannot reach Lianjie at ${base} (${reason}) — is it running? (\`npm start\`)`);
    }
    const raw = await res.text();
    let json: unknown;
    try {
      json = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      throw new CliError(`unexpected answer from ${base} (HTTP ${res.status}): ${raw.slice(0, 200)}`);
    }
    if (!res.ok) {
      const error = (json as { error?: { message?: string } } | undefined)?.error;
      const hint = res.status === 404 && route.startsWith('/api/v1/sim/') && error?.message?.startsWith('no route') ? ' (is the server in production mode? the simulator runs in sandbox mode only)' : '';
      throw new CliError(`${error?.message ?? `HTTP ${res.status}`}${hint}`, 1, json);
    }
    return json;
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  let values: Values;
  let words: string[];
  try {
    const parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    values = parsed.values as Values;
    words = parsed.positionals;
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\nRun \`lianjie --help\` for usage.\n`);
    return 2;
  }
  const key = words.join(' ');
  if (values.help || key === '' || key === 'sim' || key === 'sim consumer') {
    const help = HELP[key];
    if (help === undefined) return usage(`unknown command: ${key}`);
    process.stdout.write(`${help}\n`);
    return 0;
  }
  if (words[0] !== 'sim') return usage(`unknown command: ${words[0]}`);
  const name = words.slice(1).join(' ');
  const command = SIM_COMMANDS[name];
  if (!command) return usage(`unknown command: sim ${name}`);
  const allowed = new Set([...GLOBAL_OPTIONS, ...command.options]);
  const stray = Object.keys(values).find((k) => !allowed.has(k));
  if (stray) return usage(`sim ${name} does not take --${stray}`, `sim ${name}`);

  const json = values.json === true;
  try {
    const demo = values.demo ? readDemo() : undefined;
    // In `sim callback`, --url is the merchant's callback URL; Lianjie's address is --server there.
    const ownUrl = name === 'callback' ? undefined : values.url;
    const base = String(values.server ?? ownUrl ?? (process.env.LIANJIE_URL || undefined) ?? demo?.platform ?? 'http://127.0.0.1:3000');
    const result = await command.run(values, apiClient(base), demo);
    process.stdout.write(`${json ? JSON.stringify(result.json, null, 2) : result.text}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    if (json && err.body !== undefined) process.stdout.write(`${JSON.stringify(err.body, null, 2)}\n`);
    process.stderr.write(`error: ${err.message}\n`);
    if (err.exitCode === 2) process.stderr.write(`Run \`lianjie ${key} --help\` for usage.\n`);
    return err.exitCode;
  }
}

function usage(message: string, helpKey = ''): number {
  process.stderr.write(`error: ${message}\nRun \`lianjie ${helpKey ? `${helpKey} ` : ''}--help\` for usage.\n`);
  return 2;
}

/** Runs the command line and sets the exit code (the `bin/lianjie.js` shim calls this). */
export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.exitCode = await main(argv);
}

if (import.meta.main) await run();
