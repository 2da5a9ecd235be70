import { useEffect, useState } from 'react';

/** A tiny history-based router: pushState to navigate, popstate to follow the back button. */

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

/** Goes to an in-app path (`/chat/acc_1`, `/webview?url=…`); `replace` keeps history short. */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  const depth = (history.state as { depth?: number } | null)?.depth ?? 0;
  if (opts.replace) history.replaceState({ depth }, '', to);
  else history.pushState({ depth: depth + 1 }, '', to);
  window.scrollTo(0, 0);
  notify();
}

/** Back if the previous entry is ours, else to `fallback`. */
export function goBack(fallback = '/chats'): void {
  if (((history.state as { depth?: number } | null)?.depth ?? 0) > 0) history.back();
  else navigate(fallback, { replace: true });
}

export interface Location {
  pathname: string;
  query: URLSearchParams;
}

/** The current location; re-renders on every navigation. */
export function useLocation(): Location {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((t) => t + 1);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  return { pathname: location.pathname, query: new URLSearchParams(location.search) };
}

/** Matches `/chat/:accountId` against a pathname; returns the params or undefined. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | undefined {
  const p = pattern.split('/').filter(Boolean);
  const s = pathname.split('/').filter(Boolean);
  if (p.length !== s.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i] as string;
    const seg = s[i] as string;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(seg);
    else if (part !== seg) return undefined;
  }
  return params;
}

/** An in-app link: a real <a href> (open in new tab works) that navigates without reloading. */
export function onLinkClick(e: { preventDefault(): void; metaKey: boolean; ctrlKey: boolean; button: number }, to: string): void {
  if (e.metaKey || e.ctrlKey || e.button !== 0) return;
  e.preventDefault();
  navigate(to);
}
