import { useState, type FormEvent } from 'react';
import { Button, Card, TextField, TextareaField, type FieldErrors } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { useStrings } from '../../lib/i18n.ts';
import { inboxApi, type QuickReply } from './api.ts';
import { strings } from './strings.ts';

/** The organisation's quick replies: add, edit, delete. */
export function QuickReplies({ items, onChanged }: { items: QuickReply[]; onChanged: () => void }) {
  const s = useStrings(strings);
  const [edit, setEdit] = useState<{ id?: string; title: string; content: string }>({ title: '', content: '' });
  const [errors, setErrors] = useState<FieldErrors<'title' | 'content'>>({});
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: FieldErrors<'title' | 'content'> = {};
    if (!edit.title.trim()) errs.title = s('needed');
    if (!edit.content.trim()) errs.content = s('needed');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await inboxApi.saveQuickReply(edit);
      setEdit({ title: '', content: '' });
      onChanged();
    } catch (err) {
      setErrors({ title: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title={s('manage')}>
      {items.length === 0 ? <p className="muted">{s('noQuick')}</p> : null}
      <ul style={{ listStyle: 'none', padding: 0, display: 'grid', gap: 8 }}>
        {items.map((q) => (
          <li key={q.id} className="actions" style={{ justifyContent: 'space-between' }}>
            <span><strong>{q.title}</strong> <span className="muted">{q.content}</span></span>
            <span className="actions">
              <Button variant="ghost" aria-label={`${s('edit')} ${q.title}`} onClick={() => setEdit(q)}>{s('edit')}</Button>
              <Button variant="danger" aria-label={`${s('remove')} ${q.title}`} onClick={() => void inboxApi.deleteQuickReply(q.id).then(onChanged)}>{s('remove')}</Button>
            </span>
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => void submit(e)} noValidate className="form-grid">
        <TextField label={s('title')} value={edit.title} onChange={(title) => setEdit((o) => ({ ...o, title }))} error={errors.title} maxLength={40} required />
        <TextareaField label={s('content')} value={edit.content} onChange={(content) => setEdit((o) => ({ ...o, content }))} error={errors.content} maxLength={2048} required rows={2} />
        <div><Button type="submit" variant="primary" busy={busy}>{edit.id ? s('save') : s('add')}</Button></div>
      </form>
    </Card>
  );
}
