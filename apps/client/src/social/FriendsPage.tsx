import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../lib/api.ts';
import { useT } from '../lib/i18n.ts';
import { Avatar, Link, TopBar } from '../ui.tsx';
import { socialApi, type Friend } from './api.ts';
import { useSocialStrings } from './strings.ts';

/** Friends: add one by phone number, list them, open a 1:1 chat. */
export function FriendsPage() {
  const t = useT();
  const s = useSocialStrings();
  const [friends, setFriends] = useState<Friend[] | undefined>();
  const [phone, setPhone] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    socialApi.friends().then(setFriends, () => setFriends([]));
  }, []);
  useEffect(load, [load]);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await socialApi.addFriend(phone.trim());
      setPhone('');
      load();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 404 ? s.notFound : err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <TopBar title={s.friends} back="/chats" />
      <form className="form card" onSubmit={add} aria-label={s.addFriend}>
        <label className="field">
          {s.friendPhone}
          <input type="tel" inputMode="tel" autoComplete="off" value={phone} onChange={(e) => setPhone(e.target.value)} required />
        </label>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy || !phone.trim()}>
          {s.add}
        </button>
      </form>
      {friends && friends.length === 0 ? <p className="empty">{s.noFriends}</p> : null}
      <ul className="list" aria-label={s.friends}>
        {friends?.map((f) => (
          <li key={f.id}>
            <Link to={`/dm/${f.id}`} className="list-row" label={`${t.message} ${f.nickname}`}>
              <Avatar name={f.nickname} url={f.avatarUrl} />
              <span className="row-main">
                <span className="row-title">{f.nickname}</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
