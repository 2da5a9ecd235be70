const TICKET = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * The ticket in what a scanner read: a bare ticket, or this platform's `<publicUrl>/q/<ticket>`
 * (any query or fragment ignored). Undefined for anything else, URLs of other sites included.
 */
export function parseScannedContent(content: string, publicUrl: string): string | undefined {
  const s = content.trim();
  if (TICKET.test(s)) return s;
  let url: URL;
  let base: URL;
  try {
    url = new URL(s);
    base = new URL(publicUrl);
  } catch {
    return undefined;
  }
  if (url.origin !== base.origin) return undefined;
  const prefix = `${base.pathname.replace(/\/$/, '')}/q/`;
  if (!url.pathname.startsWith(prefix)) return undefined;
  const ticket = url.pathname.slice(prefix.length);
  return TICKET.test(ticket) ? ticket : undefined;
}
