import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signing of our webhooks. Every delivery carries
 *   `Lianjie-Signature: t=<unix seconds>,s=<hex HMAC-SHA256(secret, t + "." + body)>`
 * computed over the exact body bytes. This file has no imports beyond node:crypto, so a merchant can
 * copy `verifyWebhook` into their server as it is.
 */
export const SIGNATURE_HEADER = 'lianjie-signature';
export const EVENT_ID_HEADER = 'lianjie-event-id';

const hmac = (secret: string, t: string, body: string) => createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');

/** The `Lianjie-Signature` value for a body at a time (unix seconds). */
export function signWebhook(secret: string, body: string, t: number = Math.floor(Date.now() / 1000)): string {
  return `t=${t},s=${hmac(secret, String(t), body)}`;
}

/**
 * Whether `body` (the raw request body, as received) was signed with `secret` within `toleranceSec` of
 * now. Accepts several `s=` parts (one per valid secret) and compares in constant time.
 */
export function verifyWebhook(secret: string, header: string | undefined, body: string, toleranceSec = 300, now: number = Date.now()): boolean {
  if (!header) return false;
  let t: string | undefined;
  const sigs: string[] = [];
  for (const part of header.split(',')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    if (k === 't') t = v;
    else if (k === 's') sigs.push(v);
  }
  if (!t || !/^\d{1,12}$/.test(t) || sigs.length === 0) return false;
  if (Math.abs(Math.floor(now / 1000) - Number(t)) > toleranceSec) return false;
  const expected = Buffer.from(hmac(secret, t, body), 'hex');
  return sigs.some((s) => /^[0-9a-f]{64}$/.test(s) && timingSafeEqual(Buffer.from(s, 'hex'), expected));
}
