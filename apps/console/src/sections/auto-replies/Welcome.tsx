import { useState } from 'react';
import { Card, SaveForm, TextareaField, useSave, useToast } from '../../kit/index.ts';
import type { Account } from '../../lib/api.ts';
import { useStrings } from '../../lib/i18n.ts';
import { LIMITS, replyApi } from './api.ts';
import { strings } from './strings.ts';

/** The message a new follower gets (the account's welcomeMessage). */
export function Welcome({ account, onSaved }: { account: Account; onSaved: (a: Account) => void }) {
  const s = useStrings(strings);
  const toast = useToast();
  const [text, setText] = useState(account.welcomeMessage ?? '');
  const [error, setError] = useState<string>();
  const { busy, run } = useSave(setError);
  function save() {
    if (text.length > LIMITS.reply) return setError(s('replyRule'));
    setError(undefined);
    void run(async () => {
      onSaved(await replyApi.setWelcome(account.id, text.trim() ? text : null));
      toast(s('welcomeSaved'), 'success');
    });
  }
  return (
    <Card title={s('welcome')}>
      <SaveForm busy={busy} onSubmit={save}>
        <TextareaField label={s('welcomeLabel')} value={text} onChange={setText} rows={3} error={error} hint={`${s('welcomeHint')} ${s('chars', { n: text.length, max: LIMITS.reply })}`} />
      </SaveForm>
    </Card>
  );
}
