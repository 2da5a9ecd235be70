import { useState, type FormEvent } from 'react';
import { Button, Card, ConfirmDialog, TextField, useToast } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { useStrings } from '../../lib/i18n.ts';
import { followersApi, utf8Bytes, type Tag } from './api.ts';
import { strings } from './strings.ts';

const SYSTEM_IDS = [0, 1, 2];

/** Create, rename and delete the account's tags (built-in tags are listed, never changed). */
export function TagManager({ accountId, tags, onChanged }: { accountId: string; tags: Tag[]; onChanged: () => void }) {
  const s = useStrings(strings);
  const toast = useToast();
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [renaming, setRenaming] = useState<{ id: number; name: string }>();
  const [deleting, setDeleting] = useState<Tag>();
  const valid = (n: string) => n.trim() !== '' && utf8Bytes(n.trim()) <= 30;

  async function create(e: FormEvent) {
    e.preventDefault();
    if (!valid(name)) return setError(s('tagNameNeeded'));
    setError(undefined);
    try {
      await followersApi.createTag(accountId, name.trim());
      setName('');
      onChanged();
    } catch (err) {
      setError(errorText(err));
    }
  }
  async function rename(e: FormEvent) {
    e.preventDefault();
    if (!renaming || !valid(renaming.name)) return toast(s('tagNameNeeded'), 'error');
    try {
      await followersApi.renameTag(accountId, renaming.id, renaming.name.trim());
      setRenaming(undefined);
      onChanged();
    } catch (err) {
      toast(errorText(err), 'error');
    }
  }
  return (
    <Card title={s('manageTags')}>
      <ul style={{ listStyle: 'none', padding: 0, display: 'grid', gap: 6 }}>
        {tags.map((t) =>
          renaming?.id === t.id ? (
            <li key={t.id}>
              <form onSubmit={(e) => void rename(e)} className="field-row" noValidate>
                <TextField label={s('rename')} value={renaming.name} onChange={(n) => setRenaming({ id: t.id, name: n })} maxLength={30} />
                <Button type="submit" variant="primary">{s('save')}</Button>
              </form>
            </li>
          ) : (
            <li key={t.id} className="actions" style={{ justifyContent: 'space-between' }}>
              <span>
                {t.name} <span className="muted">· {s('members', { n: t.count })}{SYSTEM_IDS.includes(t.id) ? ` · ${s('system')}` : ''}</span>
              </span>
              {SYSTEM_IDS.includes(t.id) ? null : (
                <span className="actions">
                  <Button variant="ghost" aria-label={`${s('rename')} ${t.name}`} onClick={() => setRenaming({ id: t.id, name: t.name })}>{s('rename')}</Button>
                  <Button variant="danger" aria-label={`${s('delete')} ${t.name}`} onClick={() => setDeleting(t)}>{s('delete')}</Button>
                </span>
              )}
            </li>
          ),
        )}
      </ul>
      <form onSubmit={(e) => void create(e)} noValidate className="field-row">
        <TextField label={s('newTag')} value={name} onChange={setName} error={error} maxLength={30} />
        <Button type="submit" variant="primary">{s('create')}</Button>
      </form>
      <ConfirmDialog
        open={deleting !== undefined}
        title={s('deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={s('delete')}
        danger
        onCancel={() => setDeleting(undefined)}
        onConfirm={async () => {
          if (!deleting) return;
          await followersApi.deleteTag(accountId, deleting.id);
          setDeleting(undefined);
          onChanged();
        }}
      >
        <p>{s('deleteBody')}</p>
      </ConfirmDialog>
    </Card>
  );
}
