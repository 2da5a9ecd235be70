import { useState } from 'react';
import { Card, SaveForm, TextareaField, useSave, useToast } from '../../kit/index.ts';
import { useStrings } from '../../lib/i18n.ts';
import { LIMITS, replyApi, type AutoReply } from './api.ts';
import { strings } from './strings.ts';

/** The reply when no keyword matches (the rule of match `default`): saving empty text removes it. */
export function DefaultReply({ accountId, rule, onChanged }: { accountId: string; rule: AutoReply | undefined; onChanged: () => void }) {
  const s = useStrings(strings);
  const toast = useToast();
  const [text, setText] = useState(rule?.replyText ?? '');
  const [error, setError] = useState<string>();
  const { busy, run } = useSave(setError);
  function save() {
    const body = text.trim();
    if (body.length > LIMITS.reply || (!body && !rule)) return setError(s('replyRule'));
    setError(undefined);
    void run(async () => {
      if (!body && rule) {
        await replyApi.remove(accountId, rule.id);
        toast(s('defaultRemoved'), 'success');
      } else {
        const input = { match: 'default' as const, replyText: body };
        await (rule ? replyApi.update(accountId, rule.id, input) : replyApi.create(accountId, input));
        toast(s('defaultSaved'), 'success');
      }
      onChanged();
    });
  }
  return (
    <Card title={s('defaultTitle')}>
      <SaveForm busy={busy} onSubmit={save}>
        <TextareaField label={s('defaultLabel')} value={text} onChange={setText} rows={3} error={error} hint={`${s('defaultHint')} ${s('chars', { n: text.length, max: LIMITS.reply })}`} />
      </SaveForm>
    </Card>
  );
}
