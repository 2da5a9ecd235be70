import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, ConfirmDialog, Page, SelectField, Table, TextField, useToast, type FieldErrors } from '../../kit/index.ts';
import { api, enc, errorText, ROLES, type Role } from '../../lib/api.ts';
import { common, defineStrings, useStrings } from '../../lib/i18n.ts';
import { useSession } from '../../lib/session.tsx';
import { useAsync } from '../../lib/use-async.ts';
import type { PageProps } from '../../routes.tsx';

interface Member {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

const strings = defineStrings({
  en: {
    intro: 'Each role sees and may do only its part: operators run accounts and messages, customer service answers followers, finance handles Pay.',
    invite: 'Add a member',
    email: 'Email',
    name: 'Name',
    role: 'Role',
    password: 'Initial password',
    passwordHint: 'At least 8 characters; give it to them privately.',
    added: '{name} added',
    roleChanged: 'Role changed',
    remove: 'Remove',
    removeTitle: 'Remove {name}?',
    removeBody: 'They are signed out at once and can no longer sign in.',
    removed: 'Member removed',
    you: 'you',
    noMembers: 'No members yet.',
    badEmail: 'Enter an email address',
    needed: 'Required',
    shortPassword: 'At least 8 characters',
    roleOf: 'Role of {name}',
    members: 'Members',
  },
  zh: {
    intro: '每个角色只能看到并操作自己的部分：运营管理公众号与消息，客服回复粉丝，财务处理支付。',
    invite: '添加成员',
    email: '邮箱',
    name: '姓名',
    role: '角色',
    password: '初始密码',
    passwordHint: '至少 8 个字符，请私下告知对方。',
    added: '已添加 {name}',
    roleChanged: '角色已修改',
    remove: '移除',
    removeTitle: '移除 {name}？',
    removeBody: '对方将立即退出登录，且无法再登录。',
    removed: '成员已移除',
    you: '你',
    noMembers: '还没有成员。',
    badEmail: '请输入邮箱地址',
    needed: '必填',
    shortPassword: '至少 8 个字符',
    roleOf: '{name} 的角色',
    members: '成员列表',
  },
});

type F = 'email' | 'name' | 'password';

function InviteForm({ onAdded }: { onAdded: () => void }) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const toast = useToast();
  const [v, setV] = useState({ email: '', name: '', password: '' });
  const [role, setRole] = useState<Role>('operator');
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [busy, setBusy] = useState(false);
  const set = (k: F) => (x: string) => setV((o) => ({ ...o, [k]: x }));
  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: FieldErrors<F> = {};
    if (!/^\S+@\S+\.\S+$/.test(v.email.trim())) errs.email = s('badEmail');
    if (!v.name.trim()) errs.name = s('needed');
    if (v.password.length < 8) errs.password = s('shortPassword');
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    try {
      await api.post<Member>('/api/v1/merchant/staff', { email: v.email.trim(), name: v.name.trim(), role, password: v.password });
      toast(s('added', { name: v.name.trim() }));
      setV({ email: '', name: '', password: '' });
      onAdded();
    } catch (err) {
      setErrors({ email: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="form-grid">
      <TextField label={s('email')} type="email" value={v.email} onChange={set('email')} error={errors.email} required autoComplete="off" />
      <TextField label={s('name')} value={v.name} onChange={set('name')} error={errors.name} required />
      <SelectField label={s('role')} value={role} onChange={setRole} options={ROLES.map((r) => ({ value: r, label: t(`role_${r}`) }))} />
      <TextField label={s('password')} type="password" value={v.password} onChange={set('password')} error={errors.password} hint={s('passwordHint')} required autoComplete="new-password" />
      <div>
        <Button type="submit" variant="primary" busy={busy}>
          {s('invite')}
        </Button>
      </div>
    </form>
  );
}

/** The organisation's members: add with a role, change roles, remove (permission `team`). */
export default function Team(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const toast = useToast();
  const { me, reload: reloadMe } = useSession();
  const members = useAsync(() => api.get<Member[]>('/api/v1/merchant/staff'));
  const [removing, setRemoving] = useState<Member>();

  async function changeRole(m: Member, role: Role) {
    try {
      await api.patch<Member>(`/api/v1/merchant/staff/${enc(m.id)}`, { role });
      toast(s('roleChanged'));
      if (m.id === me.user.id) await reloadMe();
    } catch (err) {
      toast(errorText(err), 'error');
    }
    members.reload();
  }

  return (
    <Page title={t('team')} description={s('intro')}>
      <Card title={s('members')}>
        <Table
          rows={members.data}
          error={members.error}
          onRetry={members.reload}
          rowKey={(m) => m.id}
          empty={{ text: s('noMembers') }}
          columns={[
            { key: 'name', header: s('name'), render: (m) => <>{m.name} {m.id === me.user.id ? <Badge>{s('you')}</Badge> : null}</> },
            { key: 'email', header: s('email'), render: (m) => m.email },
            {
              key: 'role',
              header: s('role'),
              render: (m) => (
                <select aria-label={s('roleOf', { name: m.name })} value={m.role} onChange={(e) => void changeRole(m, e.target.value as Role)}>
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`role_${r}`)}
                    </option>
                  ))}
                </select>
              ),
            },
            { key: 'remove', header: '', render: (m) => (m.id === me.user.id ? null : <Button variant="ghost" onClick={() => setRemoving(m)}>{s('remove')}</Button>) },
          ]}
        />
      </Card>
      <Card title={s('invite')}>
        <InviteForm onAdded={members.reload} />
      </Card>
      <ConfirmDialog
        open={removing !== undefined}
        title={s('removeTitle', { name: removing?.name ?? '' })}
        danger
        confirmLabel={s('remove')}
        onCancel={() => setRemoving(undefined)}
        onConfirm={async () => {
          if (!removing) return;
          await api.del(`/api/v1/merchant/staff/${enc(removing.id)}`);
          setRemoving(undefined);
          toast(s('removed'));
          members.reload();
        }}
      >
        <p>{s('removeBody')}</p>
      </ConfirmDialog>
    </Page>
  );
}
