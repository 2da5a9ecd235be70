import { useState } from 'react';
import { errorText } from '../lib/api.ts';
import { useStrings } from '../lib/i18n.ts';
import { useAsync } from '../lib/use-async.ts';
import { Badge, Button, Card, ConfirmDialog, Loading, Page, Tabs, TextareaField, useToast, type BadgeTone } from '../kit/index.ts';
import { operatorApi, type OperatorAccount, type Org, type OrgStatus } from './api.ts';
import { ops } from './strings.ts';

type Filter = OrgStatus | 'all';
type Pending =
  | { kind: 'approve' | 'suspend' | 'unsuspend'; org: Org }
  | { kind: 'account'; account: OperatorAccount; to: 'active' | 'suspended' };

export const STATUS_TONE: Record<string, BadgeTone> = { pending: 'warning', approved: 'success', active: 'success', suspended: 'danger' };

/** Organisations: review (approve), suspend / lift, per-account suspension, pay account and today's quotas. */
export default function Merchants() {
  const s = useStrings(ops);
  const toast = useToast();
  const [filter, setFilter] = useState<Filter>('pending');
  const orgs = useAsync(() => operatorApi.orgs(filter === 'all' ? undefined : filter), [filter]);
  const [pending, setPending] = useState<Pending | null>(null);
  const [note, setNote] = useState('');

  const open = (p: Pending) => {
    setNote('');
    setPending(p);
  };
  async function confirm() {
    if (!pending) return;
    if (pending.kind === 'account') await operatorApi.setAccountStatus(pending.account.id, pending.to);
    else await operatorApi.orgAction(pending.org.id, pending.kind, note.trim());
    setPending(null);
    toast(s('done'), 'success');
    orgs.reload();
  }
  const title = !pending
    ? ''
    : pending.kind === 'account'
      ? pending.to === 'suspended'
        ? s('confirmSuspendAccount', { name: pending.account.name })
        : s('reactivateAccount')
      : s(pending.kind === 'approve' ? 'confirmApprove' : pending.kind === 'suspend' ? 'confirmSuspend' : 'confirmUnsuspend', { name: pending.org.name });
  const body = !pending ? '' : pending.kind === 'account' ? (pending.to === 'suspended' ? s('suspendAccountBody') : '') : s(pending.kind === 'approve' ? 'approveBody' : pending.kind === 'suspend' ? 'suspendBody' : 'unsuspendBody');
  const danger = pending?.kind === 'suspend' || (pending?.kind === 'account' && pending.to === 'suspended');

  return (
    <Page title={s('merchantsTitle')} description={s('merchantsIntro')}>
      <Tabs
        label={s('filter')}
        value={filter}
        onChange={setFilter}
        tabs={[
          { key: 'pending', label: s('status_pending') },
          { key: 'approved', label: s('status_approved') },
          { key: 'suspended', label: s('status_suspended') },
          { key: 'all', label: s('all') },
        ]}
      />
      {orgs.loading && !orgs.data ? <Loading /> : null}
      {orgs.error ? (
        <Card>
          <p role="alert">{errorText(orgs.error)}</p>
          <Button onClick={orgs.reload}>{s('refresh')}</Button>
        </Card>
      ) : null}
      {orgs.data && orgs.data.length === 0 ? (
        <Card>
          <p>{s('noOrgs')}</p>
        </Card>
      ) : null}
      {orgs.data?.map((o) => (
        <section key={o.id} className="ops-org" aria-label={o.name} data-testid={`org-${o.id}`}>
          <header>
            <h2>{o.name}</h2>
            <Badge tone={STATUS_TONE[o.status]}>{s(`status_${o.status}`)}</Badge>
            <span className="spacer" />
            <div className="ops-actions">
              {o.status === 'pending' ? (
                <Button variant="primary" onClick={() => open({ kind: 'approve', org: o })} aria-label={`${s('approve')} ${o.name}`}>
                  {s('approve')}
                </Button>
              ) : null}
              {o.status !== 'suspended' ? (
                <Button variant="danger" onClick={() => open({ kind: 'suspend', org: o })} aria-label={`${s('suspend')} ${o.name}`}>
                  {s('suspend')}
                </Button>
              ) : (
                <Button onClick={() => open({ kind: 'unsuspend', org: o })} aria-label={`${s('unsuspend')} ${o.name}`}>
                  {s('unsuspend')}
                </Button>
              )}
            </div>
          </header>
          <dl>
            <dt>{s('owners')}</dt>
            <dd>{o.owners.join(', ') || '—'}</dd>
            <dt>{s('payAccount')}</dt>
            <dd>{o.payAccount ? `${o.payAccount.mchId} · ${o.payAccount.appid}` : s('noPayAccount')}</dd>
            <dt>{s('createdAt')}</dt>
            <dd>{new Date(o.createdAt).toLocaleString()}</dd>
            {o.statusNote ? (
              <>
                <dt>{s('decisionNote')}</dt>
                <dd>{o.statusNote}</dd>
              </>
            ) : null}
          </dl>
          <h3 className="nav-heading">{s('accounts')}</h3>
          {o.accounts.length === 0 ? <p className="muted">{s('noAccounts')}</p> : null}
          {o.accounts.map((a) => (
            <div key={a.id} className="ops-acct">
              <strong>{a.name}</strong>
              <code>{a.appid}</code>
              <Badge tone={STATUS_TONE[a.status]}>{s(`status_${a.status}`)}</Badge>
              <span className="ops-quota">
                {s('quotaToday')}: {a.quotas.map((q) => `${q.api} ${q.used}${q.limit !== null ? `/${q.limit}` : ''}`).join(' · ')}
              </span>
              <span className="spacer" />
              {a.status === 'active' ? (
                <Button variant="ghost" onClick={() => open({ kind: 'account', account: a, to: 'suspended' })} aria-label={`${s('suspendAccount')} ${a.name}`}>
                  {s('suspendAccount')}
                </Button>
              ) : (
                <Button variant="ghost" onClick={() => open({ kind: 'account', account: a, to: 'active' })} aria-label={`${s('reactivateAccount')} ${a.name}`}>
                  {s('reactivateAccount')}
                </Button>
              )}
            </div>
          ))}
        </section>
      ))}
      <ConfirmDialog
        open={pending !== null}
        title={title}
        confirmLabel={pending?.kind === 'approve' ? s('approve') : pending?.kind === 'unsuspend' ? s('unsuspend') : pending?.kind === 'account' && pending.to === 'active' ? s('reactivateAccount') : s('suspend')}
        danger={danger}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      >
        <p>{body}</p>
        {pending && pending.kind !== 'account' ? <TextareaField label={s('note')} value={note} onChange={setNote} maxLength={500} rows={2} /> : null}
      </ConfirmDialog>
    </Page>
  );
}
