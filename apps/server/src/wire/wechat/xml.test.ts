import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildWechatXml, parseWechatXml, xmlText, XmlError, type WechatXmlValue } from './xml.ts';

function refused(raw: string, reason: XmlError['reason'], maxBytes?: number): void {
  const options = maxBytes === undefined ? {} : { maxBytes };
  assert.throws(() => parseWechatXml(raw, options), (e: unknown) => e instanceof XmlError && e.reason === reason);
}

test('parses a CDATA callback push', () => {
  const raw =
    '<xml><ToUserName><![CDATA[gh_123]]></ToUserName><FromUserName><![CDATA[oABC]]></FromUserName>' +
    '<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>' +
    '<Content><![CDATA[ 你好 <b>&amp; ]]></Content><MsgId>1234567890123456789</MsgId></xml>';
  assert.deepEqual(parseWechatXml(raw), {
    ToUserName: 'gh_123',
    FromUserName: 'oABC',
    CreateTime: '1700000000',
    MsgType: 'text',
    Content: ' 你好 <b>&amp; ', // CDATA is raw and untrimmed
    MsgId: '1234567890123456789', // strings, never numbers (64-bit ids survive)
  });
});

test('parses Pay v2 style: declaration, indentation, no CDATA, entities', () => {
  const raw = `<?xml version="1.0" encoding="UTF-8"?>
<xml>
  <appid>wxd930ea5d5a258f4f</appid>
  <body>  A &amp; B &lt;x&gt; &quot;q&quot; &apos;a&apos; &#20013;&#x6587;  </body>
  <total_fee>1</total_fee>
  <attach/>
  <detail></detail>
  <unknown>&nbsp;</unknown>
</xml>
`;
  assert.deepEqual(parseWechatXml(raw), {
    appid: 'wxd930ea5d5a258f4f',
    body: 'A & B <x> "q" \'a\' 中文',
    total_fee: '1',
    attach: '',
    detail: '',
    unknown: '&nbsp;', // only XML's predefined entities are decoded
  });
});

test('nested events and item lists', () => {
  const scan = parseWechatXml(
    '<xml><MsgType>event</MsgType><Event>scancode_waitmsg</Event><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType>' +
      '<ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo><SendLocationInfo><Location_X>23.1</Location_X>' +
      '<Label><![CDATA[广州]]></Label></SendLocationInfo></xml>',
  );
  assert.deepEqual(scan['ScanCodeInfo'], { ScanType: 'qrcode', ScanResult: '1' });
  assert.deepEqual(scan['SendLocationInfo'], { Location_X: '23.1', Label: '广州' });
  assert.equal(xmlText(scan, 'Event'), 'scancode_waitmsg');
  assert.equal(xmlText(scan, 'ScanCodeInfo'), undefined);

  const news = parseWechatXml(
    '<xml><ArticleCount>2</ArticleCount><Articles><item><Title><![CDATA[a]]></Title></item>' +
      '<item><Title><![CDATA[b]]></Title><Url>u</Url></item></Articles></xml>',
  );
  assert.deepEqual(news['Articles'], [{ Title: 'a' }, { Title: 'b', Url: 'u' }]);
  const one = parseWechatXml('<xml><SendPicsInfo><Count>1</Count><PicList><item><PicMd5Sum>x</PicMd5Sum></item></PicList></SendPicsInfo></xml>');
  assert.deepEqual(one['SendPicsInfo'], { Count: '1', PicList: [{ PicMd5Sum: 'x' }] });
  assert.deepEqual(parseWechatXml('<xml><A>1</A><B/><A>2</A></xml>'), { A: ['1', '2'], B: '' });
  assert.deepEqual(parseWechatXml('<xml></xml>'), {});
});

test('refuses DTDs: XXE, billion laughs, any case', () => {
  const xxe = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><A>&xxe;</A></xml>';
  const lol =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><xml><A>&lol3;</A></xml>';
  refused(xxe, 'dtd-forbidden');
  refused(lol, 'dtd-forbidden');
  refused('<!doctype xml><xml><A>1</A></xml>', 'dtd-forbidden');
  refused('<xml><!EnTiTy x "y"><A>1</A></xml>', 'dtd-forbidden');
});

test('refuses wrong roots and malformed input', () => {
  refused('<root><A>1</A></root>', 'bad-root');
  refused('<xml><A>1</A></xml><xml><A>2</A></xml>', 'malformed'); // caught by the validator
  refused('<xml><A>1</A></xml><xml/>', 'bad-root'); // not caught by it, but by us
  refused('<XML><A>1</A></XML>', 'bad-root');
  refused('<xml>text</xml>', 'mixed-content');
  refused('<xml><A>t<B>x</B></A></xml>', 'mixed-content');
  refused('garbage<xml><A>1</A></xml>', 'malformed');
  refused('<xml><A>1</B></xml>', 'malformed');
  refused('<xml><A>1</A>', 'malformed');
  refused('<xml><A>a & b</A></xml>', 'malformed');
  refused('{"json":true}', 'malformed');
  refused('', 'empty');
  refused('  \n', 'empty');
  assert.throws(() => parseWechatXml('<xml><__proto__><a>1</a></__proto__></xml>'), XmlError);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'a'), false);
});

test('refuses oversize input (bytes, not characters)', () => {
  const big = `<xml><A><![CDATA[${'x'.repeat(1024 * 1024)}]]></A></xml>`;
  refused(big, 'too-large');
  refused('<xml><A>1234</A></xml>', 'too-large', 10);
  const cjk = `<xml><A>${'中'.repeat(10)}</A></xml>`; // 20 chars of markup + 30 bytes of text
  refused(cjk, 'too-large', cjk.length + 10);
  assert.deepEqual(parseWechatXml(cjk, { maxBytes: cjk.length + 20 }), { A: '中'.repeat(10) });
});

test('build: CDATA strings, bare numbers, items, skipped undefined', () => {
  assert.equal(
    buildWechatXml({ A: 'x]]>y', N: 42, M: 9007199254740993n, U: undefined, L: [{ T: 't' }, 'v'], O: { P: '' } }),
    '<xml><A><![CDATA[x]]]]><![CDATA[>y]]></A><N>42</N><M>9007199254740993</M>' +
      '<L><item><T><![CDATA[t]]></T></item><item><![CDATA[v]]></item></L><O><P><![CDATA[]]></P></O></xml>',
  );
  assert.throws(() => buildWechatXml({ 'bad name': 'x' }), (e: unknown) => e instanceof XmlError && e.reason === 'bad-name');
  assert.throws(() => buildWechatXml({ '<A>': 'x' }), XmlError);
  assert.throws(() => buildWechatXml({ N: Number.NaN }), (e: unknown) => e instanceof XmlError && e.reason === 'bad-value');
  assert.deepEqual(parseWechatXml(buildWechatXml({ N: 1.5, Z: -3 })), { N: '1.5', Z: '-3' });
});

// Trees of strings. Tag names exclude "item" (a container of only <item> children reads back as a
// list) and names the parser reserves; containers are non-empty (an empty one reads back as "").
const reserved = new Set(['item', '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf']);
const tagName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,11}$/).filter((n) => !reserved.has(n));
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(']]>', ']]]]>', '<![CDATA[', '&amp;', '<', '&', '  padded  ', '<xml></xml>', ''),
  fc.string({ unit: fc.constantFrom(']', '>', '<', '&', ';', '[', '!', ' ', 'a'), maxLength: 20 }),
);
const tree = fc.letrec<{ node: WechatXmlValue; obj: { [k: string]: WechatXmlValue } }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text, tie('obj'), fc.array(tie('node'), { minLength: 1, maxLength: 3 })),
  obj: fc.dictionary(tagName, tie('node'), { minKeys: 1, maxKeys: 4 }),
}));

// XML normalises line ends (CR LF and lone CR become LF) everywhere, CDATA included.
function normaliseEol(value: WechatXmlValue): WechatXmlValue {
  if (typeof value === 'string') return value.replace(/\r\n?/g, '\n');
  if (Array.isArray(value)) return value.map(normaliseEol);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseEol(v)]));
}

test('build → parse round trip for arbitrary strings and trees', () => {
  fc.assert(
    fc.property(tree.obj, (obj) => {
      assert.deepEqual(parseWechatXml(buildWechatXml(obj)), normaliseEol(obj));
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      assert.equal(parseWechatXml(buildWechatXml({ Content: s }))['Content'], s.replace(/\r\n?/g, '\n'));
    }),
  );
});
