import type { ReactNode } from 'react';
import { goBack, navigate, onLinkClick } from './lib/router.ts';
import { useT } from './lib/i18n.ts';

/** Small shared pieces of the shell: avatar, title bar, in-app link, bottom tab bar. */

export function Avatar({ name, url, size = 44 }: { name: string; url: string | null | undefined; size?: number }) {
  const style = { width: size, height: size, fontSize: size * 0.45 };
  if (url) return <img className="avatar" src={url} alt="" style={style} />;
  return (
    <span className="avatar avatar-letter" style={style} aria-hidden="true">
      {Array.from(name.trim())[0] ?? '?'}
    </span>
  );
}

export function Link({ to, children, className, label }: { to: string; children: ReactNode; className?: string; label?: string }) {
  return (
    <a href={to} className={className} aria-label={label} onClick={(e) => onLinkClick(e, to)}>
      {children}
    </a>
  );
}

export function TopBar({ title, back, right }: { title: ReactNode; back?: string; right?: ReactNode }) {
  const t = useT();
  return (
    <header className="topbar">
      {back !== undefined ? (
        <button type="button" className="topbar-back" aria-label={t.back} onClick={() => goBack(back)}>
          ‹
        </button>
      ) : (
        <span className="topbar-side" />
      )}
      <h1 className="topbar-title">{title}</h1>
      <span className="topbar-side topbar-right">{right}</span>
    </header>
  );
}

const TABS = [
  { to: '/chats', key: 'chats', icon: '💬', match: ['/chats', '/'] },
  { to: '/discover', key: 'discover', icon: '🧭', match: ['/discover', '/search', '/scan'] },
  { to: '/me', key: 'me', icon: '👤', match: ['/me'] },
] as const;

export function TabBar({ pathname, unread }: { pathname: string; unread: number }) {
  const t = useT();
  return (
    <nav className="tabbar" aria-label={t.appName}>
      {TABS.map((tab) => {
        const active = (tab.match as readonly string[]).includes(pathname);
        return (
          <a
            key={tab.key}
            href={tab.to}
            className={active ? 'tab active' : 'tab'}
            aria-current={active ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate(tab.to);
            }}
          >
            <span className="tab-icon" aria-hidden="true">
              {tab.icon}
              {tab.key === 'chats' && unread > 0 ? <span className="badge tab-badge">{unread > 99 ? '99+' : unread}</span> : null}
            </span>
            <span className="tab-label">{t[tab.key]}</span>
          </a>
        );
      })}
    </nav>
  );
}

/** `12:03` today, `Mon` this week, else `3/14`. */
export function shortTime(iso: string): string {
  const d = new Date(iso);
  const now = new Date();
  if (d.toDateString() === now.toDateString()) return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (now.getTime() - d.getTime() < 6 * 86_400_000) return d.toLocaleDateString([], { weekday: 'short' });
  return d.toLocaleDateString([], { month: 'numeric', day: 'numeric' });
}
