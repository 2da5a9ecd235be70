import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../lib/api.ts';
import { navigate } from '../lib/router.ts';
import { useSession } from '../lib/session.tsx';
import { useT } from '../lib/i18n.ts';
import { resolveNext } from '../oauth/next.ts';

/**
 * Sign in or sign up with a phone number and a password, then go to `next` (see oauth/next.ts: a client
 * route in place, a platform path such as /connect/oauth2/authorize by a full navigation).
 */
export function SignInPage({ next, mode: initialMode, isClientRoute }: { next: string | null; mode: 'signin' | 'signup'; isClientRoute: (pathname: string) => boolean }) {
  const t = useT();
  const { setMe } = useSession();
  const [mode, setMode] = useState(initialMode);
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [nickname, setNickname] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const res = mode === 'signup' ? await api.signUp({ phone, password, ...(nickname ? { nickname } : {}) }) : await api.signIn({ phone, password });
      setMe(res.consumer);
      const target = resolveNext(next, isClientRoute, window.location.origin);
      if (target.kind === 'full') window.location.assign(target.path);
      else navigate(target.path, { replace: true });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page signin">
      <div className="signin-logo" aria-hidden="true">
        连
      </div>
      <h1 className="signin-title">{mode === 'signup' ? t.signUp : t.signIn}</h1>
      <form onSubmit={submit} className="form">
        <label className="field">
          <span>{t.phone}</span>
          <input name="phone" type="tel" autoComplete="tel" inputMode="tel" required value={phone} onChange={(e) => setPhone(e.target.value)} />
        </label>
        <label className="field">
          <span>{t.password}</span>
          <input name="password" type="password" autoComplete={mode === 'signup' ? 'new-password' : 'current-password'} required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {mode === 'signup' ? (
          <label className="field">
            <span>{t.nickname}</span>
            <input name="nickname" autoComplete="nickname" value={nickname} onChange={(e) => setNickname(e.target.value)} />
          </label>
        ) : null}
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {mode === 'signup' ? t.signUp : t.signIn}
        </button>
      </form>
      <button type="button" className="btn-link" onClick={() => setMode(mode === 'signup' ? 'signin' : 'signup')}>
        {mode === 'signup' ? t.haveAccount : t.noAccount}
      </button>
    </div>
  );
}
