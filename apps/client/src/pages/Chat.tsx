import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { api, errorText, mergeById, webviewPath, type AccountView, type LocationInput, type Menu, type MenuLeaf, type Message } from '../lib/api.ts';
import { useT } from '../lib/i18n.ts';
import { useConnected, useMessages } from '../lib/realtime.ts';
import { navigate } from '../lib/router.ts';
import { threadStore } from '../lib/threads.ts';
import { Link, TopBar } from '../ui.tsx';
import { Composer } from '../chat/Composer.tsx';
import { LocationDialog } from '../chat/LocationDialog.tsx';
import { MenuBar } from '../chat/MenuBar.tsx';
import { MessageItem } from '../chat/MessageItem.tsx';

const merge = mergeById<Message>;

/** A chat with an account: messages, composer, the account's menu; read while open. */
export function ChatPage({ accountId }: { accountId: string }) {
  const t = useT();
  const [account, setAccount] = useState<AccountView | undefined>();
  const [messages, setMessages] = useState<Message[]>([]);
  const [menu, setMenu] = useState<Menu | undefined>();
  const [mode, setMode] = useState<'menu' | 'keyboard'>('menu');
  const [locating, setLocating] = useState<((l: LocationInput | undefined) => void) | undefined>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);
  // pic_* menu buttons: the hidden image inputs (camera / album) and the button's path while picking.
  const cameraRef = useRef<HTMLInputElement>(null);
  const albumRef = useRef<HTMLInputElement>(null);
  const picPath = useRef<number[] | undefined>(undefined);
  const connected = useConnected();

  const fail = (e: unknown) => setError(errorText(e));

  const loadMessages = useCallback(() => {
    api.messages(accountId).then((ms) => setMessages((cur) => merge(cur, ms)), fail);
  }, [accountId]);

  useEffect(() => {
    api.account(accountId).then(setAccount, fail);
    api.menu(accountId).then(setMenu, () => setMenu({ menuid: null, button: [] }));
    threadStore.setOpen(accountId);
    return () => threadStore.setOpen(undefined);
  }, [accountId]);

  // Load on open and again after every reconnect (the socket may have missed messages).
  useEffect(() => {
    if (connected) loadMessages();
  }, [connected, loadMessages]);
  useEffect(loadMessages, [loadMessages]);

  useMessages(
    useCallback(
      (m: Message) => {
        if (m.accountId === accountId) setMessages((cur) => merge(cur, [m]));
      },
      [accountId],
    ),
  );

  // Mark read up to the newest message while the thread is open.
  const lastId = messages.at(-1)?.id;
  useEffect(() => {
    if (!lastId) return;
    api.markRead(accountId, lastId).then(() => threadStore.clearUnread(accountId), () => undefined);
  }, [accountId, lastId]);

  useLayoutEffect(() => {
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length]);

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError('');
    try {
      await fn();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const sendAndShow = async (fn: () => Promise<{ message?: Message }>) => {
    const res = await fn();
    if (res.message) {
      const m = res.message;
      setMessages((cur) => merge(cur, [m]));
    }
  };

  /** Opens the location dialog; undefined when the user cancels. */
  const askLocation = () =>
    new Promise<LocationInput | undefined>((resolve) =>
      setLocating(() => (l: LocationInput | undefined) => {
        setLocating(undefined);
        resolve(l);
      }),
    );

  const onTap = (leaf: MenuLeaf, path: number[]) => {
    if (leaf.type === 'scancode_push' || leaf.type === 'scancode_waitmsg') {
      navigate(`/scan?account=${encodeURIComponent(accountId)}&path=${path.join(',')}`);
      return;
    }
    if (leaf.type === 'pic_sysphoto' || leaf.type === 'pic_photo_or_album' || leaf.type === 'pic_weixin') {
      picPath.current = path;
      (leaf.type === 'pic_sysphoto' ? cameraRef : albumRef).current?.click();
      return;
    }
    void run(async () => {
      const location = leaf.type === 'location_select' ? await askLocation() : undefined;
      if (leaf.type === 'location_select' && !location) return;
      const res = await api.tap(accountId, { path, ...(location ? { location } : {}) });
      const url = res.url ?? leaf.url;
      if (res.action === 'open_url' && url) navigate(webviewPath(url, accountId));
    });
  };

  /** The picture a pic_* button asked for: upload it, send it to the thread, then push the button's event. */
  const onPicked = (input: HTMLInputElement) => {
    const file = input.files?.[0];
    const path = picPath.current;
    input.value = '';
    picPath.current = undefined;
    if (!file || !path) return;
    void run(async () => {
      const up = await api.upload(file);
      await sendAndShow(() => api.send(accountId, { type: 'image', url: up.url, mediaId: up.mediaId }));
      await api.tap(accountId, { path });
    });
  };

  const hasMenu = (menu?.button.length ?? 0) > 0;
  const showMenu = hasMenu && mode === 'menu';
  const name = account?.name ?? '';

  return (
    <div className="page chat">
      <TopBar
        title={name}
        back="/chats"
        right={
          <Link to={`/account/${accountId}`} className="icon-btn" label={t.profile}>
            ⋯
          </Link>
        }
      />
      {account?.blocked ? <p className="notice">{t.blockedNotice}</p> : null}
      <ol className="messages" ref={listRef} aria-label={name} aria-live="polite">
        {messages.map((m) => (
          <MessageItem key={m.id} m={m} account={{ name, avatarUrl: account?.avatarUrl ?? null }} />
        ))}
      </ol>
      {error ? (
        <p className="error chat-error" role="alert">
          {error}
        </p>
      ) : null}
      {showMenu && menu ? (
        <MenuBar menu={menu} onTap={onTap} onKeyboard={() => setMode('keyboard')} />
      ) : (
        <Composer
          disabled={busy}
          onMenu={hasMenu ? () => setMode('menu') : undefined}
          onText={(content) => run(() => sendAndShow(() => api.send(accountId, { type: 'text', content })))}
          onImage={(file) =>
            void run(async () => {
              const up = await api.upload(file);
              await sendAndShow(() => api.send(accountId, { type: 'image', url: up.url, mediaId: up.mediaId }));
            })
          }
          onLocation={() =>
            void run(async () => {
              const loc = await askLocation();
              if (!loc) return;
              await sendAndShow(() => api.send(accountId, { type: 'location', ...loc }));
            })
          }
        />
      )}
      <input ref={cameraRef} className="visually-hidden" type="file" accept="image/*" capture="environment" tabIndex={-1} aria-hidden="true" onChange={(e) => onPicked(e.currentTarget)} />
      <input ref={albumRef} className="visually-hidden" type="file" accept="image/*" tabIndex={-1} aria-hidden="true" onChange={(e) => onPicked(e.currentTarget)} />
      {locating ? <LocationDialog onPick={locating} onCancel={() => locating(undefined)} /> : null}
    </div>
  );
}
