import { useEffect, useState } from 'react';
import { Badge, Button, Card, Page, Pagination, SelectField, Table, TextField, useToast } from '../../kit/index.ts';
import { api, errorText, type Account } from '../../lib/api.ts';
import { common, useStrings } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import type { PageProps } from '../../routes.tsx';
import { followersApi, PAGE_SIZE, SCENES, type Follower, type FollowerQuery } from './api.ts';
import { Profile } from './Profile.tsx';
import { TagManager } from './TagManager.tsx';
import { sceneLabel, strings } from './strings.ts';

const EMPTY: FollowerQuery = { q: '', tagId: '', scene: '', qrScene: '', status: 'subscribed', page: 1 };

/** The followers CRM: account picker, search and filters, paged table with selection, bulk tags, profile. */
export default function Followers(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const toast = useToast();
  const accounts = useAsync(() => api.get<Account[]>('/api/v1/merchant/accounts'));
  const [accountId, setAccountId] = useState('');
  const [query, setQuery] = useState<FollowerQuery>(EMPTY);
  const [draft, setDraft] = useState({ q: '', qrScene: '' });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkTag, setBulkTag] = useState('');
  const [open, setOpen] = useState<string>();

  useEffect(() => {
    const first = accounts.data?.[0];
    if (!accountId && first) setAccountId(first.id);
  }, [accounts.data, accountId]);

  const list = useAsync(() => (accountId ? followersApi.list(accountId, query) : Promise.resolve(undefined)), [accountId, query]);
  const tags = useAsync(() => (accountId ? followersApi.tags(accountId) : Promise.resolve([])), [accountId]);
  const tagName = (id: number) => tags.data?.find((x) => x.id === id)?.name ?? String(id);
  const rows = list.data?.items;
  const set = (patch: Partial<FollowerQuery>) => {
    setQuery((q) => ({ ...q, ...patch, page: patch.page ?? 1 }));
    setSelected(new Set());
  };
  const toggle = (openid: string, on: boolean) =>
    setSelected((old) => {
      const next = new Set(old);
      if (on) next.add(openid);
      else next.delete(openid);
      return next;
    });

  async function applyBulk(action: 'add' | 'remove') {
    if (!bulkTag) return toast(s('pickTag'), 'error');
    try {
      await followersApi.tagging(accountId, { tagId: Number(bulkTag), openids: [...selected], action });
      toast(s('tagged'), 'success');
      setSelected(new Set());
      void list.reload();
      void tags.reload();
    } catch (err) {
      toast(errorText(err), 'error');
    }
  }

  if (accounts.data && accounts.data.length === 0) return <Page title={t('followers')} description={s('intro')}><p className="muted">{s('noAccount')}</p></Page>;
  const all = rows?.length ? rows.every((r) => selected.has(r.openid)) : false;
  return (
    <Page title={t('followers')} description={s('intro')}>
      {accounts.data && accounts.data.length > 1 ? (
        <SelectField label={s('account')} value={accountId} onChange={(v) => { setAccountId(v); setQuery(EMPTY); setOpen(undefined); }} options={accounts.data.map((a) => ({ value: a.id, label: a.name }))} />
      ) : null}
      <Card>
        <form
          className="form-grid"
          style={{ maxWidth: 'none', gridTemplateColumns: 'repeat(auto-fit, minmax(180px, 1fr))', alignItems: 'end' }}
          onSubmit={(e) => {
            e.preventDefault();
            set({ q: draft.q, qrScene: draft.qrScene });
          }}
        >
          <TextField label={s('search')} placeholder={s('searchHint')} value={draft.q} onChange={(q) => setDraft((d) => ({ ...d, q }))} type="search" maxLength={64} />
          <SelectField label={s('tag')} value={query.tagId} onChange={(tagId) => set({ tagId })} options={[{ value: '', label: s('anyTag') }, ...(tags.data ?? []).map((x) => ({ value: String(x.id), label: x.name }))]} />
          <SelectField label={s('scene')} value={query.scene} onChange={(scene) => set({ scene })} options={[{ value: '', label: s('anyScene') }, ...SCENES.map((x) => ({ value: x, label: sceneLabel(s, x) }))]} />
          <TextField label={s('qrScene')} value={draft.qrScene} onChange={(qrScene) => setDraft((d) => ({ ...d, qrScene }))} maxLength={64} />
          <SelectField label={s('status')} value={query.status} onChange={(status) => set({ status })} options={[{ value: 'subscribed', label: s('subscribed') }, { value: 'unsubscribed', label: s('unsubscribed') }, { value: 'all', label: s('all') }]} />
          <div><Button type="submit" variant="primary">{s('search')}</Button></div>
        </form>
      </Card>
      <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap', alignItems: 'flex-start' }}>
        <div style={{ flex: '2 1 420px', minWidth: 0 }}>
          <Card title={s('followers', { n: list.data?.total ?? 0 })}>
            {selected.size > 0 ? (
              <div className="actions" role="group" aria-label={s('selected', { n: selected.size })} style={{ flexWrap: 'wrap', marginBottom: 12 }}>
                <strong>{s('selected', { n: selected.size })}</strong>
                <SelectField label={s('bulkTag')} value={bulkTag} onChange={setBulkTag} options={[{ value: '', label: '—' }, ...(tags.data ?? []).map((x) => ({ value: String(x.id), label: x.name }))]} />
                <Button variant="primary" onClick={() => void applyBulk('add')}>{s('addTag')}</Button>
                <Button variant="secondary" onClick={() => void applyBulk('remove')}>{s('removeTag')}</Button>
              </div>
            ) : null}
            <Table<Follower>
              rows={rows}
              loading={list.loading}
              error={list.error}
              onRetry={list.reload}
              rowKey={(r) => r.openid}
              empty={{ text: s('empty') }}
              columns={[
                {
                  key: 'sel',
                  header: <input type="checkbox" aria-label={s('selectAll')} checked={all} onChange={(e) => setSelected(e.target.checked ? new Set((rows ?? []).filter((r) => r.subscribed).map((r) => r.openid)) : new Set())} />,
                  render: (r) => <input type="checkbox" aria-label={s('select', { name: r.remark || r.nickname })} checked={selected.has(r.openid)} disabled={!r.subscribed} onChange={(e) => toggle(r.openid, e.target.checked)} />,
                },
                {
                  key: 'name',
                  header: s('name'),
                  render: (r) => (
                    <button type="button" className="link" aria-label={s('open', { name: r.remark || r.nickname })} onClick={() => setOpen(r.openid)}>
                      {r.remark ? `${r.remark} (${r.nickname})` : r.nickname}
                    </button>
                  ),
                },
                { key: 'time', header: s('followedAt'), render: (r) => <>{new Date(r.subscribeTime).toLocaleDateString()} · {sceneLabel(s, r.subscribeScene)}{r.qrScene ? ` (${r.qrScene})` : ''}</> },
                {
                  key: 'tags',
                  header: s('tags'),
                  render: (r) => (
                    <span className="actions" style={{ flexWrap: 'wrap', gap: 4 }}>
                      {r.tagIds.map((id) => <Badge key={id}>{tagName(id)}</Badge>)}
                      {r.blacklisted ? <Badge tone="danger">{s('blacklist')}</Badge> : null}
                      {!r.subscribed ? <Badge tone="warning">{s('unsubscribed')}</Badge> : null}
                    </span>
                  ),
                },
              ]}
            />
            <Pagination page={query.page} hasNext={query.page * PAGE_SIZE < (list.data?.total ?? 0)} onChange={(page) => set({ page })} />
          </Card>
        </div>
        <div style={{ flex: '1 1 320px', minWidth: 0 }}>
          {open && accountId ? (
            <Profile key={open} accountId={accountId} openid={open} tags={tags.data ?? []} onChanged={() => void list.reload()} onClose={() => setOpen(undefined)} />
          ) : null}
          {accountId ? <TagManager accountId={accountId} tags={tags.data ?? []} onChanged={() => { void tags.reload(); void list.reload(); }} /> : null}
        </div>
      </div>
    </Page>
  );
}
