import type { MediaType } from './tables.ts';

/** A file format recognised from its first bytes (never from its name alone). */
export interface SniffedFormat {
  format: 'png' | 'jpeg' | 'gif' | 'bmp' | 'amr' | 'mp3' | 'mp4';
  contentType: string;
  extension: string;
}

const startsWith = (buf: Uint8Array, bytes: readonly number[], at = 0) => buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

export function sniffFormat(buf: Uint8Array): SniffedFormat | undefined {
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { format: 'png', contentType: 'image/png', extension: 'png' };
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return { format: 'jpeg', contentType: 'image/jpeg', extension: 'jpg' };
  if (startsWith(buf, ascii('GIF87a')) || startsWith(buf, ascii('GIF89a'))) return { format: 'gif', contentType: 'image/gif', extension: 'gif' };
  if (startsWith(buf, ascii('BM')) && buf.length >= 26) return { format: 'bmp', contentType: 'image/bmp', extension: 'bmp' };
  if (startsWith(buf, ascii('#!AMR'))) return { format: 'amr', contentType: 'audio/amr', extension: 'amr' };
  if (startsWith(buf, ascii('ID3')) || (buf.length >= 4 && buf[0] === 0xff && ((buf[1] ?? 0) & 0xe0) === 0xe0 && ((buf[1] ?? 0) & 0x06) !== 0)) {
    return { format: 'mp3', contentType: 'audio/mpeg', extension: 'mp3' };
  }
  if (startsWith(buf, ascii('ftyp'), 4)) return { format: 'mp4', contentType: 'video/mp4', extension: 'mp4' };
  return undefined;
}

export interface MediaRule {
  maxBytes: number;
  formats: readonly SniffedFormat['format'][];
  /** File name extensions WeChat accepts for the type. */
  extensions: readonly string[];
}

/** WeChat's limits for temporary media. */
export const MEDIA_RULES: Record<MediaType, MediaRule> = {
  image: { maxBytes: 10 * 1024 * 1024, formats: ['bmp', 'png', 'jpeg', 'gif'], extensions: ['bmp', 'png', 'jpeg', 'jpg', 'gif'] },
  voice: { maxBytes: 2 * 1024 * 1024, formats: ['amr', 'mp3'], extensions: ['amr', 'mp3'] },
  video: { maxBytes: 10 * 1024 * 1024, formats: ['mp4'], extensions: ['mp4'] },
  thumb: { maxBytes: 64 * 1024, formats: ['jpeg'], extensions: ['jpg', 'jpeg'] },
};

export const MEDIA_TYPES = Object.keys(MEDIA_RULES) as MediaType[];

export const isMediaType = (t: unknown): t is MediaType => typeof t === 'string' && Object.hasOwn(MEDIA_RULES, t);

/** The lower-case extension of a file name, or undefined when it has none. */
export function extensionOf(filename: string): string | undefined {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(filename);
  return m?.[1]?.toLowerCase();
}
