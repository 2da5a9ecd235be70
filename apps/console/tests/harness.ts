/**
 * Shared setup of the console browser tests: the platform listening on a loopback port (PGlite), Chromium,
 * pages that collect page errors, and signing in at /console/. Call `useConsole()` inside a `describe`
 * (it registers the before/after hooks); skip the describe with `CONSOLE_SKIP` when the console is not built.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../client/tests/browser.ts';
import { startTestEnv, type TestEnv, type TestEnvOptions } from '../../server/src/testing/harness.ts';
import { CONSOLE_DIST } from '../../server/src/web/console.ts';

/** `describe(..., { skip: CONSOLE_SKIP }, ...)`: skipped with the reason when apps/console/dist is missing. */
export const CONSOLE_SKIP: false | string = existsSync(CONSOLE_DIST) ? false : 'console not built: run npm run build';

export interface PageOptions {
  width?: number;
  height?: number;
  acceptDownloads?: boolean;
  /** Default timeout of the page's actions (ms, default 10 000). */
  timeout?: number;
  /** Cookies set before the page opens (e.g. lj_m for a signed-in merchant, lj_c for a consumer). */
  cookies?: { name: string; value: string }[];
}

export interface OpenPage {
  page: Page;
  /** Uncaught errors of the page (tests end with `assert.deepEqual(errors, [])`). */
  errors: string[];
}

export interface ConsoleTest {
  env(): TestEnv;
  browser(): Browser;
  newPage(opts?: PageOptions): Promise<OpenPage>;
  /** A new page signed in at /console/ with email and password, waiting for the Overview. */
  signIn(email: string, password: string, opts?: PageOptions): Promise<OpenPage>;
}

export function useConsole(opts: Omit<TestEnvOptions, 'listen'> = {}): ConsoleTest {
  let env: (TestEnv & { close(): Promise<void> }) | undefined;
  let browser: Browser | undefined;

  before(async () => {
    env = await startTestEnv('pglite', { ...opts, listen: true });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await env?.close();
  });

  const t: ConsoleTest = {
    env() {
      assert.ok(env, 'the platform is running');
      return env;
    },
    browser() {
      assert.ok(browser, 'Chromium is running');
      return browser;
    },
    async newPage(o = {}) {
      const context = await t.browser().newContext({ viewport: { width: o.width ?? 1280, height: o.height ?? 900 }, locale: 'en-US', acceptDownloads: o.acceptDownloads });
      if (o.cookies) await context.addCookies(o.cookies.map((c) => ({ ...c, url: t.env().baseUrl })));
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.setDefaultTimeout(o.timeout ?? 10_000);
      return { page, errors };
    },
    async signIn(email, password, o = {}) {
      const open = await t.newPage(o);
      const { page } = open;
      await page.goto(`${t.env().baseUrl}/console/`);
      await page.getByLabel('Email').waitFor({ timeout: 30_000 }); // first load of the bundle on a busy machine
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      return open;
    },
  };
  return t;
}
