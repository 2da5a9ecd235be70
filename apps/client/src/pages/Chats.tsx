import type { MessageContent } from '../lib/api.ts';
import { useT, type Strings } from '../lib/i18n.ts';
import { useConnected } from '../lib/realtime.ts';
import { threadStore, useThreads } from '../lib/threads.ts';
import { ChatRow, Link, TopBar, shortTime } from '../ui.tsx';
import { useEffect, useRef } from 'react';
import { DmSection } from '../social/DmSection.tsx';
import { dmStore } from '../social/store.ts';

/** One line of preview for the chats list. */
export function preview(c: MessageContent, t: Strings): string {
  switch (c.type) {
    case 'text':
    case 'system':
      return c.content;
    case 'image':
      return t.image;
    case 'voice':
      return t.voice;
    case 'video':
      return t.video;
    case 'music':
      return t.music;
    case 'location':
      return `${t.locationPreview} ${c.label}`.trim();
    case 'link':
      return `${t.link} ${c.title}`;
    case 'news':
      return `${t.article} ${c.articles[0]?.title ?? ''}`;
    case 'template':
      return `${t.notification} ${c.title}`;
    default:
      return '';
  }
}

export function ChatsPage() {
  const t = useT();
  const { threads, failed } = useThreads();
  const connected = useConnected();
  const wasConnected = useRef(connected);
  useEffect(() => {
    // After a reconnect, fetch what the socket may have missed.
    if (connected && !wasConnected.current) void threadStore.refresh();
    if (connected && !wasConnected.current) void dmStore.refresh();
    wasConnected.current = connected;
  }, [connected]);

  return (
    <div className="page">
      <TopBar
        title={
          <>
            {t.chats}
            {connected ? null : <span className="muted small"> {t.offline}</span>}
          </>
        }
        right={
          <Link to="/search" className="icon-btn" label={t.searchAccounts}>
            ＋
          </Link>
        }
      />
      {failed && !threads ? (
        <p className="empty">
          {t.loadFailed}{' '}
          <button type="button" className="btn-link" onClick={() => void threadStore.refresh()}>
            {t.retry}
          </button>
        </p>
      ) : null}
      {threads && threads.length === 0 ? (
        <div className="empty">
          <p>{t.noChats}</p>
          <Link to="/scan" className="btn btn-primary">
            {t.scan}
          </Link>
        </div>
      ) : null}
      <DmSection />
      <ul className="list" aria-label={t.chats}>
        {threads?.map((th) => (
          <li key={th.account.id}>
            <ChatRow
              to={`/chat/${th.account.id}`}
              name={th.account.name}
              avatarUrl={th.account.avatarUrl}
              unread={th.blocked ? 0 : th.unread}
              label={`${th.account.name}${th.unread ? `, ${t.unread(th.unread)}` : ''}`}
              time={th.lastMessage ? shortTime(th.lastMessage.createdAt) : ''}
              preview={th.lastMessage ? preview(th.lastMessage.content, t) : ''}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}
