import { useEffect, useState } from 'react';

/** A tiny history router for paths under `/console/` (the Vite base). Paths in the app omit the base. */

export const BASE = '/console';
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

/** `/accounts/acc_1/settings` → `/console/accounts/acc_1/settings`. */
export const href = (to: string) => `${BASE}${to === '/' ? '/' : to}`;

/** Goes to an in-app path (`/team`); `replace` keeps history short. */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const full = href(to);
  if (full === location.pathname + location.search) return;
  if (opts.replace) history.replaceState(null, '', full);
  else history.pushState(null, '', full);
  window.scrollTo(0, 0);
  notify();
}

/** The current in-app path (without `/console`) and query; re-renders on every navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((t) => t + 1);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) || '/' : location.pathname;
  return { path, query: new URLSearchParams(location.search) };
}

/** Matches `/accounts/:id/settings` against a path; returns the params or undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
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

/** An in-app link click: navigates without reloading (new-tab clicks fall through). */
export function onLinkClick(e: { preventDefault(): void; metaKey: boolean; ctrlKey: boolean; button: number }, to: string): void {
  if (e.metaKey || e.ctrlKey || e.button !== 0) return;
  e.preventDefault();
  navigate(to);
}
