import { BlockList, isIP } from 'node:net';
import { AppError } from '../../platform/errors.ts';

/** At most this many entries, like WeChat's console. */
export const MAX_IP_ALLOWLIST = 200;

const entryError = (entry: string) => new AppError('invalid_argument', `not an IP address or IPv4 CIDR: ${entry}`, { details: { reason: 'BAD_IP', entry } });

/** Validates and normalises an allowlist: IPv4 / IPv6 addresses, or IPv4 CIDR blocks (a.b.c.d/n); duplicates dropped. */
export function parseIpAllowlist(ips: readonly string[]): string[] {
  if (ips.length > MAX_IP_ALLOWLIST) throw new AppError('invalid_argument', `at most ${MAX_IP_ALLOWLIST} entries`, { details: { reason: 'TOO_MANY_IPS' } });
  const out = new Set<string>();
  for (const raw of ips) {
    const entry = raw.trim();
    if (!entry) continue;
    const [addr = '', bits, extra] = entry.split('/');
    if (extra !== undefined) throw entryError(entry);
    if (bits === undefined) {
      if (!isIP(addr)) throw entryError(entry);
    } else if (isIP(addr) !== 4 || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) throw entryError(entry);
    out.add(entry.toLowerCase());
  }
  return [...out];
}

/** Whether `ip` (as Fastify reports it, possibly `::ffff:a.b.c.d`) is allowed by the list; an empty list allows all. */
export function ipAllowed(list: readonly string[], ip: string): boolean {
  if (list.length === 0) return true;
  const v4 = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const kind = isIP(v4);
  if (!kind) return false;
  const block = new BlockList();
  for (const e of list) {
    const [addr = '', bits] = e.split('/');
    if (bits !== undefined) block.addSubnet(addr, Number(bits), 'ipv4');
    else block.addAddress(addr, isIP(addr) === 6 ? 'ipv6' : 'ipv4');
  }
  return block.check(v4, kind === 6 ? 'ipv6' : 'ipv4');
}

/** WeChat's refusal of a caller outside the account's allowlist (errcode 40164). */
export function requireAllowedIp(list: readonly string[], ip: string): void {
  if (ipAllowed(list, ip)) return;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  throw new AppError('permission_denied', `invalid ip ${v4} ipv6 ::ffff:${v4}, not in whitelist`, { wxErrcode: 40164 });
}
