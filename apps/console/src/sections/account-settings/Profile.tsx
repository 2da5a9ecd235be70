import { useState } from 'react';
import { Card, SaveForm, TextField, TextareaField, useSave, useToast, type FieldErrors } from '../../kit/index.ts';
import { api, enc, type Account } from '../../lib/api.ts';
import { common, useStrings } from '../../lib/i18n.ts';
import { announceAccountsChanged } from '../../shell/Nav.tsx';
import { strings } from './strings.ts';

/** Name and description of the account. */
export function Profile({ account, onSaved }: { account: Account; onSaved: (a: Account) => void }) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const toast = useToast();
  const [name, setName] = useState(account.name);
  const [description, setDescription] = useState(account.description);
  const [errors, setErrors] = useState<FieldErrors<'name' | 'description'>>({});
  const { busy, run } = useSave((message) => setErrors({ description: message }));
  function save() {
    const n = name.trim();
    if (n.length < 2 || n.length > 30) return setErrors({ name: s('nameRule') });
    setErrors({});
    void run(async () => {
      const a = await api.patch<Account>(`/api/v1/merchant/accounts/${enc(account.id)}`, { name: n, description });
      toast(t('saved'));
      onSaved(a);
      announceAccountsChanged();
    });
  }
  return (
    <Card title={s('profile')}>
      <SaveForm busy={busy} onSubmit={save}>
        <TextField label={s('name')} value={name} onChange={setName} error={errors.name} hint={s('nameRule')} required maxLength={30} />
        <TextareaField label={s('description')} value={description} onChange={setDescription} error={errors.description} maxLength={120} rows={2} />
      </SaveForm>
    </Card>
  );
}
