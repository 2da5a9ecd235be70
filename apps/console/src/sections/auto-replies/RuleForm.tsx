import { useState, type FormEvent } from 'react';
import { Button, SelectField, TextField, TextareaField, type FieldErrors } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { common, useStrings } from '../../lib/i18n.ts';
import { LIMITS, type AutoReply, type RuleInput } from './api.ts';
import { strings } from './strings.ts';

type Kind = 'exact' | 'contains';

/** Create or edit a keyword rule, with inline validation (lengths, a duplicate of another rule). */
export function RuleForm({ rule, others, onSubmit, onCancel }: { rule?: AutoReply; others: readonly AutoReply[]; onSubmit: (input: RuleInput) => Promise<void>; onCancel: () => void }) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const [match, setMatch] = useState<Kind>(rule?.match === 'contains' ? 'contains' : 'exact');
  const [keyword, setKeyword] = useState(rule?.keyword ?? '');
  const [reply, setReply] = useState(rule?.replyText ?? '');
  const [errors, setErrors] = useState<FieldErrors<'keyword' | 'reply'>>({});
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const k = keyword.trim();
    const next: FieldErrors<'keyword' | 'reply'> = {};
    if (k.length < 1 || k.length > LIMITS.keyword) next.keyword = s('keywordRule');
    else if (others.some((o) => o.id !== rule?.id && o.match === match && o.keyword === k)) next.keyword = s('duplicate', { match: s(match) });
    if (!reply.trim() || reply.length > LIMITS.reply) next.reply = s('replyRule');
    setErrors(next);
    if (next.keyword || next.reply) return;
    setBusy(true);
    try {
      await onSubmit({ match, keyword: k, replyText: reply });
    } catch (err) {
      setErrors({ reply: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="form-grid" noValidate onSubmit={(e) => void submit(e)}>
      <SelectField<Kind> label={s('match')} value={match} onChange={setMatch} options={[{ value: 'exact', label: s('exact') }, { value: 'contains', label: s('contains') }]} />
      <TextField label={s('keyword')} value={keyword} onChange={setKeyword} error={errors.keyword} hint={s('keywordRule')} required maxLength={LIMITS.keyword + 10} />
      <TextareaField label={s('reply')} value={reply} onChange={setReply} error={errors.reply} hint={s('chars', { n: reply.length, max: LIMITS.reply })} required rows={3} />
      <div className="actions">
        <Button type="submit" variant="primary" busy={busy}>
          {t('save')}
        </Button>
        <Button onClick={onCancel}>{t('cancel')}</Button>
      </div>
    </form>
  );
}
