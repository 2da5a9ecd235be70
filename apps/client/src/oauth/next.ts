/**
 * Where the sign-in page goes after signing in (`/signin?next=…`). Only a same-origin relative path is
 * accepted: it starts with one `/`, never `//` or `/\` (browsers read both as another host), and has no
 * backslash, whitespace or control character (browsers drop tabs and newlines inside URLs, so
 * `/\t/evil.example` would become `//evil.example`). Anything else falls back to the chats.
 * A client route changes route in place; any other path (e.g. `/connect/oauth2/authorize?…`, which the
 * platform answers) needs a full navigation.
 */
export type NextTarget = { kind: 'route'; path: string } | { kind: 'full'; path: string };

const SAFE_PATH = /^\/(?![/\\])[^\\\s\u0000-\u001f\u007f]*$/;

export function resolveNext(raw: string | null | undefined, isClientRoute: (pathname: string) => boolean, origin: string): NextTarget {
  const fallback: NextTarget = { kind: 'route', path: '/chats' };
  if (!raw || !SAFE_PATH.test(raw)) return fallback;
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(origin).origin) return fallback;
  const path = url.pathname + url.search + url.hash;
  return isClientRoute(url.pathname) ? { kind: 'route', path } : { kind: 'full', path };
}
