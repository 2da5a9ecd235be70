import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, ConfirmDialog, ShownOnce, Table, TextField } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { defineStrings, useStrings } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { when } from '../pay/api.ts';
import { devApi, type ApiKey } from './api.ts';

const strings = defineStrings({
  en: {
    title: 'API keys',
    intro: 'Your servers call the Lianjie JSON pay API with Authorization: Bearer <key>. Only owners create and revoke keys.',
    name: 'Name', nameHint: 'Where the key is used, e.g. “shop server”', key: 'Key', created: 'Created', used: 'Last used', state: 'State',
    active: 'Active', revoked: 'Revoked', never: 'Never',
    create: 'Create key', needed: 'Required',
    shownOnce: 'New key — shown only now', shownHint: 'Copy it into your server’s configuration now; it cannot be shown again.', gotIt: 'I saved it',
    revoke: 'Revoke', revokeTitle: 'Revoke “{name}”?', revokeBody: 'It stops working at once. Servers still using it will get 401.', word: 'REVOKE',
    empty: 'No API keys. Create one for your server to create orders and refunds.',
  },
  zh: {
    title: 'API 密钥',
    intro: '你的服务器以 Authorization: Bearer <密钥> 调用连接 JSON 支付 API。只有所有者可以创建和撤销密钥。',
    name: '名称', nameHint: '密钥的用途，例如“门店服务器”', key: '密钥', created: '创建时间', used: '最近使用', state: '状态',
    active: '有效', revoked: '已撤销', never: '从未',
    create: '创建密钥', needed: '必填',
    shownOnce: '新密钥——只显示这一次', shownHint: '请立即复制到服务器配置中，之后无法再次显示。', gotIt: '我已保存',
    revoke: '撤销', revokeTitle: '撤销“{name}”？', revokeBody: '立即失效，仍在使用它的服务器将收到 401。', word: '撤销',
    empty: '还没有 API 密钥。为服务器创建一个即可创建订单与退款。',
  },
});

/** The org's API keys: create (shown once), list by hint, revoke with type-to-confirm. */
export function ApiKeys() {
  const s = useStrings(strings);
  const list = useAsync(() => devApi.apiKeys());
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<string>();
  const [revoking, setRevoking] = useState<ApiKey>();

  async function create(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setError(s('needed'));
    setBusy(true);
    setError(undefined);
    try {
      const k = await devApi.createApiKey(name.trim());
      setShown(k.key);
      setName('');
      list.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {shown ? (
        <ShownOnce title={s('shownOnce')} hint={s('shownHint')} value={shown} doneLabel={s('gotIt')} onDone={() => setShown(undefined)} />
      ) : null}
      <Card title={s('title')}>
        <p className="muted">{s('intro')}</p>
        <Table
          rows={list.data}
          error={list.error}
          onRetry={list.reload}
          rowKey={(k) => k.id}
          empty={{ text: s('empty') }}
          columns={[
            { key: 'name', header: s('name'), render: (k) => k.name },
            { key: 'hint', header: s('key'), render: (k) => <code>{k.hint}</code> },
            { key: 'state', header: s('state'), render: (k) => (k.revokedAt ? <Badge tone="danger">{s('revoked')}</Badge> : <Badge tone="success">{s('active')}</Badge>) },
            { key: 'created', header: s('created'), render: (k) => when(k.createdAt) },
            { key: 'used', header: s('used'), render: (k) => (k.lastUsedAt ? when(k.lastUsedAt) : s('never')) },
            { key: 'act', header: '', render: (k) => (k.revokedAt ? null : <Button variant="ghost" aria-label={`${s('revoke')} ${k.name}`} onClick={() => setRevoking(k)}>{s('revoke')}</Button>) },
          ]}
        />
        <form className="field-row" onSubmit={(e) => void create(e)} noValidate>
          <TextField label={s('name')} value={name} onChange={setName} hint={s('nameHint')} error={error} required maxLength={64} />
          <div><Button type="submit" variant="primary" busy={busy}>{s('create')}</Button></div>
        </form>
      </Card>
      <ConfirmDialog open={revoking !== undefined} title={s('revokeTitle', { name: revoking?.name ?? '' })} confirmLabel={s('revoke')} danger typeToConfirm={s('word')} onCancel={() => setRevoking(undefined)}
        onConfirm={async () => { if (!revoking) return; await devApi.revokeApiKey(revoking.id); setRevoking(undefined); list.reload(); }}>
        <p>{s('revokeBody')}</p>
      </ConfirmDialog>
    </>
  );
}
