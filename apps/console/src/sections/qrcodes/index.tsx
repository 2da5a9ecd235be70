import { Badge, Button, Card, Loading, Page, PageLoadError, Table } from '../../kit/index.ts';
import { api, enc, type Account } from '../../lib/api.ts';
import { useLang, useStrings } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import type { PageProps } from '../../routes.tsx';
import { pngUrl, qrApi, type QrCode } from './api.ts';
import { RowActions } from './RowActions.tsx';
import { CreateForm } from './CreateForm.tsx';
import { Funnel } from './Funnel.tsx';
import { strings } from './strings.ts';
import './qrcodes.css';

/** Scene QR codes of one account: create, download, and per-code scans → follows → paid orders. */
export default function QrCodes({ params }: PageProps) {
  const s = useStrings(strings);
  const lang = useLang();
  const id = params.id ?? '';
  const account = useAsync(() => api.get<Account>(`/api/v1/merchant/accounts/${enc(id)}`), [id]);
  const codes = useAsync(() => qrApi.list(id), [id]);
  if (account.error) return <PageLoadError title={s('title')} error={account.error} />;
  if (!account.data) return <Loading />;
  const rows = codes.data;
  const max = Math.max(1, ...(rows ?? []).map((q) => q.scans));
  const label = (q: QrCode) => q.name ?? s('unnamed');
  const total = (rows ?? []).reduce((t, q) => ({ scans: t.scans + q.scans, follows: t.follows + q.follows, paid: t.paid + q.paidOrders }), { scans: 0, follows: 0, paid: 0 });
  return (
    <Page title={s('title')} description={s('description')}>
      <CreateForm accountId={id} existing={rows ?? []} onCreated={codes.reload} />
      {rows && rows.length > 0 ? (
        <Card title={s('totals')}>
          <dl className="stats">
            <div>
              <dt>{s('scans')}</dt>
              <dd data-testid="total-scans">{total.scans}</dd>
            </div>
            <div>
              <dt>{s('follows')}</dt>
              <dd data-testid="total-follows">{total.follows}</dd>
            </div>
            <div>
              <dt>{s('paid')}</dt>
              <dd data-testid="total-paid">{total.paid}</dd>
            </div>
          </dl>
          <Funnel name={s('totals')} scans={total.scans} follows={total.follows} paid={total.paid} max={Math.max(1, total.scans)} />
        </Card>
      ) : null}
      <Card
        title={s('list')}
        actions={
          <Button onClick={codes.reload} busy={codes.loading && rows !== undefined}>
            {s('refresh')}
          </Button>
        }
      >
        <Table<QrCode>
          rows={rows}
          rowKey={(q) => q.ticket}
          loading={codes.loading}
          error={codes.error}
          onRetry={codes.reload}
          empty={{ text: s('empty') }}
          columns={[
            { key: 'img', header: s('code'), render: (q) => (q.expired || q.disabled ? <span className="qr-thumb expired" aria-hidden="true" /> : <img className="qr-thumb" src={pngUrl(q.ticket)} alt={s('codeOf', { name: label(q) })} width={56} height={56} loading="lazy" />) },
            { key: 'name', header: s('name'), render: (q) => <strong>{label(q)}</strong> },
            { key: 'scene', header: s('sceneCol'), render: (q) => <code>{q.sceneStr ?? q.sceneId}</code> },
            {
              key: 'status',
              header: s('status'),
              render: (q) => (q.disabled ? <Badge tone="neutral">{s('disabled')}</Badge> : q.permanent ? <Badge tone="success">{s('permanent')}</Badge> : q.expired ? <Badge tone="danger">{s('expired')}</Badge> : <Badge tone="warning">{s('expires', { date: new Date(q.expiresAt ?? '').toLocaleString(lang) })}</Badge>),
            },
            { key: 'scans', header: s('scans'), numeric: true, render: (q) => <span data-testid={`scans-${q.ticket}`}>{q.scans}</span> },
            { key: 'follows', header: s('follows'), numeric: true, render: (q) => <span data-testid={`follows-${q.ticket}`}>{q.follows}</span> },
            { key: 'paid', header: s('paid'), numeric: true, render: (q) => <span data-testid={`paid-${q.ticket}`}>{q.paidOrders}</span> },
            { key: 'funnel', header: s('funnel'), render: (q) => <Funnel name={label(q)} scans={q.scans} follows={q.follows} paid={q.paidOrders} max={max} /> },
            { key: 'dl', header: <span className="sr-only">{s('actions')}</span>, render: (q) => <RowActions accountId={id} code={q} label={label(q)} onChanged={codes.reload} /> },
          ]}
        />
      </Card>
    </Page>
  );
}
