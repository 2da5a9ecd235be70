import { useEffect, useState, type FormEvent } from 'react';
import { Badge, Button, Card, TextField, type FieldErrors } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { common, useStrings } from '../../lib/i18n.ts';
import { fieldsOf, type BroadcastApi, type Recipient, type SendStatus, type Template } from './api.ts';
import { FollowerPicker } from './FollowerPicker.tsx';
import { strings } from './strings.ts';

const URL_RE = /^https?:\/\/\S+$/;

/** The outcome of a sent template message, read back from the server (TEMPLATESENDJOBFINISH's Status). */
function Outcome({ bapi, msgid }: { bapi: BroadcastApi; msgid: string }) {
  const s = useStrings(strings);
  const [status, setStatus] = useState<SendStatus>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    bapi.sendStatus(msgid).then(
      (r) => live && setStatus(r.status),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [bapi, msgid]);
  if (error) return <p role="alert">{error}</p>;
  if (!status) return <p role="status">{s('checking')}</p>;
  return (
    <p role="status" data-testid="template-outcome">
      {s('outcome')}:{' '}
      <Badge tone={status === 'success' ? 'success' : 'danger'}>{status === 'success' ? s('outcomeSuccess') : status === 'failed:user block' ? s('outcomeBlocked') : s('outcomeFailed')}</Badge>
    </p>
  );
}

/** Sends one template message: a follower, a value for each {{name.DATA}} field, an optional link. */
export function SendTemplate({ bapi, template, onClose }: { bapi: BroadcastApi; template: Template; onClose: () => void }) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const names = fieldsOf(template.content);
  const [to, setTo] = useState<Recipient>();
  const [values, setValues] = useState<Record<string, string>>({});
  const [url, setUrl] = useState('');
  const [errors, setErrors] = useState<FieldErrors<string>>({});
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string>();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: FieldErrors<string> = {};
    if (!to) errs.to = s('pickFirst');
    for (const n of names) if (!(values[n] ?? '').trim()) errs[n] = s('fieldEmpty', { name: n });
    if (url.trim() && !URL_RE.test(url.trim())) errs.url = s('badUrl');
    setErrors(errs);
    if (Object.keys(errs).length > 0 || !to) return;
    setBusy(true);
    setSent(undefined);
    try {
      const data = Object.fromEntries(names.map((n) => [n, (values[n] ?? '').trim()]));
      const r = await bapi.sendTemplate(template.templateId, { openid: to.openid, data, ...(url.trim() ? { url: url.trim() } : {}) });
      setSent(r.msgid);
    } catch (err) {
      setErrors({ form: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title={s('sendTitle', { title: template.title })} actions={<Button variant="ghost" onClick={onClose}>{s('close')}</Button>}>
      <form onSubmit={(e) => void submit(e)} noValidate className="form-grid">
        <pre className="muted" style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{template.content}</pre>
        <FollowerPicker bapi={bapi} value={to} onChange={setTo} error={errors.to} />
        {names.map((n) => (
          <TextField key={n} label={n} value={values[n] ?? ''} onChange={(v) => setValues((o) => ({ ...o, [n]: v }))} error={errors[n]} hint={s('fieldHint', { name: n })} required maxLength={200} />
        ))}
        <TextField label={s('link')} value={url} onChange={setUrl} error={errors.url} hint={s('linkHint')} type="url" inputMode="url" />
        {errors.form ? <p role="alert" className="field-error">{errors.form}</p> : null}
        <div className="actions">
          <Button type="submit" variant="primary" busy={busy}>
            {s('sendNow')}
          </Button>
          <Button variant="ghost" onClick={onClose}>{t('cancel')}</Button>
        </div>
        {sent ? (
          <div>
            <p data-testid="template-msgid">{s('msgid', { msgid: sent })}</p>
            <Outcome key={sent} bapi={bapi} msgid={sent} />
          </div>
        ) : null}
      </form>
    </Card>
  );
}
