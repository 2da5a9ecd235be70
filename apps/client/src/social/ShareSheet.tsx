import { useEffect, useState } from 'react';
import { errorText } from '../lib/api.ts';
import { useT } from '../lib/i18n.ts';
import { Avatar, Link } from '../ui.tsx';
import { socialApi, type Friend } from './api.ts';
import { useSocialStrings } from './strings.ts';

const PICK = { width: '100%', border: 0, background: 'none', textAlign: 'left', cursor: 'pointer', font: 'inherit' } as const;

/** The "Send to" sheet: the consumer's friends; `onPick` is called with the chosen one. */
export function FriendPicker({ onPick, onClose }: { onPick: (f: Friend) => void; onClose: () => void }) {
  const t = useT();
  const s = useSocialStrings();
  const [friends, setFriends] = useState<Friend[] | undefined>();

  useEffect(() => {
    socialApi.friends().then(setFriends, () => setFriends([]));
  }, []);

  return (
    <div className="sheet-backdrop" role="presentation" onClick={onClose}>
      <div className="sheet" role="dialog" aria-modal="true" aria-label={s.pickFriend} onClick={(e) => e.stopPropagation()}>
        <h2 className="sheet-title">{s.pickFriend}</h2>
        {friends && friends.length === 0 ? (
          <p className="muted">
            {s.noFriends} <Link to="/friends">{s.addFriend}</Link>
          </p>
        ) : null}
        <ul className="list" aria-label={s.friends}>
          {friends?.map((f) => (
            <li key={f.id}>
              <button type="button" className="list-row" style={PICK} onClick={() => onPick(f)}>
                <Avatar name={f.nickname} url={f.avatarUrl} size={36} />
                <span className="row-title">{f.nickname}</span>
              </button>
            </li>
          ))}
        </ul>
        <button type="button" className="btn" onClick={onClose}>
          {t.cancel}
        </button>
      </div>
    </div>
  );
}

/** "Share to a friend" on an account's profile: pick a friend, send them the account's card. */
export function ShareAccountButton({ accountId }: { accountId: string }) {
  const s = useSocialStrings();
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState('');

  const share = async (f: Friend) => {
    try {
      await socialApi.send(f.id, { type: 'account_card', accountId });
      setStatus(s.shared(f.nickname));
      setOpen(false);
    } catch (e) {
      setStatus(errorText(e));
    }
  };

  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        {s.shareToFriend}
      </button>
      {status ? (
        <p className="muted small" role="status">
          {status}
        </p>
      ) : null}
      {open ? <FriendPicker onPick={(f) => void share(f)} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
