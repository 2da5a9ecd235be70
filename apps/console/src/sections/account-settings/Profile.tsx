import { useState, type FormEvent } from 'react';
import { Button, Card, TextField, TextareaField, useToast, type FieldErrors } from '../../kit/index.ts';
import { api, enc, errorText, type Account } from '../../lib/api.ts';
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
  const [busy, setBusy] = useState(false);
  async function save(e: FormEvent) {
    e.preventDefault();
    const n = name.trim();
    if (n.length < 2 || n.length > 30) return setErrors({ name: s('nameRule') });
    setErrors({});
    setBusy(true);
    try {
      const a = await api.patch<Account>(`/api/v1/merchant/accounts/${enc(account.id)}`, { name: n, description });
      toast(t('saved'));
      onSaved(a);
      announceAccountsChanged();
    } catch (err) {
      setErrors({ description: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title={s('profile')}>
      <form onSubmit={(e) => void save(e)} noValidate className="form-grid">
        <TextField label={s('name')} value={name} onChange={setName} error={errors.name} hint={s('nameRule')} required maxLength={30} />
        <TextareaField label={s('description')} value={description} onChange={setDescription} error={errors.description} maxLength={120} rows={2} />
        <div>
          <Button type="submit" variant="primary" busy={busy}>
            {t('save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
