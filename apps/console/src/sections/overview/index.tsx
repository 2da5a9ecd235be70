import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, Page, SelectField, Table, TextField, TextareaField, useToast, type FieldErrors } from '../../kit/index.ts';
import { api, errorText, type Account } from '../../lib/api.ts';
import { common, defineStrings, useStrings } from '../../lib/i18n.ts';
import { href, navigate, onLinkClick } from '../../lib/router.ts';
import { useCan, useSession } from '../../lib/session.tsx';
import { useAsync } from '../../lib/use-async.ts';
import type { PageProps } from '../../routes.tsx';
import { announceAccountsChanged } from '../../shell/Nav.tsx';

const strings = defineStrings({
  en: {
    welcome: 'Welcome, {name}',
    accountsTitle: 'Official accounts',
    noAccounts: 'No official account yet. Create one to get an AppID and start receiving messages.',
    create: 'Create an official account',
    accountName: 'Account name',
    nameRule: '2–30 characters',
    type: 'Type',
    service: 'Service account',
    subscription: 'Subscription account',
    description: 'Description',
    created: 'Account created',
    colName: 'Name',
    colType: 'Type',
    colStatus: 'Status',
    colCallback: 'Server (callback)',
    configured: 'Configured',
    notConfigured: 'Not configured',
    open: 'Settings',
    payTitle: 'Lianjie Pay',
    pending: 'Pending settlement',
    available: 'Available',
    fees: 'Fees',
    orgStatus: 'Organisation status',
    org_approved: 'approved',
    org_pending: 'waiting for review — you can set up accounts and Pay; payments start once the platform approves you',
    org_suspended: 'suspended — contact the platform operator',
  },
  zh: {
    welcome: '欢迎，{name}',
    accountsTitle: '公众号',
    noAccounts: '还没有公众号。创建一个即可获得 AppID 并开始接收消息。',
    create: '创建公众号',
    accountName: '公众号名称',
    nameRule: '2–30 个字符',
    type: '类型',
    service: '服务号',
    subscription: '订阅号',
    description: '简介',
    created: '公众号已创建',
    colName: '名称',
    colType: '类型',
    colStatus: '状态',
    colCallback: '服务器配置',
    configured: '已配置',
    notConfigured: '未配置',
    open: '设置',
    payTitle: '连接支付',
    pending: '待结算',
    available: '可提现',
    fees: '手续费',
    orgStatus: '组织状态',
    org_approved: '已通过审核',
    org_pending: '待平台审核——可先配置公众号和支付，审核通过后即可收款',
    org_suspended: '已被暂停——请联系平台运营方',
  },
});

const yuan = (fen: number) => `¥${(Number(fen) / 100).toFixed(2)}`;

function CreateAccount({ onCreated }: { onCreated: (a: Account) => void }) {
  const s = useStrings(strings);
  const toast = useToast();
  const [name, setName] = useState('');
  const [type, setType] = useState<'service' | 'subscription'>('service');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<FieldErrors<'name'>>({});
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const n = name.trim();
    const errs: FieldErrors<'name'> = n.length < 2 || n.length > 30 ? { name: s('nameRule') } : {};
    setErrors(errs);
    if (errs.name) return;
    setBusy(true);
    try {
      const a = await api.post<Account>('/api/v1/merchant/accounts', { name: n, type, description });
      toast(s('created'));
      setName('');
      setDescription('');
      onCreated(a);
    } catch (err) {
      setErrors({ name: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="form-grid">
      <TextField label={s('accountName')} value={name} onChange={setName} error={errors.name} hint={s('nameRule')} required maxLength={30} />
      <SelectField label={s('type')} value={type} onChange={setType} options={[{ value: 'service', label: s('service') }, { value: 'subscription', label: s('subscription') }]} />
      <TextareaField label={s('description')} value={description} onChange={setDescription} maxLength={120} rows={2} />
      <div>
        <Button type="submit" variant="primary" busy={busy}>
          {s('create')}
        </Button>
      </div>
    </form>
  );
}

function PayCard() {
  const s = useStrings(strings);
  const balance = useAsync(() => api.get<{ pending: number; available: number; fees: number }>('/api/v1/merchant/pay/balance'));
  return (
    <Card title={s('payTitle')}>
      {balance.error ? <p role="alert">{errorText(balance.error)}</p> : null}
      {balance.data ? (
        <dl className="stats">
          <div><dt>{s('pending')}</dt><dd>{yuan(balance.data.pending)}</dd></div>
          <div><dt>{s('available')}</dt><dd>{yuan(balance.data.available)}</dd></div>
          <div><dt>{s('fees')}</dt><dd>{yuan(balance.data.fees)}</dd></div>
        </dl>
      ) : null}
    </Card>
  );
}

/** Overview: the organisation's official accounts (create one here) and its Pay balances. */
export default function Overview(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const { me } = useSession();
  const can = useCan();
  const accounts = useAsync(() => api.get<Account[]>('/api/v1/merchant/accounts'));
  const [creating, setCreating] = useState(false);
  const canCreate = can('settings');
  return (
    <Page
      title={t('overview')}
      description={<>{s('welcome', { name: me.user.name })} · {s('orgStatus')}: <Badge tone={me.org.status === 'approved' ? 'success' : me.org.status === 'suspended' ? 'danger' : 'warning'}>{me.org.status === 'approved' ? s('org_approved') : me.org.status === 'suspended' ? s('org_suspended') : s('org_pending')}</Badge></>}
      actions={canCreate ? <Button variant="primary" onClick={() => setCreating((c) => !c)}>{s('create')}</Button> : null}
    >
      {creating ? (
        <Card title={s('create')}>
          <CreateAccount
            onCreated={(a) => {
              setCreating(false);
              accounts.reload();
              announceAccountsChanged();
              navigate(`/accounts/${encodeURIComponent(a.id)}/settings`);
            }}
          />
        </Card>
      ) : null}
      <Card title={s('accountsTitle')}>
        <Table
          rows={accounts.data}
          error={accounts.error}
          onRetry={accounts.reload}
          rowKey={(a) => a.id}
          empty={{ text: s('noAccounts'), action: canCreate && !creating ? <Button variant="primary" onClick={() => setCreating(true)}>{s('create')}</Button> : undefined }}
          columns={[
            { key: 'name', header: s('colName'), render: (a) => <strong>{a.name}</strong> },
            { key: 'type', header: s('colType'), render: (a) => (a.type === 'service' ? s('service') : s('subscription')) },
            { key: 'appid', header: 'AppID', render: (a) => <code>{a.appid}</code> },
            { key: 'status', header: s('colStatus'), render: (a) => <Badge tone={a.status === 'active' ? 'success' : 'danger'}>{a.status}</Badge> },
            { key: 'cb', header: s('colCallback'), render: (a) => (a.callbackUrl ? <Badge tone="success">{s('configured')}</Badge> : <Badge>{s('notConfigured')}</Badge>) },
            {
              key: 'open',
              header: '',
              render: (a) =>
                canCreate ? (
                  <a href={href(`/accounts/${encodeURIComponent(a.id)}/settings`)} onClick={(e) => onLinkClick(e, `/accounts/${encodeURIComponent(a.id)}/settings`)}>
                    {s('open')}
                  </a>
                ) : null,
            },
          ]}
        />
      </Card>
      {can('pay.read') ? <PayCard /> : null}
    </Page>
  );
}
