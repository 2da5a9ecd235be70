import { useState, type FormEvent } from 'react';
import { auth, ApiError, errorText } from '../lib/api.ts';
import { common, defineStrings, setLang, useLang, useStrings, type Lang } from '../lib/i18n.ts';
import { Button, TextField, type FieldErrors } from '../kit/index.ts';

const strings = defineStrings({
  en: { intro: 'Run your official accounts, followers and Lianjie Pay.', badEmail: 'Enter an email address', shortPassword: 'At least 8 characters', needed: 'Required' },
  zh: { intro: '管理公众号、粉丝与连接支付。', badEmail: '请输入邮箱地址', shortPassword: '至少 8 个字符', needed: '必填' },
});

type Field = 'orgName' | 'name' | 'email' | 'password';

/** Sign in, or create an organisation with its owner; both set the `lj_m` session cookie. */
export function SignIn({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const lang = useLang();
  const [mode, setMode] = useState<'signin' | 'signup'>('signin');
  const [v, setV] = useState<Record<Field, string>>({ orgName: '', name: '', email: '', password: '' });
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (k: Field) => (value: string) => setV((old) => ({ ...old, [k]: value }));

  function validate(): FieldErrors<Field> {
    const e: FieldErrors<Field> = {};
    if (!/^\S+@\S+\.\S+$/.test(v.email.trim())) e.email = s('badEmail');
    if (v.password.length < 8) e.password = s('shortPassword');
    if (mode === 'signup' && !v.orgName.trim()) e.orgName = s('needed');
    return e;
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const e = validate();
    setErrors(e);
    setError(undefined);
    if (Object.keys(e).length > 0) return;
    setBusy(true);
    try {
      if (mode === 'signin') await auth.signIn({ email: v.email.trim(), password: v.password });
      else await auth.signUp({ orgName: v.orgName.trim(), name: v.name.trim(), email: v.email.trim(), password: v.password });
      await onSignedIn();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 400 ? err.message : errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={(e) => void submit(e)} noValidate>
        <h1>{mode === 'signin' ? t('signIn') : t('signUp')}</h1>
        <p className="muted">{s('intro')}</p>
        {mode === 'signup' ? (
          <>
            <TextField label={t('orgName')} value={v.orgName} onChange={set('orgName')} error={errors.orgName} required autoComplete="organization" />
            <TextField label={t('name')} value={v.name} onChange={set('name')} autoComplete="name" />
          </>
        ) : null}
        <TextField label={t('email')} type="email" value={v.email} onChange={set('email')} error={errors.email} required autoComplete="email" />
        <TextField label={t('password')} type="password" value={v.password} onChange={set('password')} error={errors.password} required autoComplete={mode === 'signin' ? 'current-password' : 'new-password'} />
        {error ? <p className="field-error" role="alert">{error}</p> : null}
        <Button type="submit" variant="primary" busy={busy}>
          {mode === 'signin' ? t('signIn') : t('signUp')}
        </Button>
        <button type="button" className="link" onClick={() => (setMode(mode === 'signin' ? 'signup' : 'signin'), setErrors({}), setError(undefined))}>
          {mode === 'signin' ? t('noAccount') : t('haveAccount')}
        </button>
        <select aria-label={t('language')} value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
          <option value="zh-CN">中文</option>
          <option value="en">English</option>
        </select>
      </form>
    </main>
  );
}
