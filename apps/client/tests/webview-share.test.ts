// What the web view's Share button sends: the page's share data, with the link held to the page's origin.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { pageShareOf } from '../src/webview/share.ts';

const page = new URL('https://shop.example.com/menu?item=7#top');

it('uses the share data the page set with updateAppMessageShareData', () => {
  const data = { title: ' Green tea ', desc: 'Fresh today', link: 'https://shop.example.com/p/1?from=share', imgUrl: 'https://cdn.example.net/t.png' };
  assert.deepEqual(pageShareOf(page, 'Shop', data, 'acc1'), {
    url: 'https://shop.example.com/p/1?from=share',
    title: 'Green tea',
    description: 'Fresh today',
    imgUrl: 'https://cdn.example.net/t.png',
    accountId: 'acc1',
  });
});

it('replaces a link on another origin (or scheme, or port) with the page URL', () => {
  for (const link of ['https://evil.example.org/p', 'http://shop.example.com/p', 'https://shop.example.com:8443/p', 'javascript:alert(1)', '']) {
    const card = pageShareOf(page, 'Shop', { title: 'T', desc: '', link, imgUrl: '' }, null);
    assert.equal(card.url, page.href, link);
    assert.equal(card.title, 'T');
  }
  // A path on the same origin is resolved against the page.
  assert.equal(pageShareOf(page, 'Shop', { title: 'T', link: '/p/2' }, null).url, 'https://shop.example.com/p/2');
});

it('without share data: the page URL and title (or host); no description, image or account', () => {
  assert.deepEqual(pageShareOf(page, 'Noodle Shop', null, null), { url: page.href, title: 'Noodle Shop' });
  assert.deepEqual(pageShareOf(page, '  ', null, null), { url: page.href, title: 'shop.example.com' });
});

it('drops non-http(s) images and bounds the lengths the server accepts', () => {
  const card = pageShareOf(page, 'Shop', { title: 'x'.repeat(300), desc: 'd'.repeat(600), link: page.href, imgUrl: 'data:image/png;base64,AAAA' }, null);
  assert.equal(card.title.length, 128);
  assert.equal(card.description?.length, 512);
  assert.equal(card.imgUrl, undefined);
});
