import { useState } from 'react';
import { Card, DateRange, lastDays, Loading, Page, SelectField, type DateRangeValue } from '../../kit/index.ts';
import { api, errorText, type Account } from '../../lib/api.ts';
import { common, useStrings } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import type { PageProps } from '../../routes.tsx';
import { loadCharts } from './api.ts';
import { FollowersCard, MenuCard, MessagesCard, RefundsCard, RevenueCard } from './Cards.tsx';
import { FunnelCard } from './Funnel.tsx';
import { strings } from './strings.ts';
import './analytics.css';

/** Analytics: followers, messages, menu clicks, the QR funnel, revenue and refunds for a date range. */
export default function AnalyticsPage(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const [range, setRange] = useState<DateRangeValue>(() => lastDays(30));
  const [accountId, setAccountId] = useState('');
  const accounts = useAsync(() => api.get<Account[]>('/api/v1/merchant/accounts'), []);
  const charts = useAsync(() => loadCharts(range.from, range.to, accountId), [range.from, range.to, accountId]);
  const file = `${range.from}_${range.to}`;
  const data = charts.data;
  return (
    <Page title={t('analytics')} description={s('intro')}>
      <div className="an-toolbar">
        <DateRange value={range} onChange={setRange} presets={[7, 30, 90, 365]} />
        <SelectField label={s('account')} value={accountId} onChange={setAccountId} options={[{ value: '', label: s('allAccounts') }, ...(accounts.data ?? []).map((a) => ({ value: a.id, label: a.name }))]} />
      </div>
      {accounts.data && accounts.data.length === 0 ? <Card><p className="an-empty">{s('noAccounts')}</p></Card> : null}
      {charts.error ? (
        <Card>
          <p role="alert">{errorText(charts.error)}</p>
          <button type="button" className="btn" onClick={charts.reload}>{t('retry')}</button>
        </Card>
      ) : !data ? (
        <Loading />
      ) : (
        <div aria-busy={charts.loading} data-testid="analytics-charts" data-range={`${data.from}_${data.to}`}>
          <FollowersCard data={data} range={file} />
          <FunnelCard data={data} range={file} />
          <div className="an-grid">
            <RevenueCard data={data} range={file} />
            <RefundsCard data={data} range={file} />
            <MessagesCard data={data} range={file} />
            <MenuCard data={data} range={file} />
          </div>
        </div>
      )}
    </Page>
  );
}
