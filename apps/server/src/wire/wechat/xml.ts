// Safe XML for the WeChat wire: callback pushes, passive replies and Pay v2 bodies.
// Parsing refuses DTDs (no XXE / entity expansion), decodes only the predefined entities and
// numeric character references itself, and folds CDATA into the text.
import { Buffer } from 'node:buffer';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type WechatXmlValue = string | WechatXmlValue[] | WechatXmlObject;
export interface WechatXmlObject {
  [key: string]: WechatXmlValue;
}

export type WechatXmlInput =
  | string
  | number
  | bigint
  | undefined
  | readonly WechatXmlInput[]
  | { readonly [key: string]: WechatXmlInput };

export type XmlErrorReason =
  | 'too-large'
  | 'empty'
  | 'dtd-forbidden'
  | 'malformed'
  | 'bad-root'
  | 'mixed-content'
  | 'bad-name'
  | 'bad-value'
  | 'too-deep';

export class XmlError extends Error {
  readonly reason: XmlErrorReason;
  constructor(reason: XmlErrorReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'XmlError';
    this.reason = reason;
  }
}

export const DEFAULT_MAX_XML_BYTES = 1024 * 1024;
const MAX_DEPTH = 64;
const TEXT = '#text';
const CDATA = '__cdata';
const ATTRS = ':@';

const parser = new XMLParser({
  preserveOrder: true, // keeps text and CDATA pieces in document order
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  trimValues: true, // trims plain text (indentation); CDATA is never trimmed
  cdataPropName: CDATA,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_DEPTH,
});

export interface ParseWechatXmlOptions {
  /** Refuse bodies larger than this many UTF-8 bytes (default 1 MiB). */
  maxBytes?: number;
}

/**
 * Parses a WeChat `<xml>…</xml>` document and returns the children of the root. Leaf elements become
 * strings; nested elements become objects; repeated siblings become arrays, and an element whose
 * children are all `<item>` (e.g. `Articles`, `PicList`) becomes an array of the items.
 */
export function parseWechatXml(raw: string, options: ParseWechatXmlOptions = {}): WechatXmlObject {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  // Cheap pre-check on UTF-16 length (a code unit is at least one UTF-8 byte), then the exact one.
  if (raw.length > maxBytes || Buffer.byteLength(raw, 'utf8') > maxBytes) {
    throw new XmlError('too-large', `XML body exceeds ${maxBytes} bytes`);
  }
  if (raw.trim() === '') throw new XmlError('empty', 'XML body is empty');
  if (/<!DOCTYPE|<!ENTITY/i.test(raw)) {
    throw new XmlError('dtd-forbidden', 'XML with DOCTYPE or ENTITY declarations is refused');
  }
  const valid = XMLValidator.validate(raw);
  if (valid !== true) {
    throw new XmlError('malformed', `malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  let nodes: unknown;
  try {
    nodes = parser.parse(raw);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new XmlError('malformed', `malformed XML: ${detail}`, { cause });
  }
  const roots = asNodeList(nodes).filter((n) => nodeName(n) !== TEXT);
  const root = roots[0];
  if (roots.length !== 1 || root === undefined || nodeName(root) !== 'xml') {
    throw new XmlError('bad-root', 'the document root must be a single <xml> element');
  }
  const value = convert(root['xml'], false);
  if (typeof value === 'string') {
    if (value.trim() !== '') throw new XmlError('mixed-content', '<xml> must contain elements');
    return {};
  }
  return value as WechatXmlObject; // never an array: item-lists are disabled for the root
}

/** Returns `obj[key]` when it is a string, else undefined. */
export function xmlText(obj: WechatXmlObject, key: string): string | undefined {
  const value = Object.hasOwn(obj, key) ? obj[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

type OrderedNode = Record<string, unknown>;

function asNodeList(value: unknown): OrderedNode[] {
  if (!Array.isArray(value)) throw new XmlError('malformed', 'unexpected parser output');
  return value as OrderedNode[];
}

function nodeName(node: OrderedNode): string {
  const name = Object.keys(node).find((k) => k !== ATTRS);
  if (name === undefined) throw new XmlError('malformed', 'unexpected parser output');
  return name;
}

function convert(children: unknown, itemsAsArray: boolean): WechatXmlValue {
  let text = '';
  const elements: Array<[string, WechatXmlValue]> = [];
  for (const node of asNodeList(children)) {
    const name = nodeName(node);
    if (name === TEXT) text += decodeEntities(String(node[TEXT]));
    else if (name === CDATA) text += asNodeList(node[CDATA]).map((n) => String(n[TEXT] ?? '')).join('');
    else elements.push([name, convert(node[name], true)]);
  }
  if (elements.length === 0) return text;
  if (text.trim() !== '') throw new XmlError('mixed-content', 'text mixed with child elements');
  if (itemsAsArray && elements.every(([name]) => name === 'item')) return elements.map(([, v]) => v);
  const groups = new Map<string, WechatXmlValue[]>();
  for (const [name, value] of elements) {
    const group = groups.get(name);
    if (group) group.push(value);
    else groups.set(name, [value]);
  }
  // Object.fromEntries defines own properties, so a "__proto__" tag cannot pollute prototypes.
  return Object.fromEntries(
    [...groups].map(([name, values]): [string, WechatXmlValue] => [
      name,
      values.length === 1 && values[0] !== undefined ? values[0] : values,
    ]),
  );
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    const ok = code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return ok ? String.fromCodePoint(code) : whole;
  });
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Builds `<xml>…</xml>`. Strings are written as CDATA (a `]]>` inside is split across two
 * sections), numbers and bigints bare, objects as child elements, arrays as repeated `<item>`
 * children; `undefined` values are skipped.
 */
export function buildWechatXml(obj: { readonly [key: string]: WechatXmlInput }): string {
  return `<xml>${buildChildren(obj, 0)}</xml>`;
}

function buildChildren(obj: { readonly [key: string]: WechatXmlInput }, depth: number): string {
  let out = '';
  for (const [name, value] of Object.entries(obj)) {
    if (value === undefined) continue;
    if (!NAME.test(name)) throw new XmlError('bad-name', `invalid XML element name: ${JSON.stringify(name)}`);
    out += `<${name}>${buildValue(value, depth + 1)}</${name}>`;
  }
  return out;
}

function buildValue(value: Exclude<WechatXmlInput, undefined>, depth: number): string {
  if (depth > MAX_DEPTH) throw new XmlError('too-deep', 'object nested too deeply (cycle?)');
  if (typeof value === 'string') return cdata(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new XmlError('bad-value', `cannot write ${value} to XML`);
    return String(value);
  }
  if (isInputArray(value)) {
    return value.map((v) => (v === undefined ? '' : `<item>${buildValue(v, depth + 1)}</item>`)).join('');
  }
  return buildChildren(value, depth);
}

function isInputArray(value: unknown): value is readonly WechatXmlInput[] {
  return Array.isArray(value);
}

function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
