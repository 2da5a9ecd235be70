import { useState, type FormEvent } from 'react';
import { Button, Card, TextareaField, useToast } from '../../kit/index.ts';
import { errorText, type Account } from '../../lib/api.ts';
import { common, useStrings } from '../../lib/i18n.ts';
import { LIMITS, replyApi } from './api.ts';
import { strings } from './strings.ts';

/** The message a new follower gets (the account's welcomeMessage). */
export function Welcome({ account, onSaved }: { account: Account; onSaved: (a: Account) => void }) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const toast = useToast();
  const [text, setText] = useState(account.welcomeMessage ?? '');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function save(e: FormEvent) {
    e.preventDefault();
    if (text.length > LIMITS.reply) return setError(s('replyRule'));
    setError(undefined);
    setBusy(true);
    try {
      onSaved(await replyApi.setWelcome(account.id, text.trim() ? text : null));
      toast(s('welcomeSaved'), 'success');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title={s('welcome')}>
      <form className="form-grid" noValidate onSubmit={(e) => void save(e)}>
        <TextareaField label={s('welcomeLabel')} value={text} onChange={setText} rows={3} error={error} hint={`${s('welcomeHint')} ${s('chars', { n: text.length, max: LIMITS.reply })}`} />
        <div>
          <Button type="submit" variant="primary" busy={busy}>
            {t('save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
