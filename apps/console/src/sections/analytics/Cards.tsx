import { useMemo } from 'react';
import { useStrings } from '../../lib/i18n.ts';
import { yuan, type Charts } from './api.ts';
import { Chart } from './Chart.tsx';
import { ChartCard } from './ChartCard.tsx';
import { barsAndLines, COLORS, horizontalBars } from './options.ts';
import { strings, type AnalyticsKey } from './strings.ts';

interface CardProps {
  data: Charts;
  /** `from_to`, for file names. */
  range: string;
}

const MSG_TYPES: readonly string[] = ['text', 'image', 'voice', 'video', 'location', 'link'];
const typeKey = (t: string): AnalyticsKey | undefined => (MSG_TYPES.includes(t) ? (t as AnalyticsKey) : undefined);

export function FollowersCard({ data, range }: CardProps) {
  const s = useStrings(strings);
  const f = data.followers;
  const option = useMemo(() => barsAndLines(f.map((x) => x.date), [{ name: s('newF'), data: f.map((x) => x.new), color: COLORS.GREEN }, { name: s('lost'), data: f.map((x) => x.lost), color: COLORS.RED }], [{ name: s('net'), data: f.map((x) => x.net), color: COLORS.GREY }, { name: s('cumulative'), data: f.map((x) => x.cumulative), color: COLORS.BLUE, rightAxis: true }]), [f, s]);
  const sum = (k: 'new' | 'lost' | 'net') => f.reduce((n, x) => n + x[k], 0);
  const last = f[f.length - 1]?.cumulative ?? 0;
  return (
    <ChartCard title={s('followersTitle')} empty={f.every((x) => x.new === 0 && x.lost === 0 && x.cumulative === 0)} emptyText={s('followersEmpty')}
      csv={{ filename: `followers-${range}.csv`, header: [s('date'), s('newF'), s('lost'), s('net'), s('cumulative')], rows: f.map((x) => [x.date, x.new, x.lost, x.net, x.cumulative]) }}>
      <dl className="an-totals">
        <div><dt>{s('newF')}</dt><dd data-testid="followers-new">{sum('new')}</dd></div>
        <div><dt>{s('lost')}</dt><dd>{sum('lost')}</dd></div>
        <div><dt>{s('net')}</dt><dd>{sum('net')}</dd></div>
        <div><dt>{s('cumulative')}</dt><dd data-testid="followers-total">{last}</dd></div>
      </dl>
      <Chart option={option} label={s('chartOf', { chart: s('followersTitle'), from: data.from, to: data.to })} />
    </ChartCard>
  );
}

export function MessagesCard({ data, range }: CardProps) {
  const s = useStrings(strings);
  const m = data.messages;
  const types = useMemo(() => [...new Set(m.map((x) => x.type))].sort((a, b) => MSG_TYPES.indexOf(a) - MSG_TYPES.indexOf(b)), [m]);
  const label = (t: string) => {
    const k = typeKey(t);
    return k ? s(k) : t;
  };
  const option = useMemo(() => {
    const dates = data.followers.map((x) => x.date);
    const count = new Map(m.map((x) => [`${x.date}|${x.type}`, x.count]));
    return barsAndLines(dates, types.map((t) => ({ name: label(t), stack: 'msgs', data: dates.map((d) => count.get(`${d}|${t}`) ?? 0) })), []);
  }, [m, types, data.followers, s]);
  return (
    <ChartCard title={s('messagesTitle')} empty={m.length === 0} emptyText={s('messagesEmpty')}
      csv={{ filename: `messages-${range}.csv`, header: [s('date'), s('type'), s('count'), s('users')], rows: m.map((x) => [x.date, x.type, x.count, x.users]) }}>
      <dl className="an-totals">
        {types.map((t) => <div key={t}><dt>{label(t)}</dt><dd>{m.filter((x) => x.type === t).reduce((n, x) => n + x.count, 0)}</dd></div>)}
      </dl>
      <Chart option={option} label={s('chartOf', { chart: s('messagesTitle'), from: data.from, to: data.to })} />
    </ChartCard>
  );
}

export function MenuCard({ data, range }: CardProps) {
  const s = useStrings(strings);
  const rows = data.menu;
  const option = useMemo(() => horizontalBars(rows.map((x) => x.name ?? x.key), rows.map((x) => x.clicks), s('clicks')), [rows, s]);
  return (
    <ChartCard title={s('menuTitle')} empty={rows.length === 0} emptyText={s('menuEmpty')}
      csv={{ filename: `menu-clicks-${range}.csv`, header: [s('button'), s('event'), 'key', s('clicks')], rows: rows.map((x) => [x.name ?? '', x.event, x.key, x.clicks]) }}>
      <Chart option={option} label={s('chartOf', { chart: s('menuTitle'), from: data.from, to: data.to })} height={Math.max(160, 40 + rows.length * 34)} />
    </ChartCard>
  );
}

export function RevenueCard({ data, range }: CardProps) {
  const s = useStrings(strings);
  const r = data.revenue;
  const option = useMemo(() => barsAndLines(r.map((x) => x.date), [{ name: s('paidAmount'), data: r.map((x) => x.paid / 100), color: COLORS.GREEN }, { name: s('refunds'), data: r.map((x) => x.refunds / 100), color: COLORS.RED }], [{ name: s('netRevenue'), data: r.map((x) => x.net / 100), color: COLORS.BLUE }]), [r, s]);
  const sum = (k: 'paid' | 'refunds' | 'net' | 'orders') => r.reduce((n, x) => n + x[k], 0);
  return (
    <ChartCard title={s('revenueTitle')} empty={r.every((x) => x.paid === 0 && x.refunds === 0)} emptyText={s('revenueEmpty')}
      csv={{ filename: `revenue-${range}.csv`, header: [s('date'), s('orders'), `${s('paidAmount')} (¥)`, `${s('refunds')} (¥)`, `${s('netRevenue')} (¥)`], rows: r.map((x) => [x.date, x.orders, yuan(x.paid), yuan(x.refunds), yuan(x.net)]) }}>
      <dl className="an-totals">
        <div><dt>{s('orders')}</dt><dd>{sum('orders')}</dd></div>
        <div><dt>{s('paidAmount')}</dt><dd data-testid="revenue-paid">¥{yuan(sum('paid'))}</dd></div>
        <div><dt>{s('refunds')}</dt><dd>¥{yuan(sum('refunds'))}</dd></div>
        <div><dt>{s('netRevenue')}</dt><dd>¥{yuan(sum('net'))}</dd></div>
      </dl>
      <Chart option={option} label={s('chartOf', { chart: s('revenueTitle'), from: data.from, to: data.to })} />
    </ChartCard>
  );
}

export function RefundsCard({ data, range }: CardProps) {
  const s = useStrings(strings);
  const r = data.revenue;
  const option = useMemo(() => barsAndLines(r.map((x) => x.date), [{ name: s('refundCount'), data: r.map((x) => x.refundCount), color: COLORS.RED }], [{ name: s('refundAmount'), data: r.map((x) => x.refunds / 100), color: COLORS.GREY, rightAxis: true }]), [r, s]);
  return (
    <ChartCard title={s('refundsTitle')} empty={r.every((x) => x.refundCount === 0)} emptyText={s('refundsEmpty')}
      csv={{ filename: `refunds-${range}.csv`, header: [s('date'), s('refundCount'), s('refundAmount')], rows: r.map((x) => [x.date, x.refundCount, yuan(x.refunds)]) }}>
      <Chart option={option} label={s('chartOf', { chart: s('refundsTitle'), from: data.from, to: data.to })} />
    </ChartCard>
  );
}
