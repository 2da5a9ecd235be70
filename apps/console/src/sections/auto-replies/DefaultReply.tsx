import { useState, type FormEvent } from 'react';
import { Button, Card, TextareaField, useToast } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { common, useStrings } from '../../lib/i18n.ts';
import { LIMITS, replyApi, type AutoReply } from './api.ts';
import { strings } from './strings.ts';

/** The reply when no keyword matches (the rule of match `default`): saving empty text removes it. */
export function DefaultReply({ accountId, rule, onChanged }: { accountId: string; rule: AutoReply | undefined; onChanged: () => void }) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const toast = useToast();
  const [text, setText] = useState(rule?.replyText ?? '');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function save(e: FormEvent) {
    e.preventDefault();
    const body = text.trim();
    if (body.length > LIMITS.reply || (!body && !rule)) return setError(s('replyRule'));
    setError(undefined);
    setBusy(true);
    try {
      if (!body && rule) {
        await replyApi.remove(accountId, rule.id);
        toast(s('defaultRemoved'), 'success');
      } else {
        const input = { match: 'default' as const, replyText: body };
        await (rule ? replyApi.update(accountId, rule.id, input) : replyApi.create(accountId, input));
        toast(s('defaultSaved'), 'success');
      }
      onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title={s('defaultTitle')}>
      <form className="form-grid" noValidate onSubmit={(e) => void save(e)}>
        <TextareaField label={s('defaultLabel')} value={text} onChange={setText} rows={3} error={error} hint={`${s('defaultHint')} ${s('chars', { n: text.length, max: LIMITS.reply })}`} />
        <div>
          <Button type="submit" variant="primary" busy={busy}>
            {t('save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
