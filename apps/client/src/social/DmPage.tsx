import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { errorText, mergeById, webviewPath } from '../lib/api.ts';
import { useT } from '../lib/i18n.ts';
import { useConnected } from '../lib/realtime.ts';
import { navigate } from '../lib/router.ts';
import { useSession } from '../lib/session.tsx';
import { Avatar, TopBar } from '../ui.tsx';
import { socialApi, type DmMessage, type Friend } from './api.ts';
import { dmStore, useDmMessages } from './store.ts';
import { useSocialStrings } from './strings.ts';

const merge = mergeById<DmMessage>;

function Body({ m, mine, onError }: { m: DmMessage; mine: boolean; onError: (e: unknown) => void }) {
  const s = useSocialStrings();
  const c = m.content;
  if (c.type === 'text') return <div className="bubble">{c.content}</div>;
  if (c.type === 'account_card') {
    const open = async () => {
      try {
        // Opening a card shared with me records who referred me; following from it is then attributed.
        if (!mine) await socialApi.openShare(m.id);
        navigate(`/account/${encodeURIComponent(c.accountId)}${mine ? '' : `?via=${m.id}`}`);
      } catch (e) {
        onError(e);
      }
    };
    return (
      <button type="button" className="card-msg card-button account-card" aria-label={`${s.accountCard} ${c.name}`} onClick={() => void open()}>
        <span style={{ display: 'flex', alignItems: 'center', gap: 10 }}>
          <Avatar name={c.name} url={c.avatarUrl} size={40} />
          <span className="card-title">{c.name}</span>
        </span>
        {c.description ? <span className="card-desc">{c.description}</span> : null}
        <span className="card-foot">{s.accountCard}</span>
      </button>
    );
  }
  return (
    <button type="button" className="card-msg card-button" aria-label={c.title} onClick={() => navigate(webviewPath(c.url, c.accountId ?? undefined))}>
      <span className="card-title">{c.title}</span>
      {c.description ? <span className="card-desc">{c.description}</span> : null}
      {c.imgUrl ? <img src={c.imgUrl} alt="" style={{ maxWidth: '100%', borderRadius: 4 }} loading="lazy" /> : null}
      <span className="card-foot">{s.pageCard}</span>
    </button>
  );
}

/** A 1:1 chat with a friend: text, and the account and page cards shared in it. */
export function DmPage({ friendId }: { friendId: string }) {
  const t = useT();
  const s = useSocialStrings();
  const { me } = useSession();
  const [friend, setFriend] = useState<Friend | undefined>();
  const [messages, setMessages] = useState<DmMessage[]>([]);
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const listRef = useRef<HTMLOListElement>(null);
  const connected = useConnected();
  const fail = (e: unknown) => setError(errorText(e));

  const load = useCallback(() => {
    socialApi.messages(friendId).then((ms) => setMessages((cur) => merge(cur, ms)), fail);
  }, [friendId]);

  useEffect(() => {
    socialApi.friends().then((fs) => setFriend(fs.find((f) => f.id === friendId)), fail);
    dmStore.setOpen(friendId);
    return () => dmStore.setOpen(undefined);
  }, [friendId]);
  useEffect(() => {
    if (connected) load();
  }, [connected, load]);

  useDmMessages(
    useCallback(
      (m: DmMessage) => {
        if (m.senderId === friendId || m.recipientId === friendId) setMessages((cur) => merge(cur, [m]));
      },
      [friendId],
    ),
  );

  const lastId = messages.at(-1)?.id;
  useEffect(() => {
    if (lastId) socialApi.markRead(friendId, lastId).then(() => dmStore.clearUnread(friendId), () => undefined);
  }, [friendId, lastId]);
  useLayoutEffect(() => {
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length]);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const content = text.trim();
    if (!content) return;
    setText('');
    setError('');
    try {
      const m = await socialApi.send(friendId, { type: 'text', content });
      setMessages((cur) => merge(cur, [m]));
    } catch (err) {
      fail(err);
    }
  };

  const name = friend?.nickname ?? '';
  return (
    <div className="page chat">
      <TopBar title={name} back="/chats" />
      <ol className="messages" ref={listRef} aria-label={name} aria-live="polite">
        {messages.length === 0 ? <li className="notice">{s.noMessages}</li> : null}
        {messages.map((m) => {
          const mine = m.senderId === me?.id;
          return (
            <li key={m.id} className={mine ? 'msg mine' : 'msg theirs'} data-type={m.content.type}>
              {mine ? null : <Avatar name={name} url={friend?.avatarUrl ?? null} size={38} />}
              <div className="msg-body">
                <Body m={m} mine={mine} onError={fail} />
              </div>
            </li>
          );
        })}
      </ol>
      {error ? (
        <p className="error chat-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="composer-wrap">
        <form className="composer" onSubmit={(e) => void send(e)}>
          <label className="visually-hidden" htmlFor="dm-text">
            {t.typeMessage}
          </label>
          <input id="dm-text" className="composer-input" value={text} onChange={(e) => setText(e.target.value)} maxLength={2048} autoComplete="off" />
          <button type="submit" className="btn btn-primary btn-small" disabled={!text.trim()}>
            {t.send}
          </button>
        </form>
      </div>
    </div>
  );
}
