/**
 * Accessibility and bilingual UI of the consumer client (playwright-core + Debian Chromium, PGlite).
 * Every main page (sign-in, chats, a chat thread with a menu bar, news card and image, account profile,
 * search, discover, scan, me, friends), in zh-CN and en (chosen by navigator.language through the
 * context's `locale`, and once by the Me page's switch), at 375×667 and 1280×800:
 * - every interactive element has an accessible name with at least one letter (not just "+" or "›");
 * - images have alt (or are aria-hidden); <html lang> is the chosen language; no horizontal scrolling;
 * - no untranslated i18n keys in visible text or names; known strings per language; in zh-CN no English
 *   UI string, in en no Chinese UI text; no console errors.
 * Nothing here depends on glyph rendering (CI may lack CJK fonts). Needs `npm run build`.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, screenshot } from './browser.ts';
import { startTestEnv, type TestEnv } from '../../server/src/testing/harness.ts';
import { accessToken, createAccount, createConsumer, createMerchant, follow, wxPost, type TestConsumer } from '../../server/src/testing/factories.ts';
import { CLIENT_DIST } from '../../server/src/web/client.ts';

type Lang = 'zh-CN' | 'en';
const VIEWPORTS = [
  { width: 375, height: 667 },
  { width: 1280, height: 800 },
];
/** A 160×120 RGB PNG (a warm gradient): the thread's image message and the news card's cover. */
function gradientPng(width = 160, height = 120): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([230, 120 + Math.round((x / width) * 100), 40 + Math.round((y / height) * 80)], y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}
const PNG = gradientPng();

/** The i18n tables' keys and static English strings, read from the sources (keys must never show). */
function stringTables(): { keys: string[]; english: string[] } {
  const files = ['../src/lib/i18n.ts', '../src/social/strings.ts', '../src/webview/strings.ts'].map((f) => readFileSync(new URL(f, import.meta.url), 'utf8'));
  const keys = new Set<string>();
  const english = new Set<string>();
  for (const src of files) {
    for (const m of src.matchAll(/^\s{2,4}([a-zA-Z][A-Za-z0-9]*): /gm)) if (m[1] && /[A-Z]/.test(m[1])) keys.add(m[1]);
    const enBlock = /const en[^=]*= \{([\s\S]*?)\n\};/.exec(src)?.[1] ?? '';
    for (const m of enBlock.matchAll(/^\s+\w+: '((?:[^'\\]|\\.)*)',$/gm)) if (m[1] && m[1].length >= 5 && !/[\u4e00-\u9fff]/.test(m[1])) english.add(m[1]);
  }
  return { keys: [...keys], english: [...english] };
}
const TABLES = stringTables();

/** What each page must show (a heading or landmark name) per language. */
const KNOWN: Record<Lang, Record<string, string[]>> = {
  'zh-CN': { signin: ['登录'], chats: ['消息', '发现', '我'], chat: ['公众号菜单'], account: ['公众号资料', '该公众号知道我的什么'], search: ['搜索公众号'], discover: ['发现', '扫一扫'], scan: ['扫一扫', '从相册选择'], me: ['我', '语言', '退出登录'], friends: ['朋友', '添加'] },
  en: { signin: ['Sign in'], chats: ['Chats', 'Discover', 'Me'], chat: ['Account menu'], account: ['Account profile', 'What this account knows about me'], search: ['Search accounts'], discover: ['Discover', 'Scan'], scan: ['Scan', 'Choose an image'], me: ['Me', 'Language', 'Sign out'], friends: ['Friends', 'Add'] },
};

interface Audit {
  lang: string;
  unnamed: string[];
  names: string[];
  noAlt: string[];
  scrollWidth: number;
  innerWidth: number;
  text: string;
}

/** One page's accessibility facts, computed in the page. */
async function audit(page: Page): Promise<Audit> {
  const named = await page.locator('button, a[href], input:not([type=hidden]), select, textarea, [role=button]').evaluateAll((els) => {
    const text = (n: Element | null): string => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const nameOf = (el: Element): string => {
      const aria = el.getAttribute('aria-label')?.trim();
      if (aria) return aria;
      const by = el.getAttribute('aria-labelledby');
      if (by) return by.split(/\s+/).map((id) => text(document.getElementById(id))).join(' ').trim();
      const labels = (el as HTMLInputElement).labels;
      if (labels && labels.length > 0) return Array.from(labels).map((l) => text(l)).join(' ').trim();
      const title = el.getAttribute('title')?.trim();
      if (title) return title;
      const alt = Array.from(el.querySelectorAll('img[alt]')).map((i) => i.getAttribute('alt') ?? '').join(' ').trim();
      return `${text(el)} ${alt}`.trim();
    };
    return els
      // Elements outside the accessibility tree (aria-hidden or not rendered) need no name.
      .filter((el) => !el.closest('[aria-hidden="true"]') && (el as HTMLElement).checkVisibility())
      .map((el) => ({ name: nameOf(el), what: `<${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}">${el.outerHTML.slice(0, 80)}` }));
  });
  const noAlt = await page.locator('img').evaluateAll((imgs) => imgs.filter((i) => !i.hasAttribute('alt') && !i.closest('[aria-hidden="true"]')).map((i) => i.outerHTML.slice(0, 120)));
  const facts = await page.evaluate(() => {
    const se = document.scrollingElement ?? document.documentElement;
    const attrs = Array.from(document.querySelectorAll('[placeholder],[title],[aria-label],[alt]')).map((e) => ['placeholder', 'title', 'aria-label', 'alt'].map((n) => e.getAttribute(n) ?? '').join(' '));
    return { lang: document.documentElement.lang, scrollWidth: se.scrollWidth, innerWidth: window.innerWidth, text: `${document.body.innerText}\n${attrs.join('\n')}` };
  });
  return {
    ...facts,
    names: named.map((n) => n.name),
    // A name needs a letter (any script) or digit: "+" or "›" alone says nothing to a screen reader.
    unnamed: named.filter((n) => !/[\p{L}\p{N}]/u.test(n.name)).map((n) => `${JSON.stringify(n.name)} ${n.what}`),
    noAlt,
  };
}

function check(a: Audit, lang: Lang, where: string, known: string[], viewportWidth: number): void {
  assert.deepEqual(a.unnamed, [], `${where}: interactive elements without an accessible name`);
  assert.deepEqual(a.noAlt, [], `${where}: images without alt`);
  assert.equal(a.lang, lang, `${where}: <html lang>`);
  assert.ok(a.scrollWidth <= a.innerWidth, `${where}: scrolls horizontally (${a.scrollWidth} > ${a.innerWidth} at ${viewportWidth} px)`);
  const all = `${a.text}\n${a.names.join('\n')}`;
  const words = new Set(all.split(/[^A-Za-z0-9_.]+/));
  const keys = TABLES.keys.filter((k) => words.has(k));
  assert.deepEqual(keys, [], `${where}: untranslated keys in the UI`);
  assert.doesNotMatch(all, /\b(?:undefined|NaN|null)\b|\[object Object\]|\b[a-z]+\.[a-z][a-zA-Z]+(?:\.[a-zA-Z]+)*\b(?<!\.(?:com|cn|test|png))/, `${where}: key-looking or broken text`);
  for (const s of known) assert.ok(all.includes(s), `${where}: expected "${s}"`);
  if (lang === 'zh-CN') {
    const leaks = TABLES.english.filter((s) => all.includes(s));
    assert.deepEqual(leaks, [], `${where}: English UI strings in the Chinese UI`);
  } else {
    // The logo "连" and the language choice "中文" are Chinese on purpose.
    const han = all.replaceAll('中文', '').replaceAll('连', '').match(/[\u4e00-\u9fff]+/g) ?? [];
    assert.deepEqual(han, [], `${where}: Chinese text in the English UI`);
  }
}

describe('client accessibility and bilingual UI [pglite]', { skip: existsSync(CLIENT_DIST) ? false : 'client not built: run npm run build' }, () => {
  let env: (TestEnv & { close(): Promise<void> }) | undefined;
  let browser: Browser | undefined;
  let consumer: TestConsumer | undefined;
  let accountId = '';

  before(async () => {
    env = await startTestEnv('pglite', { listen: true, background: true });
    const m = await createMerchant(env);
    const a = await createAccount(env, m, 'service', 'Noodle House');
    accountId = a.id;
    await env.platform.services.accounts.updateProfile(m.ctx, a.id, { description: 'Hand-pulled noodles since 1998' });
    const token = await accessToken(env, a);
    const menu = await wxPost(env, '/cgi-bin/menu/create', token, { button: [{ type: 'click', name: 'Today', key: 'TODAY' }, { name: 'More', sub_button: [{ type: 'view', name: 'Website', url: 'https://example.com/' }] }] });
    assert.equal(menu.errcode, 0, JSON.stringify(menu));
    consumer = await createConsumer(env, 'Xiao Ming');
    const friend = await createConsumer(env, 'Ann');
    await env.platform.services.social.addFriend(consumer.ctx, friend.phone);
    const openid = await follow(env, consumer, a);

    // The thread: the consumer's text and image, the account's text and news card (with a cover picture).
    const form = new FormData();
    form.append('media', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'dot.png');
    const req = new Request('http://upload/', { method: 'POST', body: form });
    const up = await env.app.inject({ method: 'POST', url: '/api/v1/media', headers: { ...consumer.headers, 'content-type': req.headers.get('content-type') ?? '' }, payload: Buffer.from(await req.arrayBuffer()) });
    assert.equal(up.statusCode, 201, up.body);
    const media = up.json() as { mediaId: string; url: string };
    const post = async (body: unknown) => {
      const res = await env!.app.inject({ method: 'POST', url: `/api/v1/threads/${a.id}/messages`, headers: consumer!.headers, payload: body as Record<string, unknown> });
      assert.ok(res.statusCode < 300, res.body);
    };
    await post({ type: 'text', content: 'One bowl please' });
    await post({ type: 'image', url: media.url, mediaId: media.mediaId });
    for (const body of [
      { touser: openid, msgtype: 'text', text: { content: 'Coming right up' } },
      { touser: openid, msgtype: 'news', news: { articles: [{ title: 'Noodle week: 20% off', description: 'All bowls, Monday to Friday', url: 'https://example.com/week', picurl: `${env.baseUrl}/api/v1/media/${media.mediaId}` }] } },
    ]) {
      const sent = await wxPost(env, '/cgi-bin/message/custom/send', token, body);
      assert.equal(sent.errcode, 0, JSON.stringify(sent));
    }
    await env.platform.worker.drain();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await env?.close();
  });

  const PAGES = (id: string) => [
    { key: 'chats', path: '/chats', ready: (p: Page) => p.locator('.chat-row').first().waitFor() },
    { key: 'chat', path: `/chat/${id}`, ready: (p: Page) => p.locator('.news-cover img, .bubble-image').nth(1).waitFor() },
    { key: 'account', path: `/account/${id}`, ready: (p: Page) => p.locator('#knows-title').waitFor() },
    { key: 'search', path: '/search?q=Noodle', ready: (p: Page) => p.locator('a[href^="/account/"]').first().waitFor() },
    { key: 'discover', path: '/discover', ready: (p: Page) => p.locator('a[href="/scan"]').first().waitFor() },
    { key: 'scan', path: '/scan', ready: (p: Page) => p.locator('#scan-link').waitFor() },
    { key: 'me', path: '/me', ready: (p: Page) => p.locator('select').waitFor() },
    { key: 'friends', path: '/friends', ready: (p: Page) => p.locator('a[href^="/dm/"]').first().waitFor() },
  ];

  for (const lang of ['zh-CN', 'en'] as const) {
    it(`every main page in ${lang} at 375×667 and 1280×800`, { timeout: 60_000 }, async () => {
      assert.ok(env && browser && consumer);
      for (const viewport of VIEWPORTS) {
        const context = await browser.newContext({ viewport, locale: lang === 'en' ? 'en-US' : 'zh-CN' });
        const page = await context.newPage();
        page.setDefaultTimeout(10_000);
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (msg) => {
          const at = msg.location().url;
          if (msg.type() === 'error') errors.push(`${msg.text()} @ ${at}`);
        });
        const where = (key: string) => `${key} [${lang} ${viewport.width}×${viewport.height}]`;

        await page.goto(`${env.baseUrl}/signin`);
        await page.locator('input[name=phone]').waitFor();
        check(await audit(page), lang, where('signin'), KNOWN[lang].signin ?? [], viewport.width);

        await context.addCookies([{ name: 'lj_c', value: consumer.token, url: env.baseUrl }]);
        for (const p of PAGES(accountId)) {
          await page.goto(`${env.baseUrl}${p.path}`);
          await p.ready(page).catch(async (e: unknown) => {
            throw new Error(`${where(p.key)} did not load: ${String(e)}\n${await page.locator('body').innerText()}`);
          });
          check(await audit(page), lang, where(p.key), KNOWN[lang][p.key] ?? [], viewport.width);
          if (p.key === 'chats' && lang === 'zh-CN' && viewport.width === 375) await screenshot(page, 'client-chats-zh.png');
          if (p.key === 'chat' && lang === 'en' && viewport.width === 1280) await screenshot(page, 'client-desktop.png');
          if (p.key === 'chat') {
            // The menu bar's sub-menu, then the composer (keyboard mode) with its extras open.
            await page.locator('.menubar-btn[aria-haspopup]').click();
            await page.locator('[role=menu]').waitFor();
            check(await audit(page), lang, where('chat sub-menu'), [], viewport.width);
            await page.locator('.menubar-toggle').click();
            await page.locator('#composer-input').waitFor();
            await page.locator('.composer button[aria-expanded]').click();
            await page.locator('.extras').waitFor();
            check(await audit(page), lang, where('chat composer'), [], viewport.width);
          }
        }

        // The Me page's own switch changes the language (and <html lang>) in place.
        const other: Lang = lang === 'en' ? 'zh-CN' : 'en';
        await page.goto(`${env.baseUrl}/me`);
        await page.locator('select').selectOption(other);
        await page.getByRole('heading', { name: KNOWN[other].me?.[0] ?? '', exact: true }).waitFor();
        check(await audit(page), other, where('me → switched'), KNOWN[other].me ?? [], viewport.width);
        await page.goto(`${env.baseUrl}/discover`);
        await page.locator('a[href="/scan"]').first().waitFor();
        check(await audit(page), other, where('discover after the switch'), KNOWN[other].discover ?? [], viewport.width);

        assert.deepEqual(errors, [], `${lang} ${viewport.width}: console errors`);
        await context.close();
      }
    });
  }
});
