import { useState, type FormEvent } from 'react';
import { ApiError, errorText } from '../lib/api.ts';
import { common, setLang, useLang, useStrings, type Lang } from '../lib/i18n.ts';
import { Button, TextField, type FieldErrors } from '../kit/index.ts';
import { operatorApi } from './api.ts';
import { ops } from './strings.ts';

type Field = 'email' | 'password';

/** The operator sign-in (sets the `lj_o` session cookie); no sign-up: operators come from OPERATOR_EMAIL/PASSWORD. */
export function OperatorSignIn({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const t = useStrings(common);
  const s = useStrings(ops);
  const lang = useLang();
  const [v, setV] = useState<Record<Field, string>>({ email: '', password: '' });
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const e: FieldErrors<Field> = {};
    if (!/^\S+@\S+\.\S+$/.test(v.email.trim())) e.email = s('badEmail');
    if (!v.password) e.password = s('needed');
    setErrors(e);
    setError(undefined);
    if (Object.keys(e).length > 0) return;
    setBusy(true);
    try {
      await operatorApi.signIn({ email: v.email.trim(), password: v.password });
      await onSignedIn();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? s('wrongCredentials') : errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={(e) => void submit(e)} noValidate>
        <h1>{s('signInTitle')}</h1>
        <p className="muted">{s('signInIntro')}</p>
        <TextField label={t('email')} type="email" value={v.email} onChange={(x) => setV((o) => ({ ...o, email: x }))} error={errors.email} required autoComplete="username" />
        <TextField label={t('password')} type="password" value={v.password} onChange={(x) => setV((o) => ({ ...o, password: x }))} error={errors.password} required autoComplete="current-password" />
        {error ? <p className="field-error" role="alert">{error}</p> : null}
        <Button type="submit" variant="primary" busy={busy}>
          {t('signIn')}
        </Button>
        <a className="link" href="/console/">{s('merchantConsole')}</a>
        <select aria-label={t('language')} value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
          <option value="zh-CN">中文</option>
          <option value="en">English</option>
        </select>
      </form>
    </main>
  );
}
