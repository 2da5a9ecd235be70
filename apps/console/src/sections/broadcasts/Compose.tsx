import { useState, type FormEvent } from 'react';
import { Button, Card, ConfirmDialog, SelectField, TextareaField, TextField, useToast, type FieldErrors } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { useStrings } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import type { Audience, Audiences, BroadcastApi, Message, Quota, Recipient, Report } from './api.ts';
import { FollowerPicker } from './FollowerPicker.tsx';
import { ImagePicker } from './ImagePicker.tsx';
import { strings } from './strings.ts';

type Kind = 'text' | 'image' | 'news';
type F = 'text' | 'image' | 'title' | 'url' | 'picUrl' | 'audience' | 'preview' | 'form';
const URL_RE = /^https?:\/\/\S+$/;

function QuotaLine({ q }: { q: Quota }) {
  const s = useStrings(strings);
  const text =
    q.accountType === 'subscription'
      ? s('quotaSubscription', { left: q.leftToday, perDay: q.perDay })
      : s('quotaService', { left: q.leftToday, perDay: q.perDay, perMonth: q.perFollowerMonth ?? 0, full: q.followersAtMonthlyLimit, followers: q.followers });
  return (
    <p data-testid="quota" className={q.leftToday === 0 ? 'field-error' : 'muted'}>
      <strong>{s('quota')}:</strong> {q.leftToday === 0 ? s('noQuota') : text}
    </p>
  );
}

const audienceOf = (v: string): Audience => (v === 'all' ? { kind: 'all' } : { kind: 'tag', tagId: Number(v.slice(4)) });
const sizeOf = (a: Audiences | undefined, v: string) => (v === 'all' ? (a?.all ?? 0) : (a?.tags.find((t) => `tag:${t.id}` === v)?.count ?? 0));

/** Compose a broadcast (text, image or article), preview it to one follower, then send it to all or a tag. */
export function Compose({ bapi, onSent }: { bapi: BroadcastApi; onSent: (r: Report) => void }) {
  const s = useStrings(strings);
  const toast = useToast();
  const audiences = useAsync(() => bapi.audiences(), [bapi]);
  const quota = useAsync(() => bapi.quota(), [bapi]);
  const [kind, setKind] = useState<Kind>('text');
  const [text, setText] = useState('');
  const [image, setImage] = useState<{ mediaId: string; name: string }>();
  const [news, setNews] = useState({ title: '', description: '', url: '', picUrl: '' });
  const [audience, setAudience] = useState('all');
  const [previewTo, setPreviewTo] = useState<Recipient>();
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [busy, setBusy] = useState<'preview' | undefined>();
  const [confirming, setConfirming] = useState(false);
  const setN = (k: keyof typeof news) => (v: string) => setNews((o) => ({ ...o, [k]: v }));

  /** The message, or undefined with the form's messages set. */
  function message(): Message | undefined {
    const errs: FieldErrors<F> = {};
    let m: Message | undefined;
    if (kind === 'text') {
      if (!text.trim()) errs.text = s('textEmpty');
      else if ([...text].length > 2048) errs.text = s('tooLong');
      else m = { type: 'text', content: text };
    } else if (kind === 'image') {
      if (!image) errs.image = s('imageMissing');
      else m = { type: 'image', mediaId: image.mediaId };
    } else {
      if (!news.title.trim()) errs.title = s('titleEmpty');
      if (news.url.trim() && !URL_RE.test(news.url.trim())) errs.url = s('badUrl');
      if (news.picUrl.trim() && !URL_RE.test(news.picUrl.trim())) errs.picUrl = s('badUrl');
      if (Object.keys(errs).length === 0) {
        m = { type: 'news', title: news.title.trim(), ...(news.description.trim() ? { description: news.description.trim() } : {}), ...(news.url.trim() ? { url: news.url.trim() } : {}), ...(news.picUrl.trim() ? { picUrl: news.picUrl.trim() } : {}) };
      }
    }
    setErrors(errs);
    return m;
  }

  async function preview() {
    const m = message();
    if (!m) return;
    if (!previewTo) return setErrors({ preview: s('pickFirst') });
    setBusy('preview');
    try {
      await bapi.preview(previewTo.openid, m);
      toast(s('previewSent', { name: previewTo.nickname }));
    } catch (err) {
      setErrors({ preview: errorText(err) });
    } finally {
      setBusy(undefined);
    }
  }

  function askToSend(e: FormEvent) {
    e.preventDefault();
    if (!message()) return;
    if (quota.data && quota.data.leftToday === 0) return setErrors({ form: s('noQuota') });
    if (sizeOf(audiences.data, audience) === 0) return setErrors({ audience: s('emptyAudience') });
    setConfirming(true);
  }

  const options = [
    { value: 'all', label: s('audienceAll', { n: audiences.data?.all ?? 0 }) },
    ...(audiences.data?.tags ?? []).map((t) => ({ value: `tag:${t.id}`, label: s('audienceTag', { name: t.name, n: t.count }) })),
  ];
  const kinds: [Kind, string][] = [
    ['text', s('kindText')],
    ['image', s('kindImage')],
    ['news', s('kindNews')],
  ];
  return (
    <Card title={s('compose')}>
      {quota.data ? <QuotaLine q={quota.data} /> : null}
      <form onSubmit={askToSend} noValidate className="form-grid">
        <fieldset style={{ border: 0, padding: 0, margin: 0, display: 'flex', gap: 16, flexWrap: 'wrap' }}>
          <legend>{s('kind')}</legend>
          {kinds.map(([k, label]) => (
            <label key={k} style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
              <input type="radio" name="broadcast-kind" value={k} checked={kind === k} onChange={() => (setKind(k), setErrors({}))} />
              {label}
            </label>
          ))}
        </fieldset>
        {kind === 'text' ? <TextareaField label={s('text')} value={text} onChange={setText} error={errors.text} hint={s('textHint')} rows={4} required /> : null}
        {kind === 'image' ? <ImagePicker bapi={bapi} value={image} onChange={setImage} error={errors.image} /> : null}
        {kind === 'news' ? (
          <>
            <TextField label={s('newsTitle')} value={news.title} onChange={setN('title')} error={errors.title} required maxLength={64} />
            <TextareaField label={s('newsDescription')} value={news.description} onChange={setN('description')} rows={2} maxLength={120} />
            <TextField label={s('newsUrl')} value={news.url} onChange={setN('url')} error={errors.url} type="url" inputMode="url" />
            <TextField label={s('newsPic')} value={news.picUrl} onChange={setN('picUrl')} error={errors.picUrl} type="url" inputMode="url" />
          </>
        ) : null}
        <SelectField label={s('audience')} value={audience} onChange={(v) => (setAudience(v), setErrors({}))} options={options} error={errors.audience} />
        <fieldset style={{ border: '1px solid var(--line)', borderRadius: 8, padding: 12, margin: 0 }}>
          <legend>{s('previewTitle')}</legend>
          <p className="muted" style={{ marginTop: 0 }}>{s('previewHint')}</p>
          <FollowerPicker bapi={bapi} value={previewTo} onChange={setPreviewTo} error={errors.preview} />
          <div style={{ marginTop: 8 }}>
            <Button onClick={() => void preview()} busy={busy === 'preview'}>{s('previewSend')}</Button>
          </div>
        </fieldset>
        {errors.form ? <p role="alert" className="field-error">{errors.form}</p> : null}
        <div>
          <Button type="submit" variant="primary" disabled={quota.data?.leftToday === 0}>
            {s('send')}
          </Button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        title={s('confirmTitle', { n: sizeOf(audiences.data, audience) })}
        confirmLabel={s('send')}
        onCancel={() => setConfirming(false)}
        onConfirm={async () => {
          const m = message();
          if (!m) return setConfirming(false);
          const r = await bapi.send(audienceOf(audience), m);
          setConfirming(false);
          setText('');
          quota.reload();
          onSent(r);
        }}
      >
        <p>{s('confirmBody')}</p>
      </ConfirmDialog>
    </Card>
  );
}
