import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../lib/api.ts';
import { setLang, useLang, useT, type Lang } from '../lib/i18n.ts';
import { navigate } from '../lib/router.ts';
import { useSession } from '../lib/session.tsx';
import { Avatar, Link, TopBar } from '../ui.tsx';
import { usePayStrings } from '../pay/strings.ts';

/** Me: profile (nickname, avatar URL), language, sign out. */
export function MePage() {
  const t = useT();
  const lang = useLang();
  const p = usePayStrings();
  const { me, setMe, signOut } = useSession();
  const [nickname, setNickname] = useState(me?.nickname ?? '');
  const [avatarUrl, setAvatarUrl] = useState(me?.avatarUrl ?? '');
  const [status, setStatus] = useState('');
  if (!me) return null;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setStatus('');
    try {
      setMe(await api.updateMe({ nickname, avatarUrl: avatarUrl.trim() === '' ? null : avatarUrl.trim() }));
      setStatus(t.saved);
    } catch (err) {
      setStatus(err instanceof ApiError ? err.message : String(err));
    }
  };

  return (
    <div className="page">
      <TopBar title={t.me} />
      <section className="me-card">
        <Avatar name={me.nickname || me.phone} url={me.avatarUrl} size={64} />
        <div>
          <div className="me-name">{me.nickname || me.phone}</div>
          <div className="muted small">{me.phone}</div>
        </div>
      </section>
      <nav className="list cells" aria-label={p.wallet}>
        <Link to="/wallet" className="list-row">
          <span className="row-title">{p.walletEntry}</span>
          <span className="chevron" aria-hidden="true">›</span>
        </Link>
        <Link to="/pay/code" className="list-row">
          <span className="row-title">{p.payCodeEntry}</span>
          <span className="chevron" aria-hidden="true">›</span>
        </Link>
      </nav>
      <form className="form card" onSubmit={save}>
        <label className="field">
          <span>{t.nickname}</span>
          <input name="nickname" value={nickname} onChange={(e) => setNickname(e.target.value)} />
        </label>
        <label className="field">
          <span>{t.avatarUrl}</span>
          <input name="avatarUrl" type="url" inputMode="url" placeholder="https://…" value={avatarUrl} onChange={(e) => setAvatarUrl(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary">
          {t.save}
        </button>
        {status ? (
          <p className="muted" role="status">
            {status}
          </p>
        ) : null}
      </form>
      <div className="form card">
        <label className="field">
          <span>{t.language}</span>
          <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </select>
        </label>
      </div>
      <div className="form card">
        <button
          type="button"
          className="btn btn-danger"
          onClick={async () => {
            await signOut();
            navigate('/signin', { replace: true });
          }}
        >
          {t.signOut}
        </button>
      </div>
    </div>
  );
}
