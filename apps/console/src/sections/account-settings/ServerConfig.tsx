import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, SelectField, TextField, useToast, type FieldErrors } from '../../kit/index.ts';
import { api, enc, errorText, type Account } from '../../lib/api.ts';
import { common, useStrings } from '../../lib/i18n.ts';
import { strings } from './strings.ts';

type Mode = Account['msgMode'];
type F = 'url' | 'token' | 'aesKey';

const randomKey = (n: number) => {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => abc[b % abc.length]).join('');
};

/** Callback URL, Token, EncodingAESKey and mode; saving runs the live echostr check on the server. */
export function ServerConfig({ account, onSaved }: { account: Account; onSaved: (a: Account) => void }) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const toast = useToast();
  const [url, setUrl] = useState(account.callbackUrl ?? '');
  const [token, setToken] = useState(account.token);
  const [aesKey, setAesKey] = useState(account.encodingAESKey);
  const [mode, setMode] = useState<Mode>(account.msgMode);
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [verified, setVerified] = useState(false);
  const [busy, setBusy] = useState(false);

  function validate(): FieldErrors<F> {
    const e: FieldErrors<F> = {};
    if (url.trim() && !/^https?:\/\/\S+$/.test(url.trim())) e.url = s('urlRule');
    if (!/^[A-Za-z0-9]{3,32}$/.test(token)) e.token = s('tokenRule');
    if (!/^[A-Za-z0-9]{43}$/.test(aesKey)) e.aesKey = s('aesRule');
    return e;
  }

  async function save(ev: FormEvent) {
    ev.preventDefault();
    const e = validate();
    setErrors(e);
    setVerified(false);
    if (Object.keys(e).length > 0) return;
    setBusy(true);
    try {
      const a = await api.put<Account>(`/api/v1/merchant/accounts/${enc(account.id)}/callback`, { url: url.trim() || null, token, encodingAESKey: aesKey, mode });
      setVerified(Boolean(a.callbackUrl));
      toast(s('verified'));
      onSaved(a);
    } catch (err) {
      const text = errorText(err);
      // The server names the field in its message (Token / EncodingAESKey); anything else is the URL check.
      if (/token/i.test(text) && !/verification/i.test(text)) setErrors({ token: text });
      else if (/EncodingAESKey/.test(text) && !/verification/i.test(text)) setErrors({ aesKey: text });
      else setErrors({ url: text });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={s('server')} actions={account.callbackUrl ? <Badge tone="success">{account.callbackUrl}</Badge> : null}>
      <form onSubmit={(e) => void save(e)} noValidate className="form-grid">
        <TextField label={s('url')} type="url" value={url} onChange={setUrl} error={errors.url} hint={s('urlHint')} placeholder="https://example.com/wechat" />
        <TextField label={s('token')} value={token} onChange={setToken} error={errors.token} hint={s('tokenRule')} required />
        <div className="field-row">
          <TextField label={s('aesKey')} value={aesKey} onChange={setAesKey} error={errors.aesKey} hint={s('aesRule')} required />
          <Button onClick={() => setAesKey(randomKey(43))}>{s('generate')}</Button>
        </div>
        <SelectField label={s('mode')} value={mode} onChange={setMode} options={[{ value: 'plain', label: s('plain') }, { value: 'compatible', label: s('compatible') }, { value: 'safe', label: s('safe') }]} />
        <div className="actions">
          <Button type="submit" variant="primary" busy={busy}>
            {t('save')}
          </Button>
          {verified ? <Badge tone="success">{s('verified')}</Badge> : null}
        </div>
      </form>
    </Card>
  );
}
