import { useEffect } from 'react';
import { useStrings } from '../lib/i18n.ts';
import { useAsync } from '../lib/use-async.ts';
import { Button, Card, Page, Table } from '../kit/index.ts';
import { operatorApi, yuan, type LedgerOverview, type Rate } from './api.ts';
import { ops, type OpsKey } from './strings.ts';

const REFRESH_MS = 10_000;

/** Ledger totals with the live zero-sum check, fees earned per day, notification backlog and failure rates, health. */
export default function Overview() {
  const s = useStrings(ops);
  const ledger = useAsync(() => operatorApi.ledger());
  const notes = useAsync(() => operatorApi.notifications());
  const health = useAsync(() => operatorApi.health());
  const refresh = () => (ledger.reload(), notes.reload(), health.reload());
  useEffect(() => {
    const timer = setInterval(() => (ledger.reload(), notes.reload(), health.reload()), REFRESH_MS);
    return () => clearInterval(timer);
  }, [ledger.reload, notes.reload, health.reload]);
  const kindLabel = (k: string) => (`kind_${k}` in ops.en ? s(`kind_${k}` as OpsKey) : k);
  const rate = (r: Rate) => (r.total === 0 ? '—' : s('rate', { failed: r.failed, total: r.total, pct: Math.round((r.failed / r.total) * 1000) / 10 }));
  const h = health.data;

  return (
    <Page title={s('overviewTitle')} description={s('overviewIntro')} actions={<Button onClick={refresh}>{s('refresh')}</Button>}>
      <div className="ops-grid">
        <Card title={s('healthTitle')}>
          {h ? (
            <div>
              <p className={`ops-light ${h.db.ok ? 'ok' : 'bad'}`}>{h.db.ok ? s('dbOk', { ms: h.db.latencyMs }) : s('dbBad', { error: h.db.error ?? '' })}</p>
              <p className={`ops-light ${!h.worker.enabled ? 'warn' : h.worker.ok ? 'ok' : 'bad'}`}>
                {!h.worker.enabled ? s('workerOff') : h.worker.ok ? s('workerOk') : s('workerLate', { n: h.worker.overdue })}
              </p>
              <p className="ops-light">{h.sweeper.lastSettledAt ? s('sweeperLast', { at: new Date(h.sweeper.lastSettledAt).toLocaleString() }) : s('sweeperNever')}</p>
            </div>
          ) : (
            <p role={health.error ? 'alert' : undefined}>{health.error ? String(health.error) : '…'}</p>
          )}
        </Card>
        <Card title={s('feesTitle')}>{ledger.data ? <Fees data={ledger.data} /> : null}</Card>
      </div>
      <Card title={s('ledgerTitle')}>
        {ledger.data ? <ZeroSum data={ledger.data} /> : null}
        <Table
          caption={s('ledgerTitle')}
          rows={ledger.data ? [...ledger.data.totals, { kind: '__sum', accounts: ledger.data.totals.reduce((n, t) => n + t.accounts, 0), balance: ledger.data.sum }] : undefined}
          rowKey={(r) => r.kind}
          loading={ledger.loading}
          error={ledger.error}
          onRetry={ledger.reload}
          empty={{ text: s('noFees') }}
          columns={[
            { key: 'kind', header: s('kind'), render: (r) => (r.kind === '__sum' ? <strong>{s('total')}</strong> : kindLabel(r.kind)) },
            { key: 'n', header: s('nAccounts'), numeric: true, render: (r) => r.accounts },
            { key: 'b', header: s('balance'), numeric: true, render: (r) => (r.kind === '__sum' ? <strong data-testid="ledger-sum">{yuan(r.balance)}</strong> : yuan(r.balance)) },
          ]}
        />
      </Card>
      <Card title={s('notificationsTitle')}>
        <h3>{s('backlog')}</h3>
        <Table
          caption={s('backlog')}
          rows={notes.data?.backlog}
          rowKey={(r) => r.kind}
          loading={notes.loading}
          error={notes.error}
          onRetry={notes.reload}
          empty={{ text: s('noBacklog') }}
          columns={[
            { key: 'kind', header: s('kind'), render: (r) => <code>{r.kind}</code> },
            { key: 'p', header: s('pending'), numeric: true, render: (r) => r.pending },
            { key: 'd', header: s('dead'), numeric: true, render: (r) => r.dead },
            { key: 'o', header: s('oldestDue'), render: (r) => (r.oldestDueAt ? new Date(r.oldestDueAt).toLocaleString() : '—') },
          ]}
        />
        <h3>{s('failureRates')}</h3>
        <Table
          caption={s('failureRates')}
          rows={notes.data?.attempts}
          rowKey={(r) => r.kind}
          loading={notes.loading}
          error={notes.error}
          onRetry={notes.reload}
          empty={{ text: s('noAttempts') }}
          columns={[
            { key: 'kind', header: s('kind'), render: (r) => <code>{r.kind}</code> },
            { key: 'h', header: s('lastHour'), render: (r) => rate(r.hour) },
            { key: 'd', header: s('lastDay'), render: (r) => rate(r.day) },
          ]}
        />
      </Card>
    </Page>
  );
}

function ZeroSum({ data }: { data: LedgerOverview }) {
  const s = useStrings(ops);
  const v = data.verify;
  if (data.ok) return <p className="ops-zero ok" role="status" data-testid="zero-sum">✓ {s('zeroSumOk')}</p>;
  const groups: [OpsKey, string[]][] = [
    ['notZero', v.transactionsNotZero.map((r) => `#${r.transactionId}: ${yuan(r.sum)}`)],
    ['emptyTx', v.transactionsEmpty.map((r) => `#${r.transactionId}`)],
    ['mismatched', v.balancesMismatched.map((r) => `${r.accountId}: ${yuan(r.balance)} ≠ ${yuan(r.entriesSum)}`)],
    ['negative', v.negative.map((r) => `${r.accountId}: ${yuan(r.balance)}`)],
  ];
  return (
    <div role="alert" data-testid="zero-sum">
      <p className="ops-zero bad">✗ {s('zeroSumBad')}</p>
      {groups.filter(([, rows]) => rows.length > 0).map(([k, rows]) => (
        <div key={k}>
          <h4>{s(k)}</h4>
          <ul>{rows.map((r) => <li key={r}><code>{r}</code></li>)}</ul>
        </div>
      ))}
    </div>
  );
}

function Fees({ data }: { data: LedgerOverview }) {
  const s = useStrings(ops);
  const days = data.fees.byDay;
  const max = days.reduce((m, d) => (BigInt(d.amount) > m ? BigInt(d.amount) : m), 1n);
  return (
    <div>
      <p>{s('feesBalance', { amount: yuan(data.fees.balance) })}</p>
      {days.length === 0 ? (
        <p className="muted">{s('noFees')}</p>
      ) : (
        <figure aria-label={s('feesChart')}>
          <figcaption className="muted">{s('feesChart')}</figcaption>
          <div className="ops-bars" role="list">
            {days.map((d) => (
              <div key={d.day} className="ops-bar" role="listitem" aria-label={`${d.day}: ${yuan(d.amount)}`} title={`${d.day}: ${yuan(d.amount)}`}>
                <span className="fill" style={{ height: `${Number((BigInt(d.amount) * 100n) / max)}%` }} />
                <span>{d.day.slice(5)}</span>
              </div>
            ))}
          </div>
        </figure>
      )}
    </div>
  );
}
