import { useState } from 'react';
import { useStrings } from '../lib/i18n.ts';
import { useAsync } from '../lib/use-async.ts';
import { Badge, Button, ConfirmDialog, Page, Switch, Table, Tabs, TextareaField, useToast } from '../kit/index.ts';
import { operatorApi, type Report, type Resolution } from './api.ts';
import { STATUS_TONE } from './Merchants.tsx';
import { ops } from './strings.ts';

/** The queue of consumer reports: dismiss, warn (with a note) or suspend the account (optionally its organisation). */
export default function Reports() {
  const s = useStrings(ops);
  const toast = useToast();
  const [tab, setTab] = useState<'open' | 'resolved'>('open');
  const reports = useAsync(() => operatorApi.reports(tab), [tab]);
  const [acting, setActing] = useState<{ report: Report; action: Resolution } | null>(null);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string>();
  const [suspendOrg, setSuspendOrg] = useState(false);

  const start = (report: Report, action: Resolution) => {
    setNote('');
    setNoteError(undefined);
    setSuspendOrg(false);
    setActing({ report, action });
  };
  async function confirm() {
    if (!acting) return;
    if (acting.action === 'warned' && !note.trim()) {
      setNoteError(s('warnNeeded'));
      return;
    }
    await operatorApi.resolve(acting.report.id, { action: acting.action, note: note.trim(), ...(acting.action === 'suspended' ? { suspendOrg } : {}) });
    setActing(null);
    toast(s('done'), 'success');
    reports.reload();
  }

  return (
    <Page title={s('reportsTitle')} description={s('reportsIntro')}>
      <Tabs label={s('filter')} value={tab} onChange={setTab} tabs={[{ key: 'open', label: s('open') }, { key: 'resolved', label: s('resolved') }]} />
      <Table
        caption={s('reportsTitle')}
        rows={reports.data}
        rowKey={(r) => r.id}
        loading={reports.loading}
        error={reports.error}
        onRetry={reports.reload}
        empty={{ text: tab === 'open' ? s('noOpenReports') : s('noResolvedReports') }}
        columns={[
          {
            key: 'account',
            header: s('account'),
            render: (r) => (
              <>
                <strong>{r.accountName}</strong> <Badge tone={STATUS_TONE[r.accountStatus]}>{s(`status_${r.accountStatus}`)}</Badge>
                <div className="muted">{r.orgName}</div>
              </>
            ),
          },
          { key: 'reason', header: s('reason'), render: (r) => (<><Badge tone="warning">{s(`cat_${r.category}`)}</Badge> {r.text}</>) },
          { key: 'by', header: s('reporter'), render: (r) => r.consumerNickname },
          { key: 'when', header: s('when'), render: (r) => new Date(r.createdAt).toLocaleString() },
          tab === 'open'
            ? {
                key: 'actions',
                header: s('actions'),
                render: (r) => (
                  <div className="ops-actions">
                    <Button variant="ghost" onClick={() => start(r, 'dismissed')} aria-label={`${s('dismiss')}: ${r.accountName}`}>{s('dismiss')}</Button>
                    <Button onClick={() => start(r, 'warned')} aria-label={`${s('warn')}: ${r.accountName}`}>{s('warn')}</Button>
                    <Button variant="danger" onClick={() => start(r, 'suspended')} aria-label={`${s('suspend')}: ${r.accountName}`}>{s('suspend')}</Button>
                  </div>
                ),
              }
            : { key: 'outcome', header: s('resolution'), render: (r) => (<>{r.resolution ? <Badge tone={r.resolution === 'suspended' ? 'danger' : 'neutral'}>{s(`res_${r.resolution}`)}</Badge> : null} {r.note}</>) },
        ]}
      />
      <ConfirmDialog
        open={acting !== null}
        title={!acting ? '' : acting.action === 'dismissed' ? s('confirmDismiss') : acting.action === 'warned' ? s('confirmWarn', { name: acting.report.accountName }) : s('confirmSuspendReport', { name: acting.report.accountName })}
        confirmLabel={acting?.action === 'dismissed' ? s('dismiss') : acting?.action === 'warned' ? s('warn') : s('suspend')}
        danger={acting?.action === 'suspended'}
        onConfirm={confirm}
        onCancel={() => setActing(null)}
      >
        {acting?.action === 'suspended' ? <p>{s('suspendAccountBody')}</p> : null}
        {acting ? (
          <TextareaField label={acting.action === 'warned' ? s('warnNote') : s('note')} value={note} onChange={(v) => (setNote(v), setNoteError(undefined))} error={noteError} required={acting.action === 'warned'} maxLength={500} rows={3} />
        ) : null}
        {acting?.action === 'suspended' ? <Switch label={s('suspendOrgToo')} checked={suspendOrg} onChange={setSuspendOrg} /> : null}
      </ConfirmDialog>
    </Page>
  );
}
