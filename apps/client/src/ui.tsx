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

/** Line icons drawn as SVG (emoji glyphs are missing on machines without an emoji font). */
const ICON_PATHS = {
  chat: 'M4 5h16v11H9l-5 4z',
  compass: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M15.5 8.5l-2 5-5 2 2-5z',
  user: 'M12 4a4 4 0 1 0 0 8a4 4 0 1 0 0-8M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15.5 8.5h.01',
  pin: 'M12 21s-7-6.2-7-11a7 7 0 0 1 14 0c0 4.8-7 11-7 11zM12 7.5a2.5 2.5 0 1 0 0 5a2.5 2.5 0 1 0 0-5',
  scan: 'M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5M4 12h16',
  search: 'M10.5 4a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13M15.5 15.5 20 20',
  friends: 'M9 4a3.5 3.5 0 1 0 0 7a3.5 3.5 0 1 0 0-7M2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6M16 4.5a3 3 0 0 1 0 6M18 14c2.2.5 3.5 2.6 3.5 5.5',
} as const;

export function Icon({ name, size = 24 }: { name: keyof typeof ICON_PATHS; size?: number }) {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d={ICON_PATHS[name]} />
    </svg>
  );
}

const TABS = [
  { to: '/chats', key: 'chats', icon: 'chat', match: ['/chats', '/'] },
  { to: '/discover', key: 'discover', icon: 'compass', match: ['/discover', '/search', '/scan'] },
  { to: '/me', key: 'me', icon: 'user', match: ['/me'] },
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
              <Icon name={tab.icon} />
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

/** One row of the chats list: an account's thread or a friend's. */
export function ChatRow({ to, name, avatarUrl, unread, label, time, preview }: { to: string; name: string; avatarUrl: string | null; unread: number; label: string; time: string; preview: string }) {
  return (
    <Link to={to} className="list-row chat-row" label={label}>
      <span className="avatar-wrap">
        <Avatar name={name} url={avatarUrl} />
        {unread > 0 ? <span className="badge">{unread > 99 ? '99+' : unread}</span> : null}
      </span>
      <span className="row-main">
        <span className="row-top">
          <span className="row-title">{name}</span>
          <span className="row-time">{time}</span>
        </span>
        <span className="row-sub">{preview}</span>
      </span>
    </Link>
  );
}
