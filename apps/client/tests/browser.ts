import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with nothing reaching out to the network on its own. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });

const DOCS_SHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

/**
 * Takes a screenshot. With UPDATE_SCREENSHOTS=1 it replaces the one in docs/screenshots (the README's
 * pictures); otherwise it goes to a temporary folder, so `npm test` leaves the tree unchanged.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = process.env.UPDATE_SCREENSHOTS === '1' ? DOCS_SHOTS : path.join(tmpdir(), 'lianjie-screenshots');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  await page.screenshot({ path: file });
  return file;
}
